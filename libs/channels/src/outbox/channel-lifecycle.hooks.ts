import { Injectable } from '@nestjs/common';
import { RequestContext, TenantTx } from '@caredesk/core';
import type { Channel } from '../channel.entity';

/**
 * Runs inside ChannelService's transaction: after the channel is ACTIVE again (reconnect), or
 * DISCONNECTED with its secrets wiped (disconnect).
 */
export type ChannelLifecycleHook = (ctx: RequestContext, tx: TenantTx, channel: Channel) => Promise<void>;

/**
 * Lets the outbox and inbound intake act on what waited for a channel — resume it when an admin
 * reconnects the channel, settle it when they disconnect it — without ChannelService knowing about
 * either. Provided by ChannelsModule; each side registers itself.
 */
@Injectable()
export class ChannelLifecycleHooks {
  private readonly reconnect = new Map<string, ChannelLifecycleHook>();
  private readonly disconnect = new Map<string, ChannelLifecycleHook>();

  onReconnect(key: string, hook: ChannelLifecycleHook): void {
    add(this.reconnect, key, hook);
  }

  onDisconnect(key: string, hook: ChannelLifecycleHook): void {
    add(this.disconnect, key, hook);
  }

  async reconnected(ctx: RequestContext, tx: TenantTx, channel: Channel): Promise<void> {
    for (const hook of this.reconnect.values()) await hook(ctx, tx, channel);
  }

  async disconnected(ctx: RequestContext, tx: TenantTx, channel: Channel): Promise<void> {
    for (const hook of this.disconnect.values()) await hook(ctx, tx, channel);
  }
}

function add(hooks: Map<string, ChannelLifecycleHook>, key: string, hook: ChannelLifecycleHook): void {
  if (hooks.has(key)) throw new Error(`Channel lifecycle hook ${key} registered twice`);
  hooks.set(key, hook);
}

import { Injectable } from '@nestjs/common';
import { RequestContext, TenantTx } from '@caredesk/core';
import type { Channel } from '../channel.entity';

/** Runs inside ChannelService.reconnect's transaction, after the channel is ACTIVE again. */
export type ChannelReconnectHook = (ctx: RequestContext, tx: TenantTx, channel: Channel) => Promise<void>;

/**
 * Lets the outbox resume a channel's waiting sends when an admin reconnects it, without
 * ChannelService knowing about the outbox. Provided by ChannelsModule; the outbox registers itself.
 */
@Injectable()
export class ChannelReconnectHooks {
  private readonly hooks = new Map<string, ChannelReconnectHook>();

  register(key: string, hook: ChannelReconnectHook): void {
    if (this.hooks.has(key)) throw new Error(`Reconnect hook ${key} registered twice`);
    this.hooks.set(key, hook);
  }

  async run(ctx: RequestContext, tx: TenantTx, channel: Channel): Promise<void> {
    for (const hook of this.hooks.values()) await hook(ctx, tx, channel);
  }
}

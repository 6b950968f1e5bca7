import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import { APP_CONFIG, AppConfig } from '@caredesk/core';
import { agencyChannel, LiveEvent } from './live-channels';
import { liveRedis } from './live-redis';

type Listener = (event: LiveEvent) => void;

/**
 * The receiving end of live updates in one API process: a single Redis subscriber connection,
 * subscribed to an agency's channel only while at least one local subscription of that agency is
 * open, dispatching each message to the local listeners (each subscription filters for itself).
 */
@Injectable()
export class LiveHub implements OnModuleDestroy {
  private readonly logger = new Logger(LiveHub.name);
  private readonly redis: Redis;
  private readonly prefix: string;
  /** channel → listeners; a channel is in the map from its first listener to its last. */
  private readonly listeners = new Map<string, Set<Listener>>();

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.prefix = config.redis.queuePrefix;
    this.redis = liveRedis(config, 'subscriber');
    this.redis.on('message', (channel: string, raw: string) => this.dispatch(channel, raw));
  }

  /**
   * Calls `listener` for every event of the agency until the returned function is called. Resolves
   * once Redis confirmed the subscription, so nothing published afterwards is missed.
   */
  async listen(agencyId: string, listener: Listener): Promise<() => void> {
    const channel = agencyChannel(this.prefix, agencyId);
    let set = this.listeners.get(channel);
    if (!set) {
      set = new Set();
      this.listeners.set(channel, set);
    }
    set.add(listener);
    try {
      // SUBSCRIBE is idempotent; repeating it per listener also waits for the first one to land.
      if (this.redis.status === 'wait') await this.redis.connect().catch(() => undefined);
      await this.redis.subscribe(channel);
    } catch (e) {
      this.remove(channel, listener);
      throw e;
    }
    return () => this.remove(channel, listener);
  }

  private remove(channel: string, listener: Listener): void {
    const set = this.listeners.get(channel);
    if (!set?.delete(listener) || set.size > 0) return;
    this.listeners.delete(channel);
    this.redis.unsubscribe(channel).catch(() => undefined); // a lost connection unsubscribes anyway
  }

  /** A message is one event or an array of them (LiveEvents.many), delivered in their order. */
  private dispatch(channel: string, raw: string): void {
    const set = this.listeners.get(channel);
    if (!set) return;
    let events: LiveEvent[];
    try {
      const parsed = JSON.parse(raw) as LiveEvent | LiveEvent[];
      events = Array.isArray(parsed) ? parsed : [parsed];
    } catch {
      this.logger.warn(`ignored a malformed live event on ${channel}`);
      return;
    }
    for (const event of events) for (const listener of set) listener(event);
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }
}

import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import { APP_CONFIG, AppConfig } from '@caredesk/core';
import { agencyChannel, LiveEvent } from './live-channels';

/**
 * Publishes live events to Redis pub/sub; every API process subscribed to the agency's channel
 * filters them per subscriber (brand scope) and pushes them over graphql-ws.
 *
 * Call only after the change is committed (`tx.afterCommit`), so nobody is told about a row that
 * rolled back. Live updates are a hint for dashboards, not a record: a publish that fails is logged
 * and swallowed (never rejects), because the change itself is already committed and a client
 * catches up on its next query.
 */
@Injectable()
export class LiveEvents implements OnModuleDestroy {
  /** Events per PUBLISH in `many` (a message of ~100 kB at most). */
  static readonly MAX_PER_PUBLISH = 500;

  private readonly logger = new Logger(LiveEvents.name);
  private readonly redis: Redis;
  private readonly prefix: string;
  private connecting?: Promise<void>;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.prefix = config.redis.queuePrefix;
    // No offline queue: with Redis down a publish fails at once instead of piling up in memory.
    this.redis = new Redis(config.redis.url, {
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      // Publishes issued together (a reply's message and conversation events) share one write.
      enableAutoPipelining: true,
    });
    this.redis.on('error', () => undefined); // reported by publish() below
  }

  messageCreated(
    agencyId: string,
    e: { brandId: string; conversationId: string; messageId: string },
  ): Promise<void> {
    return this.publish(agencyId, { kind: 'MESSAGE_CREATED', ...e });
  }

  conversationChanged(
    agencyId: string,
    e: { brandId: string; conversationId: string; change: string },
  ): Promise<void> {
    return this.publish(agencyId, { kind: 'CONVERSATION_CHANGED', ...e });
  }

  messageUpdated(
    agencyId: string,
    e: { brandId: string; conversationId: string; messageId: string; change: string },
  ): Promise<void> {
    return this.publish(agencyId, { kind: 'MESSAGE_UPDATED', ...e });
  }

  /**
   * Many events of one agency (an ingest batch: a message each, a conversation change each) as
   * PUBLISHes of up to MAX_PER_PUBLISH events, each one JSON array: one Redis command, one message to
   * every subscribed API process and one parse there, instead of one of each per event.
   */
  many(agencyId: string, events: LiveEvent[]): Promise<void> {
    const parts: Promise<void>[] = [];
    for (let i = 0; i < events.length; i += LiveEvents.MAX_PER_PUBLISH) {
      parts.push(this.publish(agencyId, events.slice(i, i + LiveEvents.MAX_PER_PUBLISH)));
    }
    return Promise.all(parts).then(() => undefined);
  }

  /** @internal presence changes go through the same channel (see PresenceService). */
  presenceChanged(agencyId: string, e: { brandId: string; conversationId: string }): Promise<void> {
    return this.publish(agencyId, { kind: 'PRESENCE_CHANGED', ...e });
  }

  /** One message on the agency's channel: an event, or an array of events (see LiveHub.dispatch). */
  private async publish(agencyId: string, event: LiveEvent | LiveEvent[]): Promise<void> {
    try {
      await this.connected();
      await this.redis.publish(agencyChannel(this.prefix, agencyId), JSON.stringify(event));
    } catch (e) {
      const what = Array.isArray(event) ? `${event.length} live events` : `live event ${event.kind}`;
      this.logger.warn(`${what} for agency ${agencyId} not published: ${e instanceof Error ? e.message : e}`);
    }
  }

  /**
   * Connects on first use, once for concurrent publishes. After that ioredis reconnects by itself;
   * while it does, a publish fails at once (no offline queue) and is logged.
   */
  private async connected(): Promise<void> {
    if (this.redis.status === 'wait') this.connecting ??= this.redis.connect();
    if (this.connecting) await this.connecting.finally(() => (this.connecting = undefined));
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }
}

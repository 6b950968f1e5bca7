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
      // The ingest worker publishes a burst per batch (one event per message): one write for the
      // burst rather than a system call each.
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

  /** @internal presence changes go through the same channel (see PresenceService). */
  presenceChanged(agencyId: string, e: { brandId: string; conversationId: string }): Promise<void> {
    return this.publish(agencyId, { kind: 'PRESENCE_CHANGED', ...e });
  }

  private async publish(agencyId: string, event: LiveEvent): Promise<void> {
    try {
      await this.connected();
      await this.redis.publish(agencyChannel(this.prefix, agencyId), JSON.stringify(event));
    } catch (e) {
      this.logger.warn(
        `live event ${event.kind} for agency ${agencyId} not published: ${e instanceof Error ? e.message : e}`,
      );
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

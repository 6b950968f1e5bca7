import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import { APP_CONFIG, AppConfig, AppError, isUuid, RequestContext, Role, TenantDb } from '@caredesk/core';
import { ConversationPresenceDto, PresenceEntryDto, PresenceState } from './dto/presence.dto';
import { LiveConnection } from './live-connection';
import { LiveEvents } from './live-events';
import { liveRedis } from './live-redis';
import { REMOVE_PRESENCE, SET_PRESENCE, SWEEP_PRESENCE } from './presence.scripts';

interface StoredEntry {
  userId: string;
  name: string;
  state: PresenceState;
  since: number;
  expiresAt: number;
  brandId: string;
  connId: string;
}

/** Expired entries one sweep removes at most; the next sweep takes the rest. */
const SWEEP_BATCH = 500;

/**
 * Who is viewing or typing in a conversation, so two agents don't answer the same customer. Entries
 * live PRESENCE_TTL_SECONDS unless repeated (clients heartbeat at about a third of it); every change
 * — a new entry, another state, a removal, an expiry — is published on the agency's live channel.
 */
@Injectable()
export class PresenceService implements OnModuleDestroy {
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly ttlMs: number;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly db: TenantDb,
    private readonly live: LiveEvents,
  ) {
    this.redis = liveRedis(config, 'presence');
    this.prefix = `${config.redis.queuePrefix}:presence:`;
    this.ttlMs = config.live.presenceTtlSeconds * 1000;
  }

  /** Sets (or, with LEFT, removes) the caller's presence; answers the conversation's presence after it. */
  async set(
    ctx: RequestContext,
    conversationId: string,
    state: PresenceState,
    connection?: LiveConnection,
  ): Promise<ConversationPresenceDto> {
    ctx.requireRole(Role.AGENT);
    const userId = ctx.userId;
    if (!userId) throw AppError.forbidden('Presence is for people: an API key has none');
    const { brandId, userName } = await this.requireConversation(ctx, conversationId, userId);
    const keys = [this.hashKey(ctx.agencyId, conversationId), this.expiryKey()];
    const member = `${ctx.agencyId}:${conversationId}:${userId}`;

    let changed: boolean;
    if (state === PresenceState.LEFT) {
      changed = (await this.redis.eval(REMOVE_PRESENCE, 2, ...keys, userId, member, '')) !== null;
      connection?.presence.delete(conversationId);
    } else {
      const now = Date.now();
      const expiresAt = now + this.ttlMs;
      const connId = connection?.id ?? '';
      const result = await this.redis.eval(
        SET_PRESENCE,
        2,
        ...keys,
        userId,
        member,
        state,
        now,
        userName,
        expiresAt,
        brandId,
        connId,
        // The hash outlives its last entry a little: a safety net if no sweeper runs at all.
        this.ttlMs * 2,
      );
      changed = result === 1;
      connection?.presence.add(conversationId);
    }
    if (changed) await this.live.presenceChanged(ctx.agencyId, { brandId, conversationId });
    return this.current(ctx.agencyId, conversationId);
  }

  /** The conversation's presence, for a caller who may see it (NOT_FOUND otherwise). */
  async list(ctx: RequestContext, conversationId: string): Promise<ConversationPresenceDto> {
    ctx.requireRole(Role.AGENT);
    await this.requireConversation(ctx, conversationId, null);
    return this.current(ctx.agencyId, conversationId);
  }

  /**
   * NOT_FOUND for a missing conversation, another agency's (RLS hides it) or one of a brand outside
   * the caller's scope. Answers its brand (and, when asked, the user's display name, stored with the
   * entry so readers need no lookup).
   */
  async requireConversation(
    ctx: RequestContext,
    conversationId: string,
    userId: string | null,
  ): Promise<{ brandId: string; userName: string }> {
    if (!isUuid(conversationId)) throw AppError.notFound('Conversation');
    const [row] = await this.db.run(ctx, (tx) =>
      // users is identity's global table; the display name is read here in the same statement rather
      // than through a second round trip (identity has no batched "names of users" service yet).
      tx.query<{ brandId: string; userName: string | null }>(
        `SELECT c.brand_id AS "brandId",
                (SELECT u.name FROM users u WHERE u.id = $3::uuid) AS "userName"
           FROM conversations c
          WHERE c.agency_id = $1 AND c.id = $2`,
        [ctx.agencyId, conversationId, userId],
      ),
    );
    if (!row || !ctx.canSeeBrand(row.brandId)) throw AppError.notFound('Conversation');
    return { brandId: row.brandId, userName: row.userName ?? '' };
  }

  /** The stored presence, without access checks (callers checked the conversation). */
  async current(agencyId: string, conversationId: string): Promise<ConversationPresenceDto> {
    const raw = await this.redis.hgetall(this.hashKey(agencyId, conversationId));
    const now = Date.now();
    const entries = Object.values(raw)
      .map((json) => JSON.parse(json) as StoredEntry)
      // An entry past its expiry is gone even if the sweeper has not run yet.
      .filter((e) => e.expiresAt > now)
      .sort((a, b) => a.since - b.since || a.userId.localeCompare(b.userId))
      .map((e): PresenceEntryDto => ({
        userId: e.userId,
        name: e.name,
        state: e.state,
        since: new Date(e.since),
        expiresAt: new Date(e.expiresAt),
      }));
    return { conversationId, entries };
  }

  /** Removes what a closing socket set (only entries it was the last to write: another tab may live on). */
  async leaveAll(connection: LiveConnection): Promise<void> {
    const userId = connection.connectedAs.userId;
    if (!userId) return;
    const agencyId = connection.agencyId;
    for (const conversationId of connection.presence) {
      const removed = (await this.redis.eval(
        REMOVE_PRESENCE,
        2,
        this.hashKey(agencyId, conversationId),
        this.expiryKey(),
        userId,
        `${agencyId}:${conversationId}:${userId}`,
        connection.id,
      )) as string | null;
      if (removed) {
        const { brandId } = JSON.parse(removed) as StoredEntry;
        await this.live.presenceChanged(agencyId, { brandId, conversationId });
      }
    }
    connection.presence.clear();
  }

  /**
   * Removes expired entries and publishes a change for each conversation that lost someone. Every
   * API process runs it; the script removes each entry once, so only one process reports it.
   */
  async sweep(): Promise<number> {
    const gone = (await this.redis.eval(
      SWEEP_PRESENCE,
      1,
      this.expiryKey(),
      Date.now(),
      this.prefix,
      SWEEP_BATCH,
    )) as string[];
    for (const key of new Set(gone)) {
      const [agencyId, conversationId, brandId] = key.split(':');
      await this.live.presenceChanged(agencyId, { brandId, conversationId });
    }
    return gone.length;
  }

  private hashKey(agencyId: string, conversationId: string): string {
    return `${this.prefix}${agencyId}:${conversationId}`;
  }

  private expiryKey(): string {
    return `${this.prefix}expiry`;
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }
}

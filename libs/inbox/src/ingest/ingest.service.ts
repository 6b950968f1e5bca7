import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig, RequestContext, TenantDb, TenantTx } from '@caredesk/core';
import { BrandAccessService } from '@caredesk/brands';
import { TextAnalyser } from '@caredesk/analysis';
import {
  ChannelCredentialsService,
  ChannelService,
  ChannelStatus,
  ChannelTokenExpiry,
  ChannelTokenRefresher,
  ConnectorError,
  ConnectorRegistry,
  mustHydrate,
  NormalizedEvent,
  NormalizedMessage,
  Platform,
} from '@caredesk/channels';
import { MessageChangeService } from '../threading/message-changes.service';
import {
  MessageAnalysis,
  PlacementItem,
  ThreadingService,
  ThreadingTarget,
} from '../threading/threading.service';
import { reopenWindowHours } from '../threading/threading.rules';
import { IngestPacer } from './ingest-pacer';

/**
 * How many times an event is tried before it is given up (FAILED, listed for admins by
 * failedInboundEvents). Producers enqueue ingest jobs with the same number of bull attempts.
 */
export const INGEST_MAX_ATTEMPTS = 5;

/**
 * What became of one run:
 * - PROCESSED: its events are applied;
 * - IGNORED: nothing to apply (the connector normalized it to no events, e.g. a read receipt);
 *   an edit or deletion of a message not stored yet is PROCESSED: it is kept for the message
 *   (MessageChangeService);
 * - FAILED: given up after INGEST_MAX_ATTEMPTS errors, kept with last_error;
 * - SKIPPED: the event is not PENDING (already done: a re-run of the job) or does not exist.
 */
/** WAITING: the platform refused the channel's token while the event was being read through it. */
export type IngestOutcome = 'PROCESSED' | 'IGNORED' | 'FAILED' | 'SKIPPED' | 'WAITING';

interface EventRow {
  id: string;
  channel_id: string;
  platform: Platform;
  payload: unknown;
  status: string;
}

/**
 * inbound_events → contacts, conversations and messages (DESIGN.md, "Flow of a message"). One event
 * is one transaction: either all its normalized events are applied and it is PROCESSED, or nothing is
 * and the attempt is counted. Idempotent: a re-run finds it no longer PENDING, and messages are
 * unique on the platform's id per channel.
 */
@Injectable()
export class IngestService {
  private readonly log = new Logger(IngestService.name);

  constructor(
    private readonly db: TenantDb,
    private readonly registry: ConnectorRegistry,
    private readonly channels: ChannelService,
    private readonly credentials: ChannelCredentialsService,
    private readonly brands: BrandAccessService,
    private readonly threading: ThreadingService,
    private readonly changes: MessageChangeService,
    private readonly analyser: TextAnalyser,
    private readonly tokenExpiry: ChannelTokenExpiry,
    private readonly tokens: ChannelTokenRefresher,
    private readonly pacer: IngestPacer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Many events of one agency (a batch job of the webhook writer, or several jobs the processor
   * gathered), and then the agency's other fresh PENDING events until none are left: a job drains its
   * agency, because the webhook writer adds no job while one is waiting (IngestJobs.enqueueNew).
   *
   * The fast path applies a batch in ONE transaction with set-based SQL
   * (ThreadingService.applyMessages), so the cost per event falls with the batch size. Events it does
   * not take — a connector that must hydrate, edits, deletions, echoes of our own sends — run one by
   * one through `process` (which counts attempts per event) after their batch commits; so do the
   * events of a batch that failed as a whole, which keeps one bad event from failing every batch of
   * its agency. Returns the events to try again (id → error; a job fails, and bull retries it, when
   * one of its own events is among them).
   */
  async processMany(agencyId: string, eventIds: string[]): Promise<Map<string, unknown>> {
    const ctx = RequestContext.system(agencyId, 'ingest');
    const retry = new Map<string, unknown>();
    const oneByOne = async (ids: string[]) => {
      for (const id of ids) {
        try {
          await this.process(agencyId, id);
        } catch (e) {
          retry.set(id, e);
        }
      }
    };
    // A job of one event takes the batch path too: it takes other fresh events along, and where
    // another run holds its event it skips it (SKIP LOCKED) instead of waiting for that run's commit.
    let own = eventIds;
    for (;;) {
      let round: { applied: number; oneByOne: string[]; full: boolean };
      try {
        round = await this.pacer.run((limit) => this.applyBatch(ctx, own, limit));
      } catch (e) {
        this.log.warn(`batch of inbound events failed, applying one by one: ${String(e)}`);
        await oneByOne([...new Set([...own, ...(await this.freshPending(ctx, own))])]);
        return retry;
      }
      await oneByOne(round.oneByOne);
      if (!round.full) return retry;
      // A full round of events that all went one by one and all failed made no progress: stop rather
      // than take them again (their attempts were counted; bull or the sweeper come back to them).
      if (round.applied === 0 && round.oneByOne.every((id) => retry.has(id))) return retry;
      own = [];
    }
  }

  /** The ids a batch would take along (no lock), for the one-by-one fallback of a failed batch. */
  private freshPending(ctx: RequestContext, exclude: string[]): Promise<string[]> {
    return this.db.run(ctx, async (tx) =>
      (
        await tx.query<{ id: string }>(
          `SELECT id FROM inbound_events
            WHERE agency_id = $1 AND status = 'PENDING' AND attempts = 0 AND id <> ALL($2::uuid[])
            ORDER BY received_at LIMIT $3`,
          [ctx.agencyId, exclude, this.config.pipeline.ingestBatchSize],
        )
      ).map((r) => r.id),
    );
  }

  /**
   * One batch: the given events (those still PENDING and not held by another run) and up to
   * INGEST_BATCH_SIZE of the agency's other fresh PENDING events (never tried yet, not held), oldest first.
   * Returns how many it applied, the events left for the one-by-one path and whether the batch came
   * back full (more may be waiting). Events another run holds are theirs to finish (or to retry).
   */
  private applyBatch(
    ctx: RequestContext,
    eventIds: string[],
    limit: number,
  ): Promise<{ applied: number; oneByOne: string[]; full: boolean }> {
    // Asynchronous commit: a batch is derived from inbound_events, committed durably at intake; if a
    // crash loses its last milliseconds, its events are still PENDING and the sweeper applies them
    // again. Its commits then stop queueing behind the WAL flushes that intake's 200s wait for.
    return this.db.run(
      ctx,
      async (tx) => {
        const own = eventIds.length
          ? await tx.query<EventRow>(
              `SELECT id, channel_id, platform, payload, status FROM inbound_events
              WHERE agency_id = $1 AND id = ANY($2::uuid[]) AND status = 'PENDING'
              ORDER BY id FOR UPDATE SKIP LOCKED`,
              [ctx.agencyId, eventIds],
            )
          : [];
        const room = Math.max(0, limit - own.length);
        const alongside = room
          ? await tx.query<EventRow>(
              `SELECT id, channel_id, platform, payload, status FROM inbound_events
              WHERE agency_id = $1 AND status = 'PENDING' AND attempts = 0 AND id <> ALL($2::uuid[])
              ORDER BY received_at LIMIT $3 FOR UPDATE SKIP LOCKED`,
              [ctx.agencyId, eventIds, room],
            )
          : [];
        const events = [...own, ...alongside];
        const full = alongside.length === room;
        if (events.length === 0) return { applied: 0, oneByOne: [], full: false };
        const targets = await this.targets(ctx, [...new Set(events.map((e) => e.channel_id))]);

        const oneByOne: string[] = [];
        const done: { id: string; status: 'PROCESSED' | 'IGNORED' }[] = [];
        const items: PlacementItem[] = [];
        for (const event of events) {
          const connector = this.registry.forPlatform(event.platform);
          const { target, externalAccountId } = targets.get(event.channel_id)!;
          const delivery = { platform: event.platform, externalAccountId, payload: event.payload };
          const normalized = mustHydrate(connector, delivery) ? null : connector.normalize(delivery);
          if (!normalized || !normalized.every(isPlainMessage)) {
            oneByOne.push(event.id);
            continue;
          }
          for (const msg of normalized) items.push({ target, msg });
          done.push({ id: event.id, status: normalized.length > 0 ? 'PROCESSED' : 'IGNORED' });
        }
        await this.analyse(items, targets);
        if (items.length > 0) await this.threading.applyMessages(tx, items);
        await this.markDone(tx, done);
        return { applied: done.length, oneByOne, full };
      },
      { asyncCommit: true },
    );
  }

  /**
   * `id = ANY(…)` on the primary key, not a join with unnest(): on a young, growing table whose
   * statistics lag (every new agency's), the planner took the join for a scan of the agency's rows
   * repeated per id — 49 ms per batch of 250, rising with the table (bench/ingest, auto_explain).
   */
  private async markDone(
    tx: TenantTx,
    done: { id: string; status: 'PROCESSED' | 'IGNORED' }[],
  ): Promise<void> {
    if (done.length === 0) return;
    await tx.execute(
      `UPDATE inbound_events e
          SET status = CASE WHEN e.id = ANY($3::uuid[]) THEN 'IGNORED' ELSE 'PROCESSED' END,
              processed_at = now(), last_error = NULL
        WHERE e.agency_id = $1 AND e.id = ANY($2::uuid[])`,
      [tx.agencyId, done.map((d) => d.id), done.filter((d) => d.status === 'IGNORED').map((d) => d.id)],
    );
  }

  /** Language and sentiment of the customers' messages, in one call of the analyser. */
  private async analyse(
    items: PlacementItem[],
    targets: Map<string, { languages: string[] }>,
  ): Promise<void> {
    const judged = items.filter((i) => i.msg.direction === 'INBOUND' && i.msg.body.trim() !== '');
    if (judged.length === 0) return;
    const results = await this.analyser.analyse(
      judged.map((i) => ({ text: i.msg.body, languageHints: targets.get(i.target.channelId)?.languages })),
    );
    judged.forEach((item, k) => (item.analysis = results[k] ?? null));
  }

  /** Channel id → what threading and analysis need of the channel and its brand; two queries for all. */
  private async targets(
    ctx: RequestContext,
    channelIds: string[],
  ): Promise<Map<string, { target: ThreadingTarget; externalAccountId: string; languages: string[] }>> {
    const channels = await this.channels.getMany(ctx, channelIds);
    const brands = await this.brands.requireVisible(
      ctx,
      channels.map((c) => c.brandId),
    );
    const brandOf = new Map(brands.map((b) => [b.id, b]));
    return new Map(
      channels.map((channel) => {
        const brand = brandOf.get(channel.brandId)!;
        return [
          channel.id,
          {
            target: {
              channelId: channel.id,
              brandId: channel.brandId,
              platform: channel.platform,
              reopenWindowHours: reopenWindowHours(brand.settings, this.config.pipeline.reopenWindowHours),
            },
            externalAccountId: channel.externalAccountId,
            languages: brand.languages ?? [],
          },
        ];
      }),
    );
  }

  /** Throws (after counting the attempt) when the event should be tried again. */
  async process(agencyId: string, eventId: string): Promise<IngestOutcome> {
    const ctx = RequestContext.system(agencyId, 'ingest');
    // The channel as hydration read it (its token): see waitForReconnect.
    let channelRead: { id: string; updatedAt: Date } | null = null;
    try {
      // A connector that must fetch what a notification only names (hydrate) does so outside the
      // transaction, so no row lock is held across a platform call: the first pass finds out, the
      // fetch runs, the second pass applies. Events of every other connector take one pass.
      let hydrated: { payload: unknown } | null = null;
      for (;;) {
        const outcome = await this.applyEvent(ctx, eventId, hydrated);
        if (outcome !== 'NEEDS_HYDRATION') return outcome;
        hydrated = await this.hydrate(ctx, eventId, (channel) => (channelRead = channel));
        if (!hydrated) return 'SKIPPED';
      }
    } catch (e) {
      if (channelRead && e instanceof ConnectorError && e.code === 'AUTH_EXPIRED') {
        if (await this.waitForReconnect(ctx, eventId, channelRead, e)) return 'WAITING';
      }
      const final = await this.recordFailure(ctx, eventId, e);
      if (final) return final;
      throw e;
    }
  }

  private applyEvent(
    ctx: RequestContext,
    eventId: string,
    hydrated: { payload: unknown } | null,
  ): Promise<IngestOutcome | 'NEEDS_HYDRATION'> {
    return this.db.run(ctx, async (tx) => {
      // FOR UPDATE: a second worker running the same event (bull re-ran a stalled job) waits here,
      // then finds it PROCESSED and skips it.
      const [event] = await tx.query<EventRow>(
        `SELECT id, channel_id, platform, payload, status FROM inbound_events
          WHERE agency_id = $1 AND id = $2 FOR UPDATE`,
        [ctx.agencyId, eventId],
      );
      if (!event || event.status !== 'PENDING') return 'SKIPPED';

      const connector = this.registry.forPlatform(event.platform);
      const targets = await this.targets(ctx, [event.channel_id]);
      const { target, externalAccountId } = targets.get(event.channel_id)!;
      if (
        !hydrated &&
        mustHydrate(connector, { platform: event.platform, externalAccountId, payload: event.payload })
      )
        return 'NEEDS_HYDRATION';
      const events = connector.normalize({
        platform: event.platform,
        externalAccountId,
        payload: hydrated ? hydrated.payload : event.payload,
      });
      if (events.length > 0) {
        const messages: PlacementItem[] = events.filter(isMessage).map((msg) => ({ target, msg }));
        await this.analyse(messages, targets);
        const analysisOf = new Map(messages.map((m) => [m.msg, m.analysis]));
        for (const e of events) await this.apply(ctx, target, e, analysisOf.get(e as NormalizedMessage));
      }
      const status = events.length > 0 ? 'PROCESSED' : 'IGNORED';
      await tx.execute(
        `UPDATE inbound_events SET status = $3, processed_at = now(), last_error = NULL
          WHERE agency_id = $1 AND id = $2`,
        [ctx.agencyId, eventId, status],
      );
      return status;
    });
  }

  /**
   * Fetches what the notification names, with the channel's credentials; null when no longer PENDING.
   * A channel already waiting for a reconnect is not called with its refused token: AUTH_EXPIRED.
   */
  private async hydrate(
    ctx: RequestContext,
    eventId: string,
    onChannel: (channel: { id: string; updatedAt: Date }) => void,
  ): Promise<{ payload: unknown } | null> {
    const [event] = await this.db.run(ctx, (tx) =>
      tx.query<EventRow>(
        `SELECT id, channel_id, platform, payload, status FROM inbound_events WHERE agency_id = $1 AND id = $2`,
        [ctx.agencyId, eventId],
      ),
    );
    if (!event || event.status !== 'PENDING') return null;
    const connector = this.registry.forPlatform(event.platform);
    const channel = await this.channels.get(ctx, event.channel_id);
    onChannel({ id: channel.id, updatedAt: channel.updatedAt });
    if (channel.status === ChannelStatus.NEEDS_RECONNECT) {
      throw new ConnectorError('AUTH_EXPIRED', 'the channel is waiting to be reconnected');
    }
    const credentials = await this.credentials.open(ctx, channel.id);
    const delivery = {
      platform: event.platform,
      externalAccountId: channel.externalAccountId,
      payload: event.payload,
    };
    // Google tokens last an hour: refreshed like a send's (ChannelTokenRefresher), not NEEDS_RECONNECT.
    const hydrated = await this.tokens.withFreshToken(ctx.agencyId, channel, credentials, async (creds) => ({
      payload: await connector.hydrate!(delivery, creds as unknown as Record<string, unknown>),
    }));
    if (!hydrated) throw new ConnectorError('AUTH_EXPIRED', 'the channel is waiting to be reconnected');
    return hydrated;
  }

  private async apply(
    ctx: RequestContext,
    target: ThreadingTarget,
    e: NormalizedEvent,
    analysis: MessageAnalysis | null | undefined,
  ): Promise<void> {
    switch (e.type) {
      case 'message':
        await this.threading.applyMessage(ctx, target, e, analysis);
        return;
      case 'edit':
        await this.changes.applyEdit(ctx, target.channelId, e);
        return;
      case 'deletion':
        await this.changes.applyDeletion(ctx, target.channelId, e);
        return;
    }
  }

  /**
   * The platform refused the channel's token while hydrating: the channel becomes NEEDS_RECONNECT
   * (admins mailed once, ChannelTokenExpiry) and the event WAITING_FOR_RECONNECT — no attempt is
   * counted, since every retry would fail the same way; ChannelService.reconnect makes it PENDING
   * again. The channel row is locked first (reconnect locks it too): if it was reconnected after
   * hydration read its token, answers false and the event is retried as usual, with the new token.
   */
  private async waitForReconnect(
    ctx: RequestContext,
    eventId: string,
    read: { id: string; updatedAt: Date },
    error: ConnectorError,
  ): Promise<boolean> {
    return this.db.run(ctx, async (tx) => {
      const [channel] = await tx.query<{ status: ChannelStatus; updated_at: Date }>(
        `SELECT status, updated_at FROM channels WHERE agency_id = $1 AND id = $2 FOR UPDATE`,
        [ctx.agencyId, read.id],
      );
      if (!channel || channel.status === ChannelStatus.DISCONNECTED) return false;
      const reconnected =
        channel.status === ChannelStatus.ACTIVE && channel.updated_at.getTime() !== read.updatedAt.getTime();
      if (reconnected) return false;
      await this.tokenExpiry.markNeedsReconnect(tx, read.id);
      const waiting = await tx.execute(
        `UPDATE inbound_events SET status = 'WAITING_FOR_RECONNECT', last_error = $3
          WHERE agency_id = $1 AND id = $2 AND status = 'PENDING'`,
        [ctx.agencyId, eventId, `AUTH_EXPIRED: ${error.message}`.slice(0, 1000)],
      );
      if (waiting > 0)
        this.log.warn(`inbound event ${eventId} waits for channel ${read.id} to be reconnected`);
      return waiting > 0;
    });
  }

  /**
   * Counts the failed attempt in its own transaction (the event's rolled back). Returns the final
   * status when this was the last attempt, else null (the caller rethrows, so bull retries with
   * backoff; the sweeper re-enqueues it if the job is lost). `status = 'PENDING'` guards against a
   * concurrent run that finished it meanwhile.
   */
  private async recordFailure(
    ctx: RequestContext,
    eventId: string,
    error: unknown,
  ): Promise<IngestOutcome | null> {
    const message = (error instanceof Error ? error.message : String(error)).slice(0, 1000);
    const [row] = await this.db.run(ctx, (tx) =>
      tx.returning<{ status: string; attempts: number }>(
        `UPDATE inbound_events
            SET attempts = attempts + 1, last_error = $3,
                status = CASE WHEN attempts + 1 >= $4 THEN 'FAILED' ELSE status END,
                processed_at = CASE WHEN attempts + 1 >= $4 THEN now() ELSE processed_at END
          WHERE agency_id = $1 AND id = $2 AND status = 'PENDING'
          RETURNING status, attempts`,
        [ctx.agencyId, eventId, message, INGEST_MAX_ATTEMPTS],
      ),
    );
    if (!row) return 'SKIPPED';
    this.log.warn(`inbound event ${eventId} attempt ${row.attempts} failed: ${message}`);
    return row.status === 'PENDING' ? null : (row.status as IngestOutcome);
  }
}

function isMessage(e: NormalizedEvent): e is NormalizedMessage {
  return e.type === 'message';
}

/** A message the batch path takes: not an edit or deletion, not the echo of a send to confirm. */
function isPlainMessage(e: NormalizedEvent): e is NormalizedMessage {
  return isMessage(e) && !(e.direction === 'OUTBOUND' && e.replyContext?.idempotencyKey);
}

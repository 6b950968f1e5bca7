import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig, RequestContext, TenantDb, TenantTx } from '@caredesk/core';
import { BrandAccessService } from '@caredesk/brands';
import { TextAnalyser } from '@caredesk/analysis';
import {
  ChannelCredentialsService,
  ChannelService,
  ConnectorRegistry,
  NormalizedEvent,
  NormalizedMessage,
  Platform,
} from '@caredesk/channels';
import { MessageChangeService, MessageNotArrivedError } from '../threading/message-changes.service';
import {
  MessageAnalysis,
  PlacementItem,
  ThreadingService,
  ThreadingTarget,
} from '../threading/threading.service';
import { reopenWindowHours } from '../threading/threading.rules';

/**
 * How many times an event is tried before it is given up (FAILED, listed for admins by
 * failedInboundEvents). Producers enqueue ingest jobs with the same number of bull attempts.
 */
export const INGEST_MAX_ATTEMPTS = 5;

/**
 * What became of one run:
 * - PROCESSED: its events are applied;
 * - IGNORED: nothing to apply (the connector normalized it to no events, e.g. a read receipt), or an
 *   edit/deletion of a message that never arrived, given up after the last attempt;
 * - FAILED: given up after INGEST_MAX_ATTEMPTS errors, kept with last_error;
 * - SKIPPED: the event is not PENDING (already done: a re-run of the job) or does not exist.
 */
export type IngestOutcome = 'PROCESSED' | 'IGNORED' | 'FAILED' | 'SKIPPED';

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
  /** Most events one batch transaction applies (its own plus those it takes along). */
  static readonly MAX_BATCH = 250;

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
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Many events of one agency (a batch job of the webhook writer, or several jobs the processor
   * gathered). The fast path applies them all in ONE transaction with set-based SQL
   * (ThreadingService.applyMessages), so the cost per event falls with the batch size. Events it does
   * not take — a connector that must hydrate, edits, deletions, echoes of our own sends — and every
   * event of a batch that failed as a whole run one by one through `process`, which counts attempts
   * per event. Returns the events to try again (id → error; their jobs fail, so bull retries them).
   */
  async processMany(agencyId: string, eventIds: string[]): Promise<Map<string, unknown>> {
    const retry = new Map<string, unknown>();
    let oneByOne = eventIds;
    if (eventIds.length > 1) {
      try {
        const t0 = Date.now();
        oneByOne = await this.applyBatch(RequestContext.system(agencyId, 'ingest'), eventIds);
        if (process.env.ZZ_DEBUG) process.stderr.write(`ZZ batch ${eventIds.length} ${Date.now() - t0}ms\n`);
      } catch (e) {
        this.log.warn(`batch of ${eventIds.length} inbound events failed, applying one by one: ${String(e)}`);
      }
    }
    for (const id of oneByOne) {
      try {
        await this.process(agencyId, id);
      } catch (e) {
        retry.set(id, e);
      }
    }
    return retry;
  }

  /**
   * Returns the events (of `eventIds`) left for the one-by-one path.
   *
   * Besides its own events a batch takes up to MAX_BATCH of the agency's other fresh PENDING events
   * (never tried yet, not held by another run): under load the queue holds many small jobs, and one
   * transaction doing the work of many is what lets ingest keep up with intake. Their own jobs then
   * find them done and skip them. Taken-along events the batch path cannot apply (edits, deletions,
   * hydration, echoes) are left untouched for their own jobs.
   */
  private applyBatch(ctx: RequestContext, eventIds: string[]): Promise<string[]> {
    return this.db.run(ctx, async (tx) => {
      // SKIP LOCKED: an event another run holds is theirs to finish (or to retry).
      const own = await tx.query<EventRow>(
        `SELECT id, channel_id, platform, payload, status FROM inbound_events
          WHERE agency_id = $1 AND id = ANY($2::uuid[]) AND status = 'PENDING'
          ORDER BY id FOR UPDATE SKIP LOCKED`,
        [ctx.agencyId, eventIds],
      );
      if (own.length === 0) return [];
      const alongside = await tx.query<EventRow>(
        `SELECT id, channel_id, platform, payload, status FROM inbound_events
          WHERE agency_id = $1 AND status = 'PENDING' AND attempts = 0 AND id <> ALL($2::uuid[])
          ORDER BY received_at LIMIT $3 FOR UPDATE SKIP LOCKED`,
        [ctx.agencyId, eventIds, Math.max(0, IngestService.MAX_BATCH - own.length)],
      );
      const ownIds = new Set(own.map((e) => e.id));
      const events = [...own, ...alongside];
      const targets = await this.targets(ctx, [...new Set(events.map((e) => e.channel_id))]);

      const oneByOne: string[] = [];
      const done: { id: string; status: 'PROCESSED' | 'IGNORED' }[] = [];
      const items: PlacementItem[] = [];
      for (const event of events) {
        const connector = this.registry.forPlatform(event.platform);
        const { target, externalAccountId } = targets.get(event.channel_id)!;
        const normalized = connector.hydrate
          ? null
          : connector.normalize({ platform: event.platform, externalAccountId, payload: event.payload });
        if (!normalized || !normalized.every(isPlainMessage)) {
          if (ownIds.has(event.id)) oneByOne.push(event.id);
          continue;
        }
        for (const msg of normalized) items.push({ target, msg });
        done.push({ id: event.id, status: normalized.length > 0 ? 'PROCESSED' : 'IGNORED' });
      }
      await this.analyse(items, targets);
      if (items.length > 0) await this.threading.applyMessages(tx, items);
      await this.markDone(tx, done);
      return oneByOne;
    });
  }

  private async markDone(tx: TenantTx, done: { id: string; status: string }[]): Promise<void> {
    if (done.length === 0) return;
    await tx.execute(
      `UPDATE inbound_events e SET status = v.status, processed_at = now(), last_error = NULL
         FROM unnest($2::uuid[], $3::text[]) AS v(id, status)
        WHERE e.agency_id = $1 AND e.id = v.id`,
      [tx.agencyId, done.map((d) => d.id), done.map((d) => d.status)],
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
    try {
      // A connector that must fetch what a notification only names (hydrate) does so outside the
      // transaction, so no row lock is held across a platform call: the first pass finds out, the
      // fetch runs, the second pass applies. Events of every other connector take one pass.
      let hydrated: { payload: unknown } | null = null;
      for (;;) {
        const outcome = await this.applyEvent(ctx, eventId, hydrated);
        if (outcome !== 'NEEDS_HYDRATION') return outcome;
        hydrated = await this.hydrate(ctx, eventId);
        if (!hydrated) return 'SKIPPED';
      }
    } catch (e) {
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
      if (connector.hydrate && !hydrated) return 'NEEDS_HYDRATION';
      const targets = await this.targets(ctx, [event.channel_id]);
      const { target, externalAccountId } = targets.get(event.channel_id)!;
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

  /** Fetches what the notification names, with the channel's credentials; null when no longer PENDING. */
  private async hydrate(ctx: RequestContext, eventId: string): Promise<{ payload: unknown } | null> {
    const [event] = await this.db.run(ctx, (tx) =>
      tx.query<EventRow>(
        `SELECT id, channel_id, platform, payload, status FROM inbound_events WHERE agency_id = $1 AND id = $2`,
        [ctx.agencyId, eventId],
      ),
    );
    if (!event || event.status !== 'PENDING') return null;
    const connector = this.registry.forPlatform(event.platform);
    const channel = await this.channels.get(ctx, event.channel_id);
    const credentials = await this.credentials.open(ctx, channel.id);
    const delivery = {
      platform: event.platform,
      externalAccountId: channel.externalAccountId,
      payload: event.payload,
    };
    return { payload: await connector.hydrate!(delivery, credentials as unknown as Record<string, unknown>) };
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
    const giveUpAs = error instanceof MessageNotArrivedError ? 'IGNORED' : 'FAILED';
    const [row] = await this.db.run(ctx, (tx) =>
      tx.returning<{ status: string; attempts: number }>(
        `UPDATE inbound_events
            SET attempts = attempts + 1, last_error = $3,
                status = CASE WHEN attempts + 1 >= $4 THEN $5 ELSE status END,
                processed_at = CASE WHEN attempts + 1 >= $4 THEN now() ELSE processed_at END
          WHERE agency_id = $1 AND id = $2 AND status = 'PENDING'
          RETURNING status, attempts`,
        [ctx.agencyId, eventId, message, INGEST_MAX_ATTEMPTS, giveUpAs],
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

import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig, RequestContext, TenantDb } from '@caredesk/core';
import { BrandAccessService } from '@caredesk/brands';
import {
  Channel,
  ChannelCredentialsService,
  ChannelService,
  ConnectorRegistry,
  NormalizedEvent,
  Platform,
} from '@caredesk/channels';
import { MessageChangeService, MessageNotArrivedError } from '../threading/message-changes.service';
import { ThreadingService, ThreadingTarget } from '../threading/threading.service';
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
  private readonly log = new Logger(IngestService.name);

  constructor(
    private readonly db: TenantDb,
    private readonly registry: ConnectorRegistry,
    private readonly channels: ChannelService,
    private readonly credentials: ChannelCredentialsService,
    private readonly brands: BrandAccessService,
    private readonly threading: ThreadingService,
    private readonly changes: MessageChangeService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

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
      const channel = await this.channels.get(ctx, event.channel_id);
      const events = connector.normalize({
        platform: event.platform,
        externalAccountId: channel.externalAccountId,
        payload: hydrated ? hydrated.payload : event.payload,
      });
      if (events.length > 0) {
        const target = await this.target(ctx, channel);
        for (const e of events) await this.apply(ctx, target, e);
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

  private async target(ctx: RequestContext, channel: Channel): Promise<ThreadingTarget> {
    const brand = await this.brands.requireOne(ctx, channel.brandId);
    return {
      channelId: channel.id,
      brandId: channel.brandId,
      platform: channel.platform,
      reopenWindowHours: reopenWindowHours(brand.settings, this.config.pipeline.reopenWindowHours),
    };
  }

  private async apply(ctx: RequestContext, target: ThreadingTarget, e: NormalizedEvent): Promise<void> {
    switch (e.type) {
      case 'message':
        await this.threading.applyMessage(ctx, target, e);
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
    const rows = await this.db.run(ctx, (tx) =>
      tx.query<{ status: string; attempts: number }>(
        `UPDATE inbound_events
            SET attempts = attempts + 1, last_error = $3,
                status = CASE WHEN attempts + 1 >= $4 THEN $5 ELSE status END,
                processed_at = CASE WHEN attempts + 1 >= $4 THEN now() ELSE processed_at END
          WHERE agency_id = $1 AND id = $2 AND status = 'PENDING'
          RETURNING status, attempts`,
        [ctx.agencyId, eventId, message, INGEST_MAX_ATTEMPTS, giveUpAs],
      ),
    );
    const row = unwrap<{ status: string; attempts: number }>(rows)[0];
    if (!row) return 'SKIPPED';
    this.log.warn(`inbound event ${eventId} attempt ${row.attempts} failed: ${message}`);
    return row.status === 'PENDING' ? null : (row.status as IngestOutcome);
  }
}

function unwrap<R>(result: unknown): R[] {
  return (Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result) as R[];
}

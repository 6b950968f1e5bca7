import { Injectable } from '@nestjs/common';
import {
  AppError,
  isUuid,
  keysetPage,
  keysetPageArgs,
  PageInfo,
  RequestContext,
  Role,
  TenantDb,
  TenantTx,
} from '@caredesk/core';
import { AuditService } from '@caredesk/audit';
import { BrandAccessService } from '@caredesk/brands';
import { ChannelService } from '../channel.service';
import { Platform } from '../platform';
import { HeldInboundEventStatus, InboundEventDto } from './dto/inbound-event.dto';
import { IngestJobs } from './ingest-jobs';

export const MAX_PAGE = 200;

const STATUS_SQL: Record<HeldInboundEventStatus, string> = {
  [HeldInboundEventStatus.FAILED]: 'FAILED',
  [HeldInboundEventStatus.WAITING_FOR_RECONNECT]: 'WAITING_FOR_RECONNECT',
};

interface EventRow {
  id: string;
  platform: Platform;
  channel_id: string;
  brand_id: string;
  status: string;
  received_at: Date;
  attempts: number;
  last_error: string | null;
  payload: unknown;
}

const COLUMNS = `id, platform, channel_id, brand_id, status, received_at, attempts, last_error, payload`;

/** Which held events to list: FAILED or WAITING_FOR_RECONNECT, of one brand or channel or all visible. */
export interface HeldEventsFilter {
  status: HeldInboundEventStatus;
  brandId: string | null;
  channelId: string | null;
}

/**
 * Events the ingest worker gave up on (status FAILED, with the error), for an admin to read and send
 * through again once the cause is fixed (issue 3), and those waiting for their channel's reconnect
 * (WAITING_FOR_RECONNECT: a channel that needs reconnecting, or was disconnected while it did, holds
 * them until an admin reconnects it). ADMIN and above; a brand-scoped admin sees only
 * their brands' events. Raw SQL over inbound_events: the table belongs to the intake pipeline and
 * has no entity of its own.
 */
@Injectable()
export class FailedInboundEventsService {
  constructor(
    private readonly db: TenantDb,
    private readonly brands: BrandAccessService,
    private readonly audit: AuditService,
    private readonly jobs: IngestJobs,
    private readonly channels: ChannelService,
  ) {}

  /**
   * Newest first, keyset-paginated over (received_at, id): on inbound_events_failed_idx for FAILED;
   * WAITING_FOR_RECONNECT rows are few (inbound_events_waiting_idx finds them per channel). A brand or
   * channel the caller may not see is NOT_FOUND.
   */
  async list(
    ctx: RequestContext,
    filter: HeldEventsFilter,
    first = 50,
    after?: string | null,
  ): Promise<{ nodes: InboundEventDto[]; pageInfo: PageInfo }> {
    ctx.requireRole(Role.ADMIN);
    const { cursor } = keysetPageArgs(first, after, MAX_PAGE);

    const rows = await this.db.run(ctx, async (tx) => {
      const { brandId, channelId } = filter;
      if (brandId != null) await this.brands.requireOne(ctx, brandId);
      if (channelId != null) await this.channels.get(ctx, channelId); // NOT_FOUND unless visible
      // A literal, not a parameter: each status has its own partial index.
      const where = [`status = '${STATUS_SQL[filter.status]}'`];
      const params: unknown[] = [];
      if (channelId != null) {
        params.push(channelId);
        where.push(`channel_id = $${params.length}`);
      }
      if (brandId != null) {
        params.push(brandId);
        where.push(`brand_id = $${params.length}`);
      } else if (ctx.brandIds !== null) {
        params.push([...ctx.brandIds]);
        where.push(`brand_id = ANY($${params.length}::uuid[])`);
      }
      if (cursor) {
        params.push(cursor.createdAt, cursor.id);
        where.push(`(received_at, id) < ($${params.length - 1}, $${params.length})`);
      }
      params.push(first + 1);
      return tx.query<EventRow>(
        `SELECT ${COLUMNS} FROM inbound_events WHERE ${where.join(' AND ')}
         ORDER BY received_at DESC, id DESC LIMIT $${params.length}`,
        params,
      );
    });

    const page = keysetPage(rows, first, (r) => r.received_at);
    return { nodes: page.nodes.map(toDto), pageInfo: page.pageInfo };
  }

  /**
   * FAILED → PENDING with a fresh set of attempts (the ingest worker gives up after
   * INGEST_MAX_ATTEMPTS, so keeping the count would allow a single try), enqueued after the commit.
   * The audit row keeps the history: how many attempts failed and the last error. Retrying an event that is already PENDING changes nothing; a PROCESSED or IGNORED one is a
   * CONFLICT. Audited.
   */
  async retry(ctx: RequestContext, id: string): Promise<InboundEventDto> {
    ctx.requireRole(Role.ADMIN);
    return this.db.run(ctx, async (tx) => {
      const row = await lockVisible(ctx, tx, id);
      if (row.status === 'PENDING') return toDto(row);
      if (row.status === 'WAITING_FOR_RECONNECT') {
        throw AppError.conflict(
          'This event waits for its channel: reconnecting the channel sends it through',
        );
      }
      if (row.status !== 'FAILED')
        throw AppError.conflict(`Only a failed event can be retried (it is ${row.status})`);

      await tx.execute(
        `UPDATE inbound_events SET status = 'PENDING', processed_at = NULL, attempts = 0 WHERE id = $1`,
        [id],
      );
      await this.audit.record(ctx, {
        action: 'inbound_event.retry',
        entityType: 'inbound_event',
        entityId: id,
        brandId: row.brand_id,
        changes: {
          status: { from: 'FAILED', to: 'PENDING' },
          failedAttempts: row.attempts,
          lastError: row.last_error,
        },
      });
      tx.afterCommit(() => this.jobs.requeue([{ agencyId: ctx.agencyId, eventId: id }]));
      return toDto({ ...row, status: 'PENDING', attempts: 0 });
    });
  }

  /**
   * FAILED or WAITING_FOR_RECONNECT → IGNORED: an admin decides an entry will never be processed (its
   * cause cannot be fixed, the channel will not be reconnected), so it leaves the lists and stops
   * holding what it names (attachment bytes: the collector keeps those of FAILED and waiting events).
   * The payload stays for the record. Dismissing an IGNORED event again changes nothing; a PENDING
   * (in flight) or PROCESSED one is a CONFLICT. Audited with the error it had.
   */
  async dismiss(ctx: RequestContext, id: string): Promise<InboundEventDto> {
    ctx.requireRole(Role.ADMIN);
    return this.db.run(ctx, async (tx) => {
      const row = await lockVisible(ctx, tx, id);
      if (row.status === 'IGNORED') return toDto(row);
      if (row.status !== 'FAILED' && row.status !== 'WAITING_FOR_RECONNECT') {
        throw AppError.conflict(`Only a failed or waiting event can be dismissed (it is ${row.status})`);
      }
      await tx.execute(`UPDATE inbound_events SET status = 'IGNORED', processed_at = now() WHERE id = $1`, [
        id,
      ]);
      await this.audit.record(ctx, {
        action: 'inbound_event.dismiss',
        entityType: 'inbound_event',
        entityId: id,
        brandId: row.brand_id,
        changes: {
          status: { from: row.status, to: 'IGNORED' },
          attempts: row.attempts,
          lastError: row.last_error,
        },
      });
      return toDto({ ...row, status: 'IGNORED' });
    });
  }
}

/** The event, locked for a change; NOT_FOUND when missing, another agency's (RLS) or of a brand out of scope. */
async function lockVisible(ctx: RequestContext, tx: TenantTx, id: string): Promise<EventRow> {
  const [row] = isUuid(id)
    ? await tx.query<EventRow>(`SELECT ${COLUMNS} FROM inbound_events WHERE id = $1 FOR UPDATE`, [id])
    : [];
  if (!row || !ctx.canSeeBrand(row.brand_id)) throw AppError.notFound('Inbound event');
  return row;
}

function toDto(r: EventRow): InboundEventDto {
  return {
    id: r.id,
    platform: r.platform,
    channelId: r.channel_id,
    brandId: r.brand_id,
    status: r.status,
    receivedAt: new Date(r.received_at),
    attempts: r.attempts,
    lastError: r.last_error,
    payload: r.payload,
  };
}

import { Injectable } from '@nestjs/common';
import { PerRequestLoader, RequestContext, TenantDb } from '@caredesk/core';
import { ChannelBacklogDto } from './dto/channel-backlog.dto';

/**
 * `Channel.waiting` for every channel of a response in one statement (both counts come from the
 * partial WAITING_FOR_RECONNECT indexes of outbound_messages and inbound_events), per request
 * (PerRequestLoader). The channels were resolved for the caller already; the counts are of this
 * agency's rows only.
 */
@Injectable()
export class ChannelBacklogLoader {
  private readonly loader = new PerRequestLoader((ctx, ids) => this.count(ctx, ids));

  constructor(private readonly db: TenantDb) {}

  load(request: object, ctx: RequestContext, channelId: string): Promise<ChannelBacklogDto> {
    return this.loader.load(request, ctx, channelId);
  }

  private async count(ctx: RequestContext, ids: readonly string[]): Promise<ChannelBacklogDto[]> {
    const rows = await this.db.run(ctx, (tx) =>
      tx.query<{ id: string; replies: number; inbound_events: number }>(
        `SELECT c.id,
                (SELECT count(*) FROM outbound_messages o
                  WHERE o.agency_id = $1 AND o.channel_id = c.id AND o.status = 'WAITING_FOR_RECONNECT')::int AS replies,
                (SELECT count(*) FROM inbound_events e
                  WHERE e.agency_id = $1 AND e.channel_id = c.id AND e.status = 'WAITING_FOR_RECONNECT')::int
                  AS inbound_events
           FROM unnest($2::uuid[]) AS c(id)`,
        [ctx.agencyId, [...ids]],
      ),
    );
    const byId = new Map(rows.map((r) => [r.id, { replies: r.replies, inboundEvents: r.inbound_events }]));
    return ids.map((id) => byId.get(id) ?? { replies: 0, inboundEvents: 0 });
  }
}

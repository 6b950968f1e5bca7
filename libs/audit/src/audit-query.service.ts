import { Injectable } from '@nestjs/common';
import { keysetPage, keysetPageArgs, PageInfo, RequestContext, Role, TenantDb } from '@caredesk/core';
import { BrandAccessService } from '@caredesk/brands';
import { AuditEvent } from './audit-event.entity';
import { AuditEventsFilter } from './dto/audit-events.filter';

export const MAX_PAGE = 200;

export interface AuditPage {
  nodes: AuditEvent[];
  pageInfo: PageInfo;
}

/**
 * Reads the audit log, newest first, with keyset pagination over (created_at, id) so a page is one
 * index range scan on audit_events_recent_idx however deep the client pages.
 */
@Injectable()
export class AuditQueryService {
  constructor(
    private readonly db: TenantDb,
    private readonly brands: BrandAccessService,
  ) {}

  async list(
    ctx: RequestContext,
    filter: AuditEventsFilter = {},
    first = 50,
    after?: string | null,
  ): Promise<AuditPage> {
    ctx.requireRole(Role.ADMIN);
    const { cursor } = keysetPageArgs(first, after, MAX_PAGE);
    if (filter.brandId !== undefined && filter.brandId !== null)
      await this.brands.requireOne(ctx, filter.brandId);

    const rows = await this.db.run(ctx, (tx) => {
      const q = tx.repo(AuditEvent).createQueryBuilder('e');
      if (filter.action) q.andWhere('e.action = :action', { action: filter.action });
      if (filter.entityType) q.andWhere('e.entityType = :entityType', { entityType: filter.entityType });
      if (filter.entityId) q.andWhere('e.entityId = :entityId', { entityId: filter.entityId });
      if (filter.brandId) q.andWhere('e.brandId = :brandId', { brandId: filter.brandId });
      if (filter.actorUserId) q.andWhere('e.actorUserId = :actorUserId', { actorUserId: filter.actorUserId });
      if (filter.from) q.andWhere('e.createdAt >= :from', { from: filter.from });
      if (filter.to) q.andWhere('e.createdAt < :to', { to: filter.to });
      // A brand-scoped admin sees agency-wide events and those of their own brands only.
      if (ctx.brandIds !== null) {
        q.andWhere(
          ctx.brandIds.length ? '(e.brandId IS NULL OR e.brandId IN (:...scope))' : 'e.brandId IS NULL',
          {
            scope: [...ctx.brandIds],
          },
        );
      }
      if (cursor) {
        q.andWhere('(e.createdAt, e.id) < (:at, :id)', { at: cursor.createdAt, id: cursor.id });
      }
      return q
        .orderBy('e.createdAt', 'DESC')
        .addOrderBy('e.id', 'DESC')
        .take(first + 1)
        .getMany();
    });

    return keysetPage(rows, first, (r) => r.createdAt);
  }
}

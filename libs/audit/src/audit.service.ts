import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { RequestContext, Role, TenantDb } from '@caredesk/core';
import { AuditEvent } from './audit-event.entity';

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId?: string | null;
  brandId?: string | null;
  changes?: Record<string, unknown>;
  /** Overrides the actor label (e.g. the invitee's email when an invitation is accepted). */
  actorLabel?: string;
}

/**
 * Records who did what to which entity. Call it inside the mutation's own transaction (TenantDb
 * joins the open one), so the change and its audit row commit or roll back together.
 */
@Injectable()
export class AuditService {
  constructor(private readonly db: TenantDb) {}

  /** Mutations by OWNER, ADMIN and MANAGER (and API keys and the system) are audited; agents' inbox work is not. */
  shouldRecord(ctx: RequestContext): boolean {
    return ctx.actor.kind !== 'user' || ctx.hasRole(Role.MANAGER);
  }

  async record(ctx: RequestContext, entry: AuditEntry): Promise<void> {
    if (!this.shouldRecord(ctx)) return;
    await this.db.run(ctx, (tx) =>
      tx.repo(AuditEvent).insert({
        id: randomUUID(),
        actorUserId: ctx.actor.kind === 'user' ? ctx.actor.userId : null,
        actorApiKeyId: ctx.actor.kind === 'apiKey' ? ctx.actor.apiKeyId : null,
        actorLabel: entry.actorLabel ?? actorLabel(ctx),
        action: entry.action,
        entityType: entry.entityType,
        entityId: entry.entityId ?? null,
        brandId: entry.brandId ?? null,
        changes: entry.changes ?? {},
        ip: ctx.ip ?? null,
      }),
    );
  }
}

function actorLabel(ctx: RequestContext): string {
  switch (ctx.actor.kind) {
    case 'user':
      return `user:${ctx.actor.userId}`;
    case 'apiKey':
      return `api_key:${ctx.actor.apiKeyId}`;
    case 'system':
      return `system:${ctx.actor.reason}`;
  }
}

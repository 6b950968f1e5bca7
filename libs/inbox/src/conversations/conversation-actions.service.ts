import { Injectable } from '@nestjs/common';
import { AuditService } from '@caredesk/audit';
import {
  AppError,
  isUuid,
  RequestContext,
  Role,
  TenantDb,
  TenantTx,
  USER_ACTION_RETRIES,
} from '@caredesk/core';
import { LiveEvents } from '../live/live-events';
import { normalizeTagNames } from '../tags/tag-names';
import { TagService } from '../tags/tag.service';
import { FIRST_UNANSWERED_SQL } from './awaiting-reply.sql';
import { LockedConversation, lockVisible } from './conversation-access';
import { ConversationQueryService } from './conversation-query.service';
import { ConversationPriority, ConversationStatus, NoReplyNeededReason } from './dto/conversation-enums';
import { ConversationDto } from './dto/conversation.dto';
import { membersWhoCanSee } from './member-directory';

/** Postgres unique_violation: reopening a thread whose key already has an unresolved conversation. */
const UNIQUE_VIOLATION = '23505';

/**
 * What agents do to conversations (AGENT+): assign, status, priority, tags, "no reply needed", and
 * the bulk forms. Each call is one transaction over every conversation it names, all-or-nothing:
 * one id the caller may not see → NOT_FOUND and nothing changes. MANAGER+ calls are audited (the
 * audit service decides); live subscribers hear of each change after commit.
 */
@Injectable()
export class ConversationActionsService {
  constructor(
    private readonly db: TenantDb,
    private readonly reader: ConversationQueryService,
    private readonly tags: TagService,
    private readonly audit: AuditService,
    private readonly live: LiveEvents,
  ) {}

  async assign(
    ctx: RequestContext,
    ids: readonly string[],
    userId: string | null,
  ): Promise<ConversationDto[]> {
    return this.change(ctx, ids, 'ASSIGNEE', 'conversation.assign', async (tx, rows) => {
      if (userId !== null) {
        // The assignee must be able to work every brand involved; otherwise it is a bad choice of
        // person (BAD_USER_INPUT), not a missing conversation.
        const ok = isUuid(userId) && (await membersWhoCanSee(tx, brandsOf(rows), [userId])).length === 1;
        if (!ok) throw AppError.badInput('Assign to a member who can see the brand', 'userId');
      }
      await tx.execute(
        `UPDATE conversations SET assignee_user_id = $3, updated_at = now() WHERE agency_id = $1 AND id = ANY($2::uuid[])`,
        [tx.agencyId, idsOf(rows), userId],
      );
      return { assigneeUserId: userId };
    });
  }

  /** Hands conversations to a team of the agency (teamId null: none). An unknown team is BAD_USER_INPUT. */
  async setTeam(
    ctx: RequestContext,
    ids: readonly string[],
    teamId: string | null,
  ): Promise<ConversationDto[]> {
    return this.change(ctx, ids, 'TEAM', 'conversation.team', async (tx, rows) => {
      if (teamId !== null) {
        const [team] = isUuid(teamId)
          ? await tx.query(`SELECT 1 FROM teams WHERE agency_id = $1 AND id = $2`, [tx.agencyId, teamId])
          : [];
        if (!team) throw AppError.badInput('No such team', 'teamId');
      }
      await tx.execute(
        `UPDATE conversations SET team_id = $3, updated_at = now() WHERE agency_id = $1 AND id = ANY($2::uuid[])`,
        [tx.agencyId, idsOf(rows), teamId],
      );
      return { teamId };
    });
  }

  async setStatus(
    ctx: RequestContext,
    ids: readonly string[],
    status: ConversationStatus,
    snoozedUntil?: Date | null,
  ): Promise<ConversationDto[]> {
    if (status === ConversationStatus.SNOOZED) {
      if (!snoozedUntil) throw AppError.badInput('SNOOZED needs snoozedUntil', 'snoozedUntil');
      if (snoozedUntil.getTime() <= Date.now()) {
        throw AppError.badInput('snoozedUntil must be in the future', 'snoozedUntil');
      }
    } else if (snoozedUntil) {
      throw AppError.badInput('snoozedUntil is only for SNOOZED', 'snoozedUntil');
    }
    return this.change(ctx, ids, 'STATUS', 'conversation.status', async (tx, rows) => {
      try {
        // Resolving ends the customer's wait (LONGEST_WAITING lists only open work); reopening a
        // resolved conversation waits again from its first unanswered customer message, if any.
        await tx.execute(
          `UPDATE conversations c
              SET status = $3, snoozed_until = $4,
                  resolved_at = CASE WHEN $3 = 'RESOLVED' THEN coalesce(c.resolved_at, now()) ELSE NULL END,
                  awaiting_reply_since = CASE
                    WHEN $3 = 'RESOLVED' THEN NULL
                    WHEN c.status = 'RESOLVED' AND c.no_reply_needed_reason IS NULL THEN ${FIRST_UNANSWERED_SQL}
                    ELSE c.awaiting_reply_since END,
                  updated_at = now()
            WHERE c.agency_id = $1 AND c.id = ANY($2::uuid[])`,
          [tx.agencyId, idsOf(rows), status, status === ConversationStatus.SNOOZED ? snoozedUntil : null],
        );
      } catch (e) {
        if ((e as { code?: string }).code === UNIQUE_VIOLATION) {
          throw AppError.conflict('This thread already has an open conversation; work in that one');
        }
        throw e;
      }
      return { status, snoozedUntil: snoozedUntil ?? null };
    });
  }

  async setPriority(
    ctx: RequestContext,
    id: string,
    priority: ConversationPriority,
  ): Promise<ConversationDto> {
    const [node] = await this.change(ctx, [id], 'PRIORITY', 'conversation.priority', async (tx, rows) => {
      await tx.execute(
        `UPDATE conversations SET priority = $3, updated_at = now() WHERE agency_id = $1 AND id = ANY($2::uuid[])`,
        [tx.agencyId, idsOf(rows), priority],
      );
      return { priority };
    });
    return node;
  }

  async addTags(ctx: RequestContext, ids: readonly string[], names: string[]): Promise<ConversationDto[]> {
    const tags = normalizeTagNames(names ?? []);
    return this.change(ctx, ids, 'TAGS', 'conversation.tag_add', async (tx, rows) => {
      await this.tags.attach(tx, rows, tags);
      return { added: tags };
    });
  }

  async removeTags(ctx: RequestContext, id: string, names: string[]): Promise<ConversationDto> {
    const tags = normalizeTagNames(names ?? []);
    const [node] = await this.change(ctx, [id], 'TAGS', 'conversation.tag_remove', async (tx, rows) => {
      await this.tags.detach(tx, rows, tags);
      return { removed: tags };
    });
    return node;
  }

  /**
   * Marks a conversation as needing no answer (metrics exclude it): it no longer waits for a reply.
   * `reason: null` clears the mark, and an unresolved conversation waits again from its first
   * customer message after the brand's last one.
   */
  async setNoReplyNeeded(
    ctx: RequestContext,
    id: string,
    reason: NoReplyNeededReason | null,
  ): Promise<ConversationDto> {
    const [node] = await this.change(
      ctx,
      [id],
      'NO_REPLY_NEEDED',
      'conversation.no_reply_needed',
      async (tx, rows) => {
        await tx.execute(
          reason
            ? `UPDATE conversations SET no_reply_needed_reason = $3, no_reply_needed_at = now(),
                    awaiting_reply_since = NULL, updated_at = now()
              WHERE agency_id = $1 AND id = ANY($2::uuid[])`
            : `UPDATE conversations c SET no_reply_needed_reason = NULL, no_reply_needed_at = NULL,
                    awaiting_reply_since = CASE WHEN c.status = 'RESOLVED' THEN NULL ELSE ${FIRST_UNANSWERED_SQL} END,
                    updated_at = now()
              WHERE c.agency_id = $1 AND c.id = ANY($2::uuid[]) AND $3::text IS NULL`,
          [tx.agencyId, idsOf(rows), reason],
        );
        return { reason };
      },
    );
    return node;
  }

  /**
   * The shape of every action: lock and check the ids, apply, audit, publish after commit, and read
   * the changed nodes back in the same transaction (one statement). Run again, up to twice, when
   * PostgreSQL picks it as a deadlock's victim: ingest touches and folds conversations in its own lock
   * order (a merge locks the folded one after the kept one it has just updated), so an agent's action
   * on the same conversations can meet it in a cycle; nothing was written, and the agent's action
   * should not fail for it.
   */
  private async change(
    ctx: RequestContext,
    ids: readonly string[],
    change: string,
    action: string,
    apply: (tx: TenantTx, rows: LockedConversation[]) => Promise<Record<string, unknown>>,
  ): Promise<ConversationDto[]> {
    ctx.requireRole(Role.AGENT);
    return this.db.run(
      ctx,
      async (tx) => {
        const rows = await lockVisible(ctx, tx, ids);
        const changes = await apply(tx, rows);
        await this.audit.record(ctx, {
          action,
          entityType: 'conversation',
          entityId: rows.length === 1 ? rows[0].id : null,
          brandId: brandsOf(rows).length === 1 ? rows[0].brandId : null,
          changes: rows.length === 1 ? changes : { ...changes, conversationIds: idsOf(rows) },
        });
        tx.afterCommit(async () => {
          for (const r of rows) {
            await this.live.conversationChanged(ctx.agencyId, {
              brandId: r.brandId,
              conversationId: r.id,
              change,
            });
          }
        });
        return this.reader.byIds(ctx, [...new Set(ids)]);
      },
      USER_ACTION_RETRIES,
    );
  }
}

const idsOf = (rows: LockedConversation[]) => rows.map((r) => r.id);
const brandsOf = (rows: LockedConversation[]) => [...new Set(rows.map((r) => r.brandId))];

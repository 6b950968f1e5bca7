import { Injectable } from '@nestjs/common';
import { BrandAccessService } from '@caredesk/brands';
import { AppError, isUuid, RequestContext, Role, TenantDb } from '@caredesk/core';
import { MessageDto } from '../dto/message.dto';
import { Message } from '../entities/message.entity';
import {
  afterSql,
  decodeConversationCursor,
  encodeConversationCursor,
  filterSql,
  orderSql,
  Params,
  sortKeySql,
} from './conversation-query';
import { loadNodes, NodeRow, nodeSelectSql, toNode } from './conversation-rows';
import {
  ConversationConnection,
  ConversationCounts,
  MessageConnection,
} from './dto/conversation-connection.dto';
import { ConversationSort, ConversationStatus } from './dto/conversation-enums';
import { ConversationFilter } from './dto/conversation-filter.input';
import { ConversationDto } from './dto/conversation.dto';

export const PAGE_DEFAULT = 25;
export const PAGE_MAX = 100;

/**
 * Reading the inbox: the portfolio list across the caller's brands, badge counts, one conversation.
 * Every read is one statement per page, whatever its size (plus one brand check when the filter
 * names brands). AGENT and above: a CLIENT_VIEWER sees reports, never the inbox.
 */
@Injectable()
export class ConversationQueryService {
  constructor(
    private readonly db: TenantDb,
    private readonly brandAccess: BrandAccessService,
  ) {}

  async list(
    ctx: RequestContext,
    args: { filter?: ConversationFilter; sort?: ConversationSort; first?: number; after?: string },
  ): Promise<ConversationConnection> {
    ctx.requireRole(Role.AGENT);
    const sort = args.sort ?? ConversationSort.NEWEST;
    const first = pageSize(args.first);
    const cursor = args.after ? decodeConversationCursor(args.after, sort) : null;

    return this.db.run(ctx, async (tx) => {
      await this.checkBrands(ctx, args.filter);
      const p = new Params();
      const where = filterSql(ctx, args.filter, p);
      if (sort === ConversationSort.LONGEST_WAITING) where.push('c.awaiting_reply_since IS NOT NULL');
      if (cursor) where.push(afterSql(cursor, p));
      const inner = `SELECT * FROM conversations c WHERE ${where.join(' AND ')}
                      ORDER BY ${orderSql(sort)} LIMIT ${p.add(first + 1)}`;
      // Prepared: its text depends only on the filter's shape, and planning is half its cost.
      const rows = await tx.prepared<NodeRow>(
        nodeSelectSql(inner, sortKeySql(sort), orderSql(sort)),
        p.values,
      );
      const page = rows.slice(0, first);
      const edges = page.map((r) => ({
        cursor: encodeConversationCursor({ sort, key: r.sort_key!, id: r.id }),
        node: toNode(r),
      }));
      return {
        edges,
        pageInfo: { endCursor: edges.at(-1)?.cursor ?? null, hasNextPage: rows.length > first },
      };
    });
  }

  /** Per-status counts of the filter (its statuses ignored), for badges: one GROUP BY. */
  async counts(ctx: RequestContext, filter?: ConversationFilter): Promise<ConversationCounts> {
    ctx.requireRole(Role.AGENT);
    return this.db.run(ctx, async (tx) => {
      await this.checkBrands(ctx, filter);
      const p = new Params();
      const where = filterSql(ctx, filter, p, { statuses: false });
      const rows = await tx.query<{ status: ConversationStatus; n: number }>(
        `SELECT c.status, count(*)::int AS n FROM conversations c WHERE ${where.join(' AND ')} GROUP BY c.status`,
        p.values,
      );
      const n = (s: ConversationStatus) => rows.find((r) => r.status === s)?.n ?? 0;
      return {
        open: n(ConversationStatus.OPEN),
        pending: n(ConversationStatus.PENDING),
        snoozed: n(ConversationStatus.SNOOZED),
        resolved: n(ConversationStatus.RESOLVED),
        total: rows.reduce((sum, r) => sum + r.n, 0),
      };
    });
  }

  /** NOT_FOUND for a missing id, another agency's, or one of a brand outside the caller's scope. */
  async get(ctx: RequestContext, id: string): Promise<ConversationDto> {
    ctx.requireRole(Role.AGENT);
    if (!isUuid(id)) throw AppError.notFound('Conversation');
    const node = await this.db.run(ctx, async (tx) => (await loadNodes(tx, [id])).get(id));
    if (!node || !ctx.canSeeBrand(node.brandId)) throw AppError.notFound('Conversation');
    return node;
  }

  /** Nodes by id for the caller (e.g. after a mutation); ids it may not see are left out. */
  async byIds(ctx: RequestContext, ids: readonly string[]): Promise<ConversationDto[]> {
    const nodes = await this.db.run(ctx, (tx) => loadNodes(tx, ids));
    return ids
      .map((id) => nodes.get(id))
      .filter((n): n is ConversationDto => !!n && ctx.canSeeBrand(n.brandId));
  }

  /**
   * A conversation's messages, newest written first (the platform's time: deliveries arrive out of
   * order), keyset-paginated on (written_at, id) through messages_conversation_written_idx.
   */
  async messages(
    ctx: RequestContext,
    conversation: ConversationDto,
    args: { first?: number; after?: string },
  ): Promise<MessageConnection> {
    const first = pageSize(args.first);
    const cursor = args.after ? decodeConversationCursor(args.after, ConversationSort.NEWEST) : null;
    return this.db.run(ctx, async (tx) => {
      const p = new Params();
      const where = [`m.agency_id = ${p.add(ctx.agencyId)}`, `m.conversation_id = ${p.add(conversation.id)}`];
      if (cursor)
        where.push(`(m.written_at, m.id) < (${p.add(cursor.key)}::timestamptz, ${p.add(cursor.id)}::uuid)`);
      const rows = await tx.query<Message & { sort_key: string }>(
        `SELECT m.id, m.conversation_id AS "conversationId", m.brand_id AS "brandId", m.direction, m.visibility, m.body, m.status,
                m.external_id AS "externalId", m.failure_code AS "failureCode", m.failure_message AS "failureMessage",
                m.attachments, m.hidden_at AS "hiddenAt", m.deleted_at AS "deletedAt", m.edited_at AS "editedAt",
                m.rating, m.created_at AS "createdAt",
                m.style_guide_version_id AS "styleGuideVersionId", m.language, m.sentiment_score AS "sentimentScore",
                m.sentiment_label AS "sentimentLabel",
                m.written_at AS "writtenAt",
                to_char(m.written_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS sort_key
           FROM messages m WHERE ${where.join(' AND ')}
          ORDER BY m.written_at DESC, m.id DESC LIMIT ${p.add(first + 1)}`,
        p.values,
      );
      const edges = rows.slice(0, first).map((m) => ({
        cursor: encodeConversationCursor({ sort: ConversationSort.NEWEST, key: m.sort_key, id: m.id }),
        node: MessageDto.from(m),
      }));
      return {
        edges,
        pageInfo: { endCursor: edges.at(-1)?.cursor ?? null, hasNextPage: rows.length > first },
      };
    });
  }

  /** The contact's other conversations with this brand (contacts are per brand), newest first. */
  async earlier(ctx: RequestContext, conversation: ConversationDto, limit = 20): Promise<ConversationDto[]> {
    // No customer yet (a thread the brand started): nobody's earlier conversations to show.
    if (!conversation.contactId) return [];
    return this.db.run(ctx, async (tx) => {
      const p = new Params();
      const inner = `SELECT * FROM conversations c
        WHERE c.agency_id = ${p.add(ctx.agencyId)} AND c.contact_id = ${p.add(conversation.contactId)}
          AND c.id <> ${p.add(conversation.id)}
        ORDER BY c.created_at DESC, c.id DESC LIMIT ${p.add(limit)}`;
      const rows = await tx.query<NodeRow>(
        nodeSelectSql(inner, 'NULL', 'c.created_at DESC, c.id DESC'),
        p.values,
      );
      return rows.map(toNode);
    });
  }

  /** Brand ids named by a filter must be visible: NOT_FOUND otherwise, like any other id. */
  private async checkBrands(ctx: RequestContext, filter?: ConversationFilter): Promise<void> {
    if (filter?.brandIds?.length) await this.brandAccess.requireVisible(ctx, filter.brandIds);
  }
}

function pageSize(first: number | undefined): number {
  const n = first ?? PAGE_DEFAULT;
  if (!Number.isInteger(n) || n < 1 || n > PAGE_MAX) {
    throw AppError.badInput(`first must be between 1 and ${PAGE_MAX}`, 'first');
  }
  return n;
}

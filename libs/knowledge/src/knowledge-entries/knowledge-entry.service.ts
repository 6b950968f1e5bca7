import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  AppError,
  isUniqueViolation,
  isUuid,
  RequestContext,
  Role,
  TenantDb,
  TenantTx,
} from '@caredesk/core';
import { AuditService } from '@caredesk/audit';
import { BrandAccessService } from '@caredesk/brands';
import { KnowledgeEntry } from '../entities/knowledge-entry.entity';
import { ConversationFactsReader } from '../shared/conversation-facts';
import { FUZZY_THRESHOLD_SQL, normalizeTags, requireText } from '../shared/fields';
import { normalizeLanguage } from '../shared/language';
import { Page, pageArgs, toPage } from '../shared/page';
import { searchBoxQuery } from '../search/search-terms';
import {
  CreateKnowledgeEntryInput,
  SaveReplyAsKnowledgeEntryInput,
  UpdateKnowledgeEntryInput,
} from './dto/knowledge-entry.inputs';

const SOURCE_KEY = 'knowledge_entries_source_key';

type NewEntry = Pick<
  KnowledgeEntry,
  'brandId' | 'question' | 'answer' | 'language' | 'tags' | 'sourceMessageId'
>;

/**
 * The knowledge bank. Who may do what (a decision, see README): agents read and add entries — they
 * answer the questions and are the first to know a good answer, and "save this reply" is their
 * button — while changing or deleting an entry is curation, for MANAGER and above. Writes by
 * managers and above are audited (AuditService decides).
 */
@Injectable()
export class KnowledgeEntryService {
  constructor(
    private readonly db: TenantDb,
    private readonly brands: BrandAccessService,
    private readonly audit: AuditService,
    private readonly facts: ConversationFactsReader,
  ) {}

  /** Newest first; `search` matches question, tag and answer words as prefixes, or the question by trigram similarity. */
  async list(
    ctx: RequestContext,
    brandId: string,
    opts: { search?: string | null; first: number; after?: string | null },
  ): Promise<Page<KnowledgeEntry>> {
    ctx.requireRole(Role.AGENT);
    const { first, cursor } = pageArgs(opts.first, opts.after);
    await this.brands.requireOne(ctx, brandId);
    return this.db.run(ctx, async (tx) => {
      const q = tx.repo(KnowledgeEntry).createQueryBuilder('k').andWhere('k.brandId = :brandId', { brandId });
      const search = opts.search?.trim();
      if (search) {
        await tx.query(FUZZY_THRESHOLD_SQL);
        const tsq = searchBoxQuery(search);
        q.andWhere(
          tsq
            ? `(:search <% k.question OR k.search @@ (to_tsquery('simple', :tsq) || to_tsquery('simple', knowledge_unaccent(:tsq))))`
            : ':search <% k.question',
          { search, tsq },
        );
      }
      if (cursor) q.andWhere('(k.createdAt, k.id) < (:at, :id)', { at: cursor.createdAt, id: cursor.id });
      const rows = await q
        .orderBy('k.createdAt', 'DESC')
        .addOrderBy('k.id', 'DESC')
        .take(first + 1)
        .getMany();
      return toPage(rows, first);
    });
  }

  async create(ctx: RequestContext, input: CreateKnowledgeEntryInput): Promise<KnowledgeEntry> {
    ctx.requireRole(Role.AGENT);
    const brand = await this.brands.requireOne(ctx, input.brandId);
    return this.insert(ctx, 'knowledge_entry.create', {
      brandId: brand.id,
      question: requireText(input.question, 'question', 2000),
      answer: requireText(input.answer, 'answer', 10_000),
      language: input.language ? normalizeLanguage(input.language) : (brand.languages[0] ?? 'en'),
      tags: normalizeTags(input.tags),
      sourceMessageId: null,
    });
  }

  /**
   * An agent's reply becomes an entry: the reply is the answer; the question is the one given or the
   * customer's message the reply answered (the latest inbound message before it). One entry per
   * reply: saving it again is a CONFLICT.
   */
  async saveReply(ctx: RequestContext, input: SaveReplyAsKnowledgeEntryInput): Promise<KnowledgeEntry> {
    ctx.requireRole(Role.AGENT);
    const given = input.question?.trim() ? requireText(input.question, 'question', 2000) : null;
    const tags = normalizeTags(input.tags);
    return this.db.run(ctx, async (tx) => {
      const reply = await this.facts.message(ctx, tx, input.messageId);
      if (reply.direction !== 'OUTBOUND') {
        throw AppError.badInput("Only an agent's reply can be saved as an answer", 'messageId');
      }
      const answer = requireText(reply.body, 'answer', 10_000);
      const asked = await this.facts.lastInbound(tx, reply.conversationId, reply);
      const question = given ?? (asked ? asked.body.trim().slice(0, 2000) : null);
      if (!question) {
        throw AppError.badInput('No customer message precedes this reply; give the question', 'question');
      }
      const brand = await this.brands.requireOne(ctx, reply.brandId);
      const language = asked?.language ? normalizeLanguage(asked.language) : (brand.languages[0] ?? 'en');
      const [exists] = await tx.query(
        `SELECT 1 FROM knowledge_entries WHERE agency_id = $1 AND source_message_id = $2`,
        [tx.agencyId, reply.id],
      );
      if (exists) throw AppError.conflict('This reply is already in the knowledge bank');
      return this.insert(ctx, 'knowledge_entry.save_reply', {
        brandId: reply.brandId,
        question,
        answer,
        language,
        tags,
        sourceMessageId: reply.id,
      });
    });
  }

  async update(ctx: RequestContext, input: UpdateKnowledgeEntryInput): Promise<KnowledgeEntry> {
    ctx.requireRole(Role.MANAGER);
    const patch: Partial<NewEntry> = {};
    if (input.question != null) patch.question = requireText(input.question, 'question', 2000);
    if (input.answer != null) patch.answer = requireText(input.answer, 'answer', 10_000);
    if (input.language != null) patch.language = normalizeLanguage(input.language);
    if (input.tags != null) patch.tags = normalizeTags(input.tags);
    return this.db.run(ctx, async (tx) => {
      const before = await this.visible(ctx, tx, input.id);
      const changes: Record<string, unknown> = {};
      for (const [key, to] of Object.entries(patch)) {
        const from = before[key as keyof KnowledgeEntry];
        if (JSON.stringify(from) !== JSON.stringify(to)) changes[key] = { from, to };
      }
      if (Object.keys(changes).length === 0) return before;
      await tx.repo(KnowledgeEntry).update({ id: before.id }, patch);
      await this.audit.record(ctx, {
        action: 'knowledge_entry.update',
        entityType: 'knowledge_entry',
        entityId: before.id,
        brandId: before.brandId,
        changes,
      });
      return (await tx.repo(KnowledgeEntry).findOneBy({ id: before.id }))!;
    });
  }

  async delete(ctx: RequestContext, id: string): Promise<boolean> {
    ctx.requireRole(Role.MANAGER);
    return this.db.run(ctx, async (tx) => {
      const entry = await this.visible(ctx, tx, id);
      await tx.repo(KnowledgeEntry).delete({ id: entry.id });
      await this.audit.record(ctx, {
        action: 'knowledge_entry.delete',
        entityType: 'knowledge_entry',
        entityId: entry.id,
        brandId: entry.brandId,
        changes: { question: entry.question },
      });
      return true;
    });
  }

  /** NOT_FOUND when missing, another agency's or of a brand out of the caller's scope. */
  async visible(ctx: RequestContext, tx: TenantTx, id: string): Promise<KnowledgeEntry> {
    const entry = isUuid(id) ? await tx.repo(KnowledgeEntry).findOneBy({ id }) : null;
    if (!entry || !ctx.canSeeBrand(entry.brandId)) throw AppError.notFound('Knowledge entry');
    return entry;
  }

  private async insert(ctx: RequestContext, action: string, entry: NewEntry): Promise<KnowledgeEntry> {
    try {
      return await this.db.run(ctx, async (tx) => {
        const id = randomUUID();
        await tx.repo(KnowledgeEntry).insert({ id, ...entry, createdByUserId: ctx.userId });
        await this.audit.record(ctx, {
          action,
          entityType: 'knowledge_entry',
          entityId: id,
          brandId: entry.brandId,
          changes: { ...entry },
        });
        return (await tx.repo(KnowledgeEntry).findOneBy({ id }))!;
      });
    } catch (e) {
      // Two saves of one reply racing past the check above.
      if (isUniqueViolation(e, SOURCE_KEY))
        throw AppError.conflict('This reply is already in the knowledge bank');
      throw e;
    }
  }
}

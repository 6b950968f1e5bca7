import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { AppError, RequestContext, Role, TenantDb, TenantTx } from '@caredesk/core';
import { CannedReplyService } from '../canned-replies/canned-reply.service';
import { CannedReplyDto } from '../canned-replies/dto/canned-reply.dto';
import { CannedReply } from '../entities/canned-reply.entity';
import { KnowledgeEntry } from '../entities/knowledge-entry.entity';
import { KnowledgeEntryDto } from '../knowledge-entries/dto/knowledge-entry.dto';
import { ConversationFactsReader } from '../shared/conversation-facts';
import { primaryAliases } from '../shared/language';
import { suggestionQuery } from '../search/search-terms';
import { SuggestionDto, SuggestionKind } from './dto/suggestion.dto';

export const MAX_SUGGESTIONS = 20;

/** How much an entry in the conversation's language outranks an equally good one in another. */
export const LANGUAGE_BOOST = 1.5;

interface Ranked {
  id: string;
  score: number;
}

/**
 * `q`: the OR'ed terms (suggestionQuery), as written and without diacritics. ts_rank normalisation 1
 * divides by 1 + log(document length), so a long answer that mentions a word in passing does not
 * beat a short entry about it; the tsvector weights make the question (A) count more than tags (B)
 * and the answer (C).
 */
const QUERY = `SELECT to_tsquery('simple', $3) || to_tsquery('simple', knowledge_unaccent($3)) AS query`;
const SAME_LANGUAGE = (column: string) => `split_part(lower(${column}), '-', 1) = ANY($4)`;

const RANK_ENTRIES = `
  SELECT k.id, ts_rank(k.search, q.query, 1)
         * CASE WHEN ${SAME_LANGUAGE('k.language')} THEN ${LANGUAGE_BOOST} ELSE 1 END AS score
    FROM knowledge_entries k, (${QUERY}) q
   WHERE k.agency_id = $1 AND k.brand_id = $2 AND k.search @@ q.query
   ORDER BY score DESC, k.id LIMIT $5`;

// Candidates by either index (title/shortcut/tags, or a variant's body), then ranked on both.
const RANK_CANNED = `
  WITH q AS (${QUERY}),
  hits AS (
    SELECT r.id FROM canned_replies r, q WHERE r.agency_id = $1 AND r.brand_id = $2 AND r.search @@ q.query
    UNION
    SELECT v.canned_reply_id FROM canned_reply_variants v, q
     WHERE v.agency_id = $1 AND v.brand_id = $2 AND v.search @@ q.query)
  SELECT r.id,
         (ts_rank(r.search, q.query, 1) + coalesce(max(ts_rank(v.search, q.query, 1)), 0))
         * CASE WHEN bool_or(${SAME_LANGUAGE('v.language')}) THEN ${LANGUAGE_BOOST} ELSE 1 END AS score
    FROM hits h CROSS JOIN q
    JOIN canned_replies r ON r.agency_id = $1 AND r.id = h.id
    JOIN canned_reply_variants v ON v.agency_id = $1 AND v.canned_reply_id = r.id
   GROUP BY r.id, r.search, q.query
   ORDER BY score DESC, r.id LIMIT $5`;

/**
 * What might answer this conversation: knowledge entries and canned replies ranked by PostgreSQL
 * full-text ranking against the customer's latest message, the conversation's language preferred.
 * A fixed number of statements whatever `first` is.
 */
@Injectable()
export class SuggestionService {
  constructor(
    private readonly db: TenantDb,
    private readonly facts: ConversationFactsReader,
    private readonly replies: CannedReplyService,
  ) {}

  async suggest(ctx: RequestContext, conversationId: string, first = 5): Promise<SuggestionDto[]> {
    ctx.requireRole(Role.AGENT);
    if (!Number.isInteger(first) || first < 1 || first > MAX_SUGGESTIONS) {
      throw AppError.badInput(`first must be between 1 and ${MAX_SUGGESTIONS}`, 'first');
    }
    return this.db.run(ctx, async (tx) => {
      const conversation = await this.facts.conversation(ctx, tx, conversationId);
      const message = await this.facts.lastInbound(tx, conversation.id);
      const query = message ? suggestionQuery(message.body) : null;
      if (!message || !query) return [];
      const language = message.language ?? conversation.language;
      const params = [
        tx.agencyId,
        conversation.brandId,
        query,
        language ? primaryAliases(language) : [],
        first,
      ];
      const entries = await tx.query<Ranked>(RANK_ENTRIES, params);
      const canned = await tx.query<Ranked>(RANK_CANNED, params);

      const ranked = [
        ...entries.map((r) => ({ kind: SuggestionKind.KNOWLEDGE_ENTRY, id: r.id, score: Number(r.score) })),
        ...canned.map((r) => ({ kind: SuggestionKind.CANNED_REPLY, id: r.id, score: Number(r.score) })),
      ]
        .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id))
        .slice(0, first);
      return this.hydrate(tx, ranked);
    });
  }

  private async hydrate(
    tx: TenantTx,
    ranked: Array<{ kind: SuggestionKind; id: string; score: number }>,
  ): Promise<SuggestionDto[]> {
    const ids = (kind: SuggestionKind) => ranked.filter((r) => r.kind === kind).map((r) => r.id);
    const entryIds = ids(SuggestionKind.KNOWLEDGE_ENTRY);
    const replyIds = ids(SuggestionKind.CANNED_REPLY);
    const entries = entryIds.length ? await tx.repo(KnowledgeEntry).findBy({ id: In(entryIds) }) : [];
    const replies = replyIds.length ? await tx.repo(CannedReply).findBy({ id: In(replyIds) }) : [];
    const variants = await this.replies.variantsOf(tx, replyIds);
    const entryById = new Map(entries.map((e) => [e.id, e]));
    const replyById = new Map(replies.map((r) => [r.id, r]));
    return ranked.map((r) => {
      const entry = entryById.get(r.id);
      const reply = replyById.get(r.id);
      return Object.assign(new SuggestionDto(), {
        kind: r.kind,
        score: r.score,
        knowledgeEntry: entry ? KnowledgeEntryDto.from(entry) : null,
        cannedReply: reply ? CannedReplyDto.from(reply, variants.get(reply.id) ?? []) : null,
      });
    });
  }
}

import { normaliseLanguageCode } from '@caredesk/analysis';
import { AppError, isUuid, RequestContext } from '@caredesk/core';
import { ConversationSort } from './dto/conversation-enums';
import { ConversationFilter } from './dto/conversation-filter.input';

/** Collects positional parameters while a statement is assembled. */
export class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

export const SEARCH_MIN_LENGTH = 3;
const SEARCH_MAX_LENGTH = 200;

/** Keyset position: the sort column's exact value (text, microseconds kept) and the id. */
export interface Cursor {
  sort: ConversationSort;
  key: string;
  id: string;
}

/**
 * Opaque to clients. The key is Postgres' own text of the timestamp (microseconds): a JS Date would
 * round to milliseconds and skip or repeat rows that share a millisecond.
 */
export function encodeConversationCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.sort, c.key, c.id])).toString('base64url');
}

export function decodeConversationCursor(cursor: string, sort: ConversationSort): Cursor {
  try {
    const [s, key, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (s !== sort) throw new Error('cursor of another sort');
    if (typeof key !== 'string' || !/^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(key) || !isUuid(id)) {
      throw new Error('bad cursor');
    }
    return { sort, key, id };
  } catch {
    throw AppError.badInput('Malformed cursor (or one from another sort)', 'after');
  }
}

/** The sort column as exact UTC text, for cursors. */
export function sortKeySql(sort: ConversationSort, alias = 'c'): string {
  const col = sort === ConversationSort.LONGEST_WAITING ? 'awaiting_reply_since' : 'last_message_at';
  return `to_char(${alias}.${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

export function orderSql(sort: ConversationSort, alias = 'c'): string {
  switch (sort) {
    case ConversationSort.NEWEST:
      return `${alias}.last_message_at DESC, ${alias}.id DESC`;
    case ConversationSort.OLDEST:
      return `${alias}.last_message_at ASC, ${alias}.id ASC`;
    case ConversationSort.LONGEST_WAITING:
      return `${alias}.awaiting_reply_since ASC, ${alias}.id ASC`;
  }
}

/**
 * WHERE conditions on `conversations c` for the caller's brand scope and a filter. Brand ids in the
 * filter must already be checked (BrandAccessService); here they only narrow. `statuses: false`
 * leaves the status filter out (the per-status counts).
 */
export function filterSql(
  ctx: RequestContext,
  filter: ConversationFilter | undefined,
  p: Params,
  opts: { statuses?: boolean } = {},
): string[] {
  const f = filter ?? {};
  const where = [`c.agency_id = ${p.add(ctx.agencyId)}`];
  // Brand scope first: a brand-limited member never sees other brands, whatever the filter says.
  if (f.brandIds) {
    // An empty list matches nothing, like every list in the filter.
    where.push(f.brandIds.length ? `c.brand_id = ANY(${p.add(f.brandIds)}::uuid[])` : 'false');
  }
  if (ctx.brandIds !== null) where.push(`c.brand_id = ANY(${p.add(ctx.brandIds)}::uuid[])`);

  const anyOf = (column: string, values: readonly string[] | undefined, cast = 'text') => {
    if (values === undefined || values === null) return;
    // An empty list matches nothing (the client asked for none of them), never everything.
    where.push(values.length ? `${column} = ANY(${p.add(values)}::${cast}[])` : 'false');
  };
  anyOf('c.channel_id', onlyUuids(f.channelIds), 'uuid');
  anyOf('c.kind', f.kinds);
  if (opts.statuses !== false) anyOf('c.status', f.statuses);
  anyOf('c.priority', f.priorities);
  anyOf('c.team_id', onlyUuids(f.teamIds), 'uuid');
  anyOf('c.language', f.languages && languageCodes(f.languages));
  anyOf('c.sentiment_label', f.sentiments);
  if (f.platforms) {
    where.push(
      f.platforms.length
        ? `EXISTS (SELECT 1 FROM channels ch WHERE ch.agency_id = c.agency_id AND ch.id = c.channel_id
                     AND ch.platform = ANY(${p.add(f.platforms)}::text[]))`
        : 'false',
    );
  }
  if (f.assignee) {
    const a = f.assignee;
    const given = [a.me === true, a.unassigned === true, a.userId != null].filter(Boolean).length;
    if (given !== 1) throw AppError.badInput('Give exactly one of me, unassigned, userId', 'assignee');
    if (a.unassigned) where.push('c.assignee_user_id IS NULL');
    else {
      const userId = a.me ? ctx.userId : a.userId!;
      // An API key is nobody: "me" matches nothing for it.
      where.push(userId && isUuid(userId) ? `c.assignee_user_id = ${p.add(userId)}::uuid` : 'false');
    }
  }
  if (f.tags) {
    const names = f.tags.map((t) => t.trim().toLowerCase()).filter(Boolean);
    where.push(
      names.length
        ? `EXISTS (SELECT 1 FROM conversation_tags ct JOIN tags t ON t.agency_id = ct.agency_id AND t.id = ct.tag_id
                    WHERE ct.agency_id = c.agency_id AND ct.conversation_id = c.id
                      AND lower(t.name) = ANY(${p.add(names)}::text[]))`
        : 'false',
    );
  }
  if (f.search !== undefined && f.search !== null) {
    const term = f.search.trim();
    const length = [...term].length;
    if (length < SEARCH_MIN_LENGTH || length > SEARCH_MAX_LENGTH) {
      throw AppError.badInput(
        `Search for ${SEARCH_MIN_LENGTH} to ${SEARCH_MAX_LENGTH} characters`,
        'filter.search',
      );
    }
    where.push(searchSql(p.add(`%${escapeLike(term)}%`)));
  }
  if (f.from && f.to && f.from.getTime() >= f.to.getTime()) {
    throw AppError.badInput('from must be before to', 'filter.from');
  }
  if (f.from) where.push(`c.last_message_at >= ${p.add(f.from)}`);
  if (f.to) where.push(`c.last_message_at < ${p.add(f.to)}`);
  return where;
}

/**
 * Filter languages in the form they are stored: 'nb', 'nn' and 'nb-NO' are Norwegian ('no'), 'EN-gb'
 * is 'en' (normaliseLanguageCode, the same mapping ingest applies). Not a language → BAD_USER_INPUT.
 */
function languageCodes(values: readonly string[]): string[] {
  return [
    ...new Set(
      values.map((v) => {
        const code = normaliseLanguageCode(v);
        if (!code) throw AppError.badInput(`Not a language code: "${v}"`, 'filter.languages');
        return code;
      }),
    ),
  ];
}

/** Keyset condition for the page after `cursor`. */
export function afterSql(cursor: Cursor, p: Params): string {
  const key = `${p.add(cursor.key)}::timestamptz`;
  const id = `${p.add(cursor.id)}::uuid`;
  switch (cursor.sort) {
    case ConversationSort.NEWEST:
      return `(c.last_message_at, c.id) < (${key}, ${id})`;
    case ConversationSort.OLDEST:
      return `(c.last_message_at, c.id) > (${key}, ${id})`;
    case ConversationSort.LONGEST_WAITING:
      return `(c.awaiting_reply_since, c.id) > (${key}, ${id})`;
  }
}

/** Up to this many matching messages, search looks the conversations up by id (see searchSql). */
const SEARCH_BY_ID_MAX = 5000;

/**
 * Conversations with a message matching `pattern` (an ILIKE pattern). A rare term (at most
 * SEARCH_BY_ID_MAX matching messages, found through the trigram index by
 * inbox_conversations_matching, see the inbox migration) → look those conversations up by id; a
 * common one → check each conversation in sort order (its messages by messages_conversation_written_idx)
 * until the page is full, which a common term fills fast. OFFSET 0 keeps PostgreSQL from turning
 * that EXISTS into one hashed scan of every message. Measured on 1M messages: 20–75 ms either way
 * (bench/inbox.ts).
 */
function searchSql(pattern: string): string {
  return `(CASE WHEN (SELECT count(*) FROM inbox_conversations_matching(${pattern}, ${SEARCH_BY_ID_MAX + 1})) <= ${SEARCH_BY_ID_MAX}
            THEN c.id IN (SELECT inbox_conversations_matching(${pattern}, ${SEARCH_BY_ID_MAX + 1}))
            ELSE EXISTS (SELECT 1 FROM messages m
                          WHERE m.agency_id = c.agency_id AND m.conversation_id = c.id AND m.body ILIKE ${pattern}
                         OFFSET 0) END)`;
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Malformed ids cannot match a uuid column; dropping them keeps the cast from raising. */
function onlyUuids(ids: string[] | undefined): string[] | undefined {
  return ids?.filter(isUuid);
}

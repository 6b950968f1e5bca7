import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { insertBrand, uniqueAccount } from '../channels/channel-helpers';
import { SignedUp, signUpAgency } from '../support/fixtures';
import { TestApp } from '../support/test-app';

export const NODE_FIELDS = `id brand { id name } channel { id platform displayName } platform kind subject status priority
  assignee { id name email } team { id name } tags { id brandId name }
  contact { id displayName avatarUrl identities { id platform externalUserId username displayName } }
  lastMessage { id direction body createdAt } language sentimentScore sentiment awaitingReplySince snoozedUntil
  noReplyNeeded { reason at } lastMessageAt resolvedAt createdAt`;

export const CONVERSATIONS = `query($filter: ConversationFilter, $sort: ConversationSort, $first: Int, $after: String) {
  conversations(filter: $filter, sort: $sort, first: $first, after: $after) {
    edges { cursor node { ${NODE_FIELDS} } } pageInfo { endCursor hasNextPage } } }`;
export const COUNTS = `query($filter: ConversationFilter) {
  conversationCounts(filter: $filter) { open pending snoozed resolved total } }`;
export const CONVERSATION = `query($id: ID!, $first: Int, $after: String) { conversation(id: $id) { ${NODE_FIELDS}
  messages(first: $first, after: $after) { edges { cursor node { id body direction createdAt } } pageInfo { endCursor hasNextPage } }
  notes { id body author { id } mentions { id email } createdAt }
  earlierConversations { id status } } }`;
export const TAGS = `query($brandId: ID!) { tags(brandId: $brandId) { id brandId name } }`;

/** An agency with brands, each with one channel (written as the owner: the inbox reads, it does not connect). */
export interface InboxAgency {
  owner: SignedUp;
  brands: Array<{ id: string; channelId: string; platform: string }>;
}

export async function seedInboxAgency(
  t: TestApp,
  platforms: string[] = ['FACEBOOK_PAGE', 'X'],
): Promise<InboxAgency> {
  const owner = await signUpAgency(t.gql, 'Inbox');
  const brands: InboxAgency['brands'] = [];
  for (const platform of platforms) {
    const id = await insertBrand(t, owner.agencyId, `Brand ${platform}`);
    const channelId = randomUUID();
    await t.ownerQuery(
      `INSERT INTO channels (agency_id, id, brand_id, platform, external_account_id, display_name, credentials_sealed)
       VALUES ($1, $2, $3, $4, $5, $6, 'v1.none.x.x.x')`,
      [owner.agencyId, channelId, id, platform, uniqueAccount(), `${platform} channel`],
    );
    brands.push({ id, channelId, platform });
  }
  return { owner, brands };
}

export interface ConvOptions {
  brand?: number;
  kind?: string;
  status?: string;
  priority?: string;
  assignee?: string | null;
  teamId?: string | null;
  language?: string | null;
  sentiment?: string | null;
  body?: string;
  /** Time of the (only, inbound) message and of last activity. */
  at?: Date;
  /** Awaiting a reply since `at` (default true). */
  awaiting?: boolean;
  contactId?: string;
  snoozedUntil?: Date | null;
}

/** A conversation with one inbound message; returns its id and contact id. */
export async function seedConv(
  t: TestApp,
  a: InboxAgency,
  o: ConvOptions = {},
): Promise<{ id: string; contactId: string; messageId: string }> {
  const brand = a.brands[o.brand ?? 0];
  const agencyId = a.owner.agencyId;
  const contactId = o.contactId ?? randomUUID();
  if (!o.contactId) {
    await t.ownerQuery(
      `INSERT INTO contacts (agency_id, id, brand_id, display_name) VALUES ($1, $2, $3, 'Carla Customer')`,
      [agencyId, contactId, brand.id],
    );
    await t.ownerQuery(
      `INSERT INTO contact_identities (agency_id, id, brand_id, contact_id, platform, external_user_id, username)
       VALUES ($1, $2, $3, $4, $5, $6, 'carla')`,
      [agencyId, randomUUID(), brand.id, contactId, brand.platform, `u-${randomUUID()}`],
    );
  }
  const id = randomUUID();
  const messageId = randomUUID();
  const at = o.at ?? new Date();
  const status = o.status ?? 'OPEN';
  await t.ownerQuery(
    `INSERT INTO conversations (agency_id, id, brand_id, channel_id, contact_id, kind, thread_key, status, priority,
        assignee_user_id, team_id, language, sentiment_label, sentiment_score, last_message_at, last_inbound_at,
        last_message_id, awaiting_reply_since, snoozed_until, resolved_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15, $16, $17, $18,
             CASE WHEN $8 = 'RESOLVED' THEN now() END)`,
    [
      agencyId,
      id,
      brand.id,
      brand.channelId,
      contactId,
      o.kind ?? 'DM',
      `t:${id}`,
      status,
      o.priority ?? 'NORMAL',
      o.assignee ?? null,
      o.teamId ?? null,
      o.language === undefined ? 'en' : o.language,
      o.sentiment === undefined ? 'NEUTRAL' : o.sentiment,
      o.sentiment === 'NEGATIVE' ? -0.8 : o.sentiment === 'POSITIVE' ? 0.8 : 0,
      at,
      messageId,
      o.awaiting === false ? null : at,
      o.snoozedUntil ?? null,
    ],
  );
  await t.ownerQuery(
    `INSERT INTO messages (agency_id, id, brand_id, channel_id, conversation_id, direction, external_id, body, created_at)
     VALUES ($1, $2, $3, $4, $5, 'INBOUND', $6, $7, $8)`,
    [
      agencyId,
      messageId,
      brand.id,
      brand.channelId,
      id,
      `m-${messageId}`,
      o.body ?? 'Where is my order?',
      at,
    ],
  );
  return { id, contactId, messageId };
}

/** Ids of every conversation the query answers, following cursors page by page. */
export async function allPages(
  client: SignedUp['client'],
  variables: Record<string, unknown>,
  first: number,
): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  for (let guard = 0; guard < 1000; guard++) {
    const data: { conversations: any } = await client.ok(CONVERSATIONS, { ...variables, first, after });
    const { conversations } = data;
    ids.push(...conversations.edges.map((e: any) => e.node.id));
    if (!conversations.pageInfo.hasNextPage) return ids;
    after = conversations.pageInfo.endCursor;
  }
  throw new Error('paging did not end');
}

/**
 * Counts every statement the API process sends to PostgreSQL (this test process runs the API): the
 * pg driver's Client.query is wrapped, so BEGIN, set_config and COMMIT count too. `dataOnly` leaves
 * transaction control out.
 */
export function statementCounter(): {
  /**
   * Counts the statements `work` (a read) issues. The count is of the whole process, so a background
   * task of the app (a mention mail, a sweep) can add to one run; the least of `runs` runs is the
   * read's own count.
   */
  measure<T>(work: () => Promise<T>, runs?: number): Promise<{ result: T; all: string[]; data: string[] }>;
  restore(): void;
} {
  const proto = Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  let log: string[] | null = null;
  proto.query = function (this: unknown, ...args: unknown[]) {
    const q = args[0];
    const text = typeof q === 'string' ? q : ((q as { text?: string })?.text ?? '');
    log?.push(text);
    return original.apply(this, args);
  };
  return {
    async measure(work, runs = 3) {
      let least: { result: Awaited<ReturnType<typeof work>>; all: string[]; data: string[] } | null = null;
      for (let i = 0; i < runs; i++) {
        log = [];
        try {
          const result = await work();
          const all = log;
          const data = all.filter(
            (s) => !/^\s*(BEGIN|START TRANSACTION|COMMIT|ROLLBACK|SELECT set_config\()/i.test(s),
          );
          if (!least || all.length < least.all.length) least = { result, all, data };
        } finally {
          log = null;
        }
      }
      return least!;
    },
    restore() {
      proto.query = original;
    },
  };
}

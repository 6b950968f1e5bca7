import { randomUUID } from 'node:crypto';
import { InboxAgency, seedConv, seedInboxAgency } from '../inbox/conversations.support';
import { TestApp } from '../support/test-app';

export const REPLY_FIELDS = `id brandId title shortcut tags usageCount lastUsedAt variants { language body } createdAt`;
export const CANNED_REPLIES = `query($brandId: ID!, $search: String, $language: String, $first: Int, $after: String) {
  cannedReplies(brandId: $brandId, search: $search, language: $language, first: $first, after: $after) {
    nodes { ${REPLY_FIELDS} } pageInfo { endCursor hasNextPage } } }`;
export const CREATE_REPLY = `mutation($input: CreateCannedReplyInput!) { createCannedReply(input: $input) { ${REPLY_FIELDS} } }`;
export const UPDATE_REPLY = `mutation($input: UpdateCannedReplyInput!) { updateCannedReply(input: $input) { ${REPLY_FIELDS} } }`;
export const DELETE_REPLY = `mutation($id: ID!) { deleteCannedReply(id: $id) }`;
export const RENDER = `mutation($input: RenderCannedReplyInput!) {
  renderCannedReply(input: $input) { cannedReplyId language text usageCount } }`;

export const ENTRY_FIELDS = `id brandId question answer language tags sourceMessageId createdAt`;
export const ENTRIES = `query($brandId: ID!, $search: String, $first: Int, $after: String) {
  knowledgeEntries(brandId: $brandId, search: $search, first: $first, after: $after) {
    nodes { ${ENTRY_FIELDS} } pageInfo { endCursor hasNextPage } } }`;
export const CREATE_ENTRY = `mutation($input: CreateKnowledgeEntryInput!) { createKnowledgeEntry(input: $input) { ${ENTRY_FIELDS} } }`;
export const UPDATE_ENTRY = `mutation($input: UpdateKnowledgeEntryInput!) { updateKnowledgeEntry(input: $input) { ${ENTRY_FIELDS} } }`;
export const DELETE_ENTRY = `mutation($id: ID!) { deleteKnowledgeEntry(id: $id) }`;
export const SAVE_REPLY = `mutation($input: SaveReplyAsKnowledgeEntryInput!) {
  saveReplyAsKnowledgeEntry(input: $input) { ${ENTRY_FIELDS} } }`;
export const SUGGESTIONS = `query($conversationId: ID!, $first: Int) { suggestions(conversationId: $conversationId, first: $first) {
  kind score knowledgeEntry { id question language } cannedReply { id title shortcut } } }`;

/**
 * An agency (via the inbox suite's seeding: brands with one channel each) whose brands speak
 * `languages`, the first being the brand's default.
 */
export async function seedKnowledgeAgency(
  t: TestApp,
  languages: string[] = ['en', 'nb', 'pl', 'vi'],
  brands = 2,
): Promise<InboxAgency> {
  const a = await seedInboxAgency(t, ['FACEBOOK_PAGE', 'X', 'INSTAGRAM'].slice(0, brands));
  await t.ownerQuery(`UPDATE brands SET languages = $2 WHERE agency_id = $1`, [a.owner.agencyId, languages]);
  return a;
}

/** A conversation whose customer wrote `body` (detected as `language`); answers its ids. */
export async function customerAsks(
  t: TestApp,
  a: InboxAgency,
  body: string,
  opts: { language?: string | null; brand?: number; contactName?: string | null } = {},
): Promise<{ id: string; messageId: string; contactId: string }> {
  const conv = await seedConv(t, a, { body, language: opts.language ?? 'en', brand: opts.brand });
  await t.ownerQuery(`UPDATE messages SET language = $2 WHERE agency_id = $1 AND id = $3`, [
    a.owner.agencyId,
    opts.language ?? 'en',
    conv.messageId,
  ]);
  if (opts.contactName !== undefined) {
    await t.ownerQuery(`UPDATE contacts SET display_name = $3 WHERE agency_id = $1 AND id = $2`, [
      a.owner.agencyId,
      conv.contactId,
      opts.contactName,
    ]);
  }
  return conv;
}

/** An agent's reply (outbound message) in the conversation, a second after `after`; answers its id. */
export async function agentReplies(
  t: TestApp,
  a: InboxAgency,
  conversationId: string,
  body: string,
  brand = 0,
): Promise<string> {
  const id = randomUUID();
  const b = a.brands[brand];
  await t.ownerQuery(
    `INSERT INTO messages (agency_id, id, brand_id, channel_id, conversation_id, direction, body, status, created_at)
     VALUES ($1, $2, $3, $4, $5, 'OUTBOUND', $6, 'SENT', now() + interval '1 second')`,
    [a.owner.agencyId, id, b.id, b.channelId, conversationId, body],
  );
  return id;
}

export function variant(language: string, body: string) {
  return { language, body };
}

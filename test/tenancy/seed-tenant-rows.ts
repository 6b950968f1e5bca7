import { randomUUID } from 'node:crypto';

type OwnerQuery = (sql: string, params?: unknown[]) => Promise<any[]>;

/**
 * Puts at least one row of the given agency into every tenant table, through the owner connection,
 * so the RLS proofs have something to hide. A new tenant table must get a line here: the RLS test
 * fails for a tenant table that has no row of each agency.
 */
export async function seedTenantRows(owner: OwnerQuery, agencyId: string, userId: string): Promise<void> {
  const brandId = randomUUID();
  const membership = await owner('SELECT id FROM memberships WHERE agency_id = $1 AND user_id = $2', [
    agencyId,
    userId,
  ]);
  const apiKeyId = randomUUID();
  const channelId = randomUUID();
  const externalId = `acct-${randomUUID()}`;

  await owner(
    `INSERT INTO brands (agency_id, id, name, slug, timezone, languages) VALUES ($1, $2, 'Seed brand', $3, 'UTC', '{en}')`,
    [agencyId, brandId, `seed-${brandId.slice(0, 8)}`],
  );
  await owner(`INSERT INTO membership_brands (agency_id, membership_id, brand_id) VALUES ($1, $2, $3)`, [
    agencyId,
    membership[0].id,
    brandId,
  ]);
  await owner(
    `INSERT INTO invitations (agency_id, id, email, role, token_hash, expires_at)
     VALUES ($1, $2, $3, 'AGENT', $4, now() + interval '1 day')`,
    [agencyId, randomUUID(), `invitee-${randomUUID()}@example.com`, randomUUID()],
  );
  await owner(
    `INSERT INTO api_keys (agency_id, id, name, role, key_hash, key_prefix) VALUES ($1, $2, 'seed', 'AGENT', $3, 'cdk_seed')`,
    [agencyId, apiKeyId, randomUUID()],
  );
  await owner(`INSERT INTO api_key_brands (agency_id, api_key_id, brand_id) VALUES ($1, $2, $3)`, [
    agencyId,
    apiKeyId,
    brandId,
  ]);
  await owner(
    `INSERT INTO channels (agency_id, id, brand_id, platform, external_account_id, display_name, credentials_sealed)
     VALUES ($1, $2, $3, 'X', $4, 'Seed channel', 'v1.none.x.x.x')`,
    [agencyId, channelId, brandId, externalId],
  );
  await owner(
    `INSERT INTO channel_routes (platform, external_account_id, agency_id, channel_id, brand_id) VALUES ('X', $1, $2, $3, $4)`,
    [externalId, agencyId, channelId, brandId],
  );
  const contactId = randomUUID();
  const identityId = randomUUID();
  const conversationId = randomUUID();
  await owner(
    `INSERT INTO inbound_events (agency_id, id, brand_id, channel_id, platform, event_key, payload)
     VALUES ($1, $2, $3, $4, 'X', $5, '{}')`,
    [agencyId, randomUUID(), brandId, channelId, `evt-${randomUUID()}`],
  );
  await owner(
    `INSERT INTO contacts (agency_id, id, brand_id, display_name) VALUES ($1, $2, $3, 'Seed contact')`,
    [agencyId, contactId, brandId],
  );
  await owner(
    `INSERT INTO contact_identities (agency_id, id, brand_id, contact_id, platform, external_user_id)
     VALUES ($1, $2, $3, $4, 'X', $5)`,
    [agencyId, identityId, brandId, contactId, `user-${randomUUID()}`],
  );
  await owner(
    `INSERT INTO conversations (agency_id, id, brand_id, channel_id, contact_id, kind, thread_key)
     VALUES ($1, $2, $3, $4, $5, 'DM', $6)`,
    [agencyId, conversationId, brandId, channelId, contactId, `dm:${identityId}`],
  );
  await owner(
    `INSERT INTO messages (agency_id, id, brand_id, channel_id, conversation_id, direction, external_id, body)
     VALUES ($1, $2, $3, $4, $5, 'INBOUND', $6, 'hello')`,
    [agencyId, randomUUID(), brandId, channelId, conversationId, `msg-${randomUUID()}`],
  );
  await owner(
    `INSERT INTO outbound_messages (agency_id, id, brand_id, channel_id, action, payload)
     VALUES ($1, $2, $3, $4, 'REPLY', '{}')`,
    [agencyId, randomUUID(), brandId, channelId],
  );
  await owner(
    `INSERT INTO audit_events (agency_id, id, actor_label, action, entity_type) VALUES ($1, $2, 'seed', 'seed.create', 'seed')`,
    [agencyId, randomUUID()],
  );
  // The inbox (issue 4): a team, a tag on the seed conversation, a note.
  const tagId = randomUUID();
  await owner(`INSERT INTO teams (agency_id, id, name) VALUES ($1, $2, 'Seed team')`, [
    agencyId,
    randomUUID(),
  ]);
  await owner(`INSERT INTO tags (agency_id, id, brand_id, name) VALUES ($1, $2, $3, 'seed')`, [
    agencyId,
    tagId,
    brandId,
  ]);
  await owner(`INSERT INTO conversation_tags (agency_id, conversation_id, tag_id) VALUES ($1, $2, $3)`, [
    agencyId,
    conversationId,
    tagId,
  ]);
  await owner(
    `INSERT INTO notes (agency_id, id, brand_id, conversation_id, body) VALUES ($1, $2, $3, $4, 'seed note')`,
    [agencyId, randomUUID(), brandId, conversationId],
  );
  // Style guides (issue 4): the guide and its first version in one statement (the pointer is deferred).
  await owner(
    `WITH g AS (INSERT INTO style_guides (agency_id, brand_id, current_version_id, current_version)
                VALUES ($1, $2, $3, 1))
     INSERT INTO style_guide_versions (agency_id, id, brand_id, number, rules) VALUES ($1, $3, $2, 1, '{}')`,
    [agencyId, brandId, randomUUID()],
  );
  // Knowledge (issue 4): a canned reply with a variant, a knowledge entry.
  const cannedReplyId = randomUUID();
  await owner(
    `INSERT INTO canned_replies (agency_id, id, brand_id, title, shortcut) VALUES ($1, $2, $3, 'Seed', 'seed')`,
    [agencyId, cannedReplyId, brandId],
  );
  await owner(
    `INSERT INTO canned_reply_variants (agency_id, canned_reply_id, brand_id, language, body)
     VALUES ($1, $2, $3, 'en', 'Hello')`,
    [agencyId, cannedReplyId, brandId],
  );
  await owner(
    `INSERT INTO knowledge_entries (agency_id, id, brand_id, question, answer, language)
     VALUES ($1, $2, $3, 'Seed?', 'Seed.', 'en')`,
    [agencyId, randomUUID(), brandId],
  );
  // Attachment bytes Caredesk keeps (email).
  await owner(
    `INSERT INTO attachment_contents (agency_id, brand_id, sha256, mime_type, size, content)
     VALUES ($1, $2, encode(sha256('seed'::bytea), 'hex'), 'text/plain', 4, 'seed'::bytea)`,
    [agencyId, brandId],
  );
  // An edit that arrived before its message.
  await owner(
    `INSERT INTO pending_message_changes (agency_id, channel_id, external_id, edit, edited_at)
     VALUES ($1, $2, 'seed-early', '{"body":"edited"}', now())`,
    [agencyId, channelId],
  );
}

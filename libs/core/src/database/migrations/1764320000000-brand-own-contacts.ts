import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Backfill for "the brand is never its own contact" (1764230000000 and the ingest change with it).
 * Before that change the brand's own comment made outside Caredesk named the brand as its customer,
 * so ingest created a contact for the brand's own account and made it the contact of every thread the
 * brand started. This removes those contacts the way ingest would never have written them.
 *
 * The brand's own identity is recognised exactly as the connectors now recognise an own author:
 * - an identity of a brand whose platform user id is the external account id of one of that brand's
 *   channels on that platform (any status: a disconnected channel is still the brand's account):
 *   the Facebook Page id, the Instagram user id, the LinkedIn organization URN, the TikTok account,
 *   the X account, the mailbox (stored lower-cased on both sides);
 * - on TikTok also the author of a comment delivered with `owner: true`, which names the business by
 *   its `unique_identifier` (not always the account id), or by `comment:<id>` when it had none — read
 *   from the stored deliveries (inbound_events), the only place the flag was kept.
 * Always within the identity's own agency and brand: another brand's customer with the same platform
 * id (a Page commenting on another Page) is that brand's customer and stays.
 *
 * Then, set-based, for every agency at once:
 * 1. a conversation whose contact has only such identities takes the contact of its first customer
 *    message (INBOUND, by written time, its author not the brand), else none: what ingest now does
 *    (ThreadingService.touchConversations). A contact that also has a customer's identity (merged by
 *    hand) is that customer: its conversations stay as they are;
 * 2. the brand's identities are deleted, except one still named as a message's author (INBOUND
 *    messages the TikTok connector took for a customer before it knew the account's own id): those
 *    stay, so no message loses its author;
 * 3. a contact that had such an identity is deleted once no identity and no conversation names it;
 *    one that keeps a customer's identity keeps everything, and takes that identity's name if it
 *    showed the brand's.
 * Nothing else stores contact or identity ids (messages name identities; conversations, contacts);
 * conversations carry no copy of the contact (search reads messages.body only), so there is nothing
 * to recompute. Runs as the owner, which bypasses RLS in our deployments (superuser or BYPASSRLS),
 * like the other data migrations. One scan of inbound_events (TikTok owner comments) and one of
 * messages (authors among the few own identities); the rest are index look-ups.
 */
export class BrandOwnContacts1764320000000 implements MigrationInterface {
  name = 'BrandOwnContacts1764320000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TEMP TABLE own_identities AS
      SELECT ci.agency_id, ci.id, ci.contact_id, coalesce(ci.display_name, ci.username) AS name
        FROM channels ch
        JOIN contact_identities ci ON ci.agency_id = ch.agency_id AND ci.brand_id = ch.brand_id
                                  AND ci.platform = ch.platform AND ci.external_user_id = ch.external_account_id
      UNION
      SELECT ci.agency_id, ci.id, ci.contact_id, coalesce(ci.display_name, ci.username)
        FROM (SELECT DISTINCT agency_id, brand_id,
                     coalesce(payload->'content'->>'unique_identifier',
                              'comment:' || (payload->'content'->>'comment_id')) AS author
                FROM inbound_events
               WHERE platform = 'TIKTOK' AND payload->'content'->'owner' = 'true'::jsonb
                 AND payload->'content'->>'comment_action' = 'insert') o
        JOIN contact_identities ci ON ci.agency_id = o.agency_id AND ci.brand_id = o.brand_id
                                  AND ci.platform = 'TIKTOK' AND ci.external_user_id = o.author`);
    // Probed once per candidate message below.
    await q.query(`CREATE UNIQUE INDEX ON own_identities (agency_id, id)`);
    await q.query(`ANALYZE own_identities`);

    // Contacts holding an own identity; `customer` when one of their identities is someone else's.
    await q.query(`CREATE TEMP TABLE own_contacts AS
      SELECT DISTINCT o.agency_id, o.contact_id AS id,
             EXISTS (SELECT 1 FROM contact_identities ci
                      WHERE ci.agency_id = o.agency_id AND ci.contact_id = o.contact_id
                        AND NOT EXISTS (SELECT 1 FROM own_identities x
                                         WHERE x.agency_id = ci.agency_id AND x.id = ci.id)) AS customer
        FROM own_identities o`);
    await q.query(`ANALYZE own_contacts`);

    // Own identities some message names as its author (one pass over messages, the small side hashed).
    await q.query(`CREATE TEMP TABLE own_authors AS
      SELECT DISTINCT m.agency_id, m.author_identity_id AS id
        FROM messages m JOIN own_identities o ON o.agency_id = m.agency_id AND o.id = m.author_identity_id`);

    await q.query(`UPDATE conversations c
        SET contact_id = (
              SELECT ci.contact_id FROM messages m
                JOIN contact_identities ci ON ci.agency_id = m.agency_id AND ci.id = m.author_identity_id
               WHERE m.agency_id = c.agency_id AND m.conversation_id = c.id AND m.direction = 'INBOUND'
                 AND NOT EXISTS (SELECT 1 FROM own_identities x WHERE x.agency_id = ci.agency_id AND x.id = ci.id)
               ORDER BY m.written_at, m.id LIMIT 1),
            updated_at = now()
       FROM own_contacts oc
      WHERE NOT oc.customer AND c.agency_id = oc.agency_id AND c.contact_id = oc.id`);

    await q.query(`DELETE FROM contact_identities ci USING own_identities o
      WHERE ci.agency_id = o.agency_id AND ci.id = o.id
        AND NOT EXISTS (SELECT 1 FROM own_authors a WHERE a.agency_id = o.agency_id AND a.id = o.id)`);

    await q.query(`DELETE FROM contacts ct USING own_contacts oc
      WHERE ct.agency_id = oc.agency_id AND ct.id = oc.id
        AND NOT EXISTS (SELECT 1 FROM contact_identities ci WHERE ci.agency_id = ct.agency_id AND ci.contact_id = ct.id)
        AND NOT EXISTS (SELECT 1 FROM conversations c WHERE c.agency_id = ct.agency_id AND c.contact_id = ct.id)`);

    // A customer merged with the brand's contact (mergeContacts keeps the kept contact's name) shows
    // the customer's name, not the brand's: the first of its own identities that has one.
    await q.query(`UPDATE contacts ct
        SET display_name = n.name, updated_at = now()
       FROM own_contacts oc
       CROSS JOIN LATERAL (
         SELECT coalesce(ci.display_name, ci.username) AS name FROM contact_identities ci
          WHERE ci.agency_id = oc.agency_id AND ci.contact_id = oc.id
            AND coalesce(ci.display_name, ci.username) IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM own_identities x WHERE x.agency_id = ci.agency_id AND x.id = ci.id)
          ORDER BY ci.created_at, ci.id LIMIT 1) n
      WHERE oc.customer AND ct.agency_id = oc.agency_id AND ct.id = oc.id
        AND ct.display_name IN (SELECT o.name FROM own_identities o
                                 WHERE o.agency_id = oc.agency_id AND o.contact_id = oc.id)`);

    await q.query(`DROP TABLE own_authors, own_contacts, own_identities`);
  }

  /**
   * Nothing to restore: the deleted contacts and identities were the brand's own account, which no
   * current code would write again, and the conversations' former contact was that account.
   */
  async down(): Promise<void> {
    // Intentionally empty (see above).
  }
}

import { Client } from 'pg';

/**
 * For plan tests: `count` messages beside `messageId` (same agency, channel, conversation), each with a
 * platform id, a parent and two ancestors, then ANALYZE — so the planner sees an agency whose mailbox
 * or feed is large, where only the id indexes find a few rows without reading them all. Run in a
 * transaction the test rolls back (ANALYZE is allowed inside one).
 */
export async function addBulkMessages(owner: Client, messageId: string, count = 5000): Promise<void> {
  await owner.query(
    `INSERT INTO messages (agency_id, id, brand_id, channel_id, conversation_id, direction, external_id,
                           parent_external_id, ancestor_external_ids)
     SELECT agency_id, gen_random_uuid(), brand_id, channel_id, conversation_id, 'INBOUND', 'bulk.' || g,
            'bulk.' || (g - 1), ARRAY['bulk.' || (g - 1), 'bulk.0']
       FROM messages, generate_series(1, $2::int) AS g WHERE id = $1`,
    [messageId, count],
  );
  await owner.query('ANALYZE messages');
}

import { Client } from 'pg';

/**
 * Runs `check` on an owner connection in a transaction that is rolled back, with the sequential scan
 * ruled out (test tables are tiny), and `plan(sql, params)` answering EXPLAIN's text: for asserting
 * which index serves a hot query.
 */
export async function withPlans(
  ownerUrl: string,
  check: (plan: (sql: string, params: unknown[]) => Promise<string>, owner: Client) => Promise<void>,
): Promise<void> {
  const owner = new Client({ connectionString: ownerUrl });
  await owner.connect();
  try {
    await owner.query('BEGIN');
    await owner.query('SET LOCAL enable_seqscan = off');
    const plan = async (sql: string, params: unknown[]) =>
      (await owner.query(`EXPLAIN ${sql}`, params)).rows.map((r) => r['QUERY PLAN']).join('\n');
    await check(plan, owner);
  } finally {
    await owner.query('ROLLBACK');
    await owner.end();
  }
}

/**
 * Inside withPlans: `count` messages beside `messageId` (same agency, channel, conversation), each with
 * a platform id, a parent and two ancestors, then ANALYZE — an agency whose mailbox or feed is large,
 * where only the id indexes find a few rows without reading them all (on a handful of rows any index
 * of the agency ties). Rolled back with the transaction.
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

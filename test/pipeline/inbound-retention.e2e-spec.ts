import { randomUUID } from 'node:crypto';
import { APP_CONFIG, AppConfig, SystemDb } from '@caredesk/core';
import { InboundEventPruner } from '@caredesk/channels';
import { CONNECT, connectInput, insertBrand, uniqueAccount } from '../channels/channel-helpers';
import { signUpAgency, SignedUp } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { messengerEntry, metaBody, postWebhook, stubMetaConnector, useConnector } from './pipeline-helpers';

/** Finished inbound events are deleted INBOUND_EVENT_RETENTION_DAYS after they came; nothing else is. */
describe('inbound event retention', () => {
  let t: TestApp;
  let a: SignedUp;
  let b: SignedUp;
  const brands: Record<string, string> = {};
  const channels: Record<string, string> = {};
  let page: string;
  let restore: () => void;

  const pruner = (days: number) => {
    const config = t.app.get<AppConfig>(APP_CONFIG);
    return new InboundEventPruner(t.app.get(SystemDb), {
      ...config,
      pipeline: { ...config.pipeline, inboundRetentionDays: days },
    });
  };

  /** One inbound_events row as intake and ingest leave it, received `daysAgo` days ago. */
  async function event(agencyId: string, status: string, daysAgo: number): Promise<string> {
    const id = randomUUID();
    await t.ownerQuery(
      `INSERT INTO inbound_events (agency_id, id, brand_id, channel_id, platform, event_key, payload, status, received_at, processed_at)
       VALUES ($1, $2, $3, $4, 'FACEBOOK_PAGE', $5, '{}', $6, now() - make_interval(days => $7),
               CASE WHEN $6 IN ('PROCESSED', 'IGNORED') THEN now() - make_interval(days => $7) END)`,
      [agencyId, id, brands[agencyId], channels[agencyId], `key-${id}`, status, daysAgo],
    );
    return id;
  }
  const remaining = async (ids: string[]) =>
    (await t.ownerQuery(`SELECT id FROM inbound_events WHERE id = ANY($1::uuid[])`, [ids]))
      .map((r) => r.id)
      .sort();

  beforeAll(async () => {
    t = await startTestApp();
    restore = useConnector(t, stubMetaConnector());
    [a, b] = await Promise.all([signUpAgency(t.gql, 'A'), signUpAgency(t.gql, 'B')]);
    page = uniqueAccount('page');
    for (const [x, account] of [
      [a, page],
      [b, uniqueAccount('page')],
    ] as const) {
      brands[x.agencyId] = await insertBrand(t, x.agencyId);
      const { connectChannel } = await x.client.ok(CONNECT, {
        input: connectInput(brands[x.agencyId], { externalAccountId: account }),
      });
      channels[x.agencyId] = connectChannel.id;
    }
  });
  afterAll(async () => {
    restore();
    await t.close();
  });

  it('deletes finished events older than the retention in every agency, and nothing unfinished or younger', async () => {
    const gone = [
      await event(a.agencyId, 'PROCESSED', 40),
      await event(a.agencyId, 'IGNORED', 31),
      await event(b.agencyId, 'PROCESSED', 365),
    ];
    const kept = [
      await event(a.agencyId, 'PROCESSED', 29),
      await event(b.agencyId, 'IGNORED', 1),
      await event(a.agencyId, 'FAILED', 90),
      await event(a.agencyId, 'PENDING', 90),
      await event(b.agencyId, 'WAITING_FOR_RECONNECT', 90),
    ];
    const all = [...gone, ...kept];

    expect(await pruner(0).pruneOnce()).toBe(0); // 0: kept for ever
    expect(await remaining(all)).toEqual([...all].sort());

    expect(await pruner(30).pruneOnce()).toBeGreaterThanOrEqual(3);
    expect(await remaining(all)).toEqual([...kept].sort());
    expect(await pruner(30).pruneOnce()).toBe(0);
  });

  it('a re-send of a delivery whose row was pruned is accepted again (ingest is idempotent on message ids)', async () => {
    const entry = messengerEntry(page);
    const body = metaBody([entry]);
    expect((await postWebhook(t, body)).status).toBe(200);
    const [row] = await t.ownerQuery(`SELECT id, event_key FROM inbound_events WHERE event_key = $1`, [
      entry.messaging[0].message.mid,
    ]);
    await t.ownerQuery(
      `UPDATE inbound_events SET status = 'PROCESSED', processed_at = now(), received_at = now() - interval '8 days' WHERE id = $1`,
      [row.id],
    );
    expect(await pruner(7).pruneOnce()).toBeGreaterThanOrEqual(1);
    expect(await remaining([row.id])).toEqual([]);

    expect((await postWebhook(t, body)).status).toBe(200);
    const again = await t.ownerQuery(`SELECT id, status FROM inbound_events WHERE event_key = $1`, [
      row.event_key,
    ]);
    expect(again).toEqual([{ id: expect.any(String), status: 'PENDING' }]);
    expect(again[0].id).not.toBe(row.id);
  });
});

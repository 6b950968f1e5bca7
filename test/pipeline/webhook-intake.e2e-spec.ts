import { Client } from 'pg';
import { eventually } from '../support/eventually';
import { AppConfig, APP_CONFIG, SystemDb } from '@caredesk/core';
import { InboundEventWriter, InboundSweeper, IngestJobs } from '@caredesk/channels';
import { CONNECT, connectInput, insertBrand, uniqueAccount } from '../channels/channel-helpers';
import { signUpAgency, SignedUp } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import {
  hmac,
  ingestQueue,
  messengerEntry,
  metaBody,
  metricValue,
  postWebhook,
  STUB_VERIFY_TOKEN,
  stubMetaConnector,
  useConnector,
} from './pipeline-helpers';

describe('webhook intake: verify, commit, then 200, then enqueue', () => {
  let t: TestApp;
  let a: SignedUp;
  let b: SignedUp;
  let pageA: string;
  let pageB: string;
  let restore: () => void;

  const events = (where = 'true', params: unknown[] = []) =>
    t.ownerQuery(`SELECT * FROM inbound_events WHERE ${where} ORDER BY received_at, id`, params);

  beforeAll(async () => {
    t = await startTestApp();
    restore = useConnector(t, stubMetaConnector());
    [a, b] = await Promise.all([signUpAgency(t.gql, 'A'), signUpAgency(t.gql, 'B')]);
    pageA = uniqueAccount('page');
    pageB = uniqueAccount('page');
    const brandA = await insertBrand(t, a.agencyId);
    const brandB = await insertBrand(t, b.agencyId);
    await a.client.ok(CONNECT, { input: connectInput(brandA, { externalAccountId: pageA }) });
    await b.client.ok(CONNECT, { input: connectInput(brandB, { externalAccountId: pageB }) });
  });
  afterAll(async () => {
    restore();
    await t.close();
  });

  it('stores a signed delivery and has committed it by the time it answers 200', async () => {
    const entry = messengerEntry(pageA);
    const res = await postWebhook(t, metaBody([entry]));
    // Read as the owner on another connection the moment the answer arrives: the row is already there.
    const rows = await events('event_key = $1', [entry.messaging[0].message.mid]);
    expect(res.status).toBe(200);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      agency_id: a.agencyId,
      platform: 'FACEBOOK_PAGE',
      status: 'PENDING',
      attempts: 0,
    });
    expect(rows[0].payload).toEqual(entry);
    // Then one ingest job, keyed by the event id: added after the commit, so it may follow the answer.
    const job = await eventually(async () => (await ingestQueue(t).getJob(rows[0].id)) ?? undefined);
    expect(job.data).toEqual({ agencyId: a.agencyId, eventId: rows[0].id });
  });

  it('adds no second job for an agency while one waits to start; the job clears that as it starts', async () => {
    const jobs = t.app.get(IngestJobs);
    const queue = ingestQueue(t);
    const waiting = async () =>
      (await queue.getJobs(['waiting'])).filter((j) => j.data.agencyId === b.agencyId);
    const stored = async () => {
      const entry = messengerEntry(pageB);
      expect((await postWebhook(t, metaBody([entry]))).status).toBe(200);
      return (await events('event_key = $1', [entry.messaging[0].message.mid]))[0].id as string;
    };
    await jobs.clearWake(b.agencyId);
    const before = new Set((await waiting()).map((j) => j.data.eventId));
    const added = async () => (await waiting()).map((j) => j.data.eventId).filter((id) => !before.has(id));
    const first = await stored();
    await stored();
    await stored();
    // Three commits, one job: the first's. The waiting job drains the agency (IngestService.processMany).
    // Jobs are added after the 200 (commit, answer, enqueue): wait for the add to show.
    expect(await eventually(async () => ((await added()).length > 0 ? added() : undefined))).toEqual([first]);
    // The flag expires on its own if its job never starts (a lost add, a flushed queue).
    const ttl = await queue.client.pttl(queue.toKey(`wake:${b.agencyId}`));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(IngestJobs.WAKE_TTL_MS);
    // Once the job has started (the worker clears the flag before reading events), a commit wakes again.
    await jobs.clearWake(b.agencyId);
    const next = await stored();
    const both = await eventually(async () => ((await added()).length > 1 ? added() : undefined));
    expect(both.sort()).toEqual([first, next].sort());
  });

  it('refuses a bad or missing signature with 401/403, writes nothing, and counts it', async () => {
    const before = await t.count('inbound_events');
    const badBefore = await metricValue(t, 'caredesk_webhook_rejected_total', {
      platform: 'meta',
      reason: 'bad signature',
    });
    const missingBefore = await metricValue(t, 'caredesk_webhook_rejected_total', {
      platform: 'meta',
      reason: 'missing signature',
    });
    const body = metaBody([messengerEntry(pageA)]);

    expect((await postWebhook(t, body, { signature: `sha256=${hmac(body + ' ')}` })).status).toBe(403);
    expect((await postWebhook(t, body, { signature: 'sha256=' })).status).toBe(403);
    expect((await postWebhook(t, body, { signature: null })).status).toBe(401);
    // The signature covers the exact bytes: re-serialised JSON with the same meaning does not pass.
    expect(
      (await postWebhook(t, JSON.stringify(JSON.parse(body), null, 2), { signature: `sha256=${hmac(body)}` }))
        .status,
    ).toBe(403);

    expect(await t.count('inbound_events')).toBe(before);
    expect(
      await metricValue(t, 'caredesk_webhook_rejected_total', { platform: 'meta', reason: 'bad signature' }),
    ).toBe(badBefore + 3);
    expect(
      await metricValue(t, 'caredesk_webhook_rejected_total', {
        platform: 'meta',
        reason: 'missing signature',
      }),
    ).toBe(missingBefore + 1);
  });

  it('checks the signature before anything reads the body: malformed JSON with a bad signature is a 403', async () => {
    const before = await t.count('inbound_events');
    const malformed = '{"object":"page","entry":[{"id":';
    const bad = await postWebhook(t, malformed, { signature: `sha256=${hmac('something else')}` });
    expect(bad.status).toBe(403);
    const missing = await postWebhook(t, malformed, { signature: null });
    expect(missing.status).toBe(401);
    expect(await t.count('inbound_events')).toBe(before);
  });

  it('keeps one row for the same delivery sent 3 times, in sequence and at once', async () => {
    const entry = messengerEntry(pageA);
    const body = metaBody([entry]);
    expect((await postWebhook(t, body)).status).toBe(200);
    const statuses = await Promise.all(
      [postWebhook(t, body), postWebhook(t, body)].map(async (p) => (await p).status),
    );
    expect(statuses).toEqual([200, 200]);
    expect(await events('event_key = $1', [entry.messaging[0].message.mid])).toHaveLength(1);

    const other = messengerEntry(pageA);
    const otherBody = metaBody([other]);
    const together = await Promise.all([1, 2, 3].map(async () => (await postWebhook(t, otherBody)).status));
    expect(together).toEqual([200, 200, 200]);
    expect(await events('event_key = $1', [other.messaging[0].message.mid])).toHaveLength(1);
  });

  it('splits a batched delivery into one row per entry, each in its own agency', async () => {
    const entries = [
      ...Array.from({ length: 20 }, () => messengerEntry(pageA)),
      ...Array.from({ length: 5 }, () => messengerEntry(pageB)),
    ];
    expect((await postWebhook(t, metaBody(entries))).status).toBe(200);
    const keys = entries.map((e) => e.messaging[0].message.mid);
    const rows = await events('event_key = ANY($1)', [keys]);
    expect(rows).toHaveLength(25);
    expect(rows.filter((r) => r.agency_id === a.agencyId)).toHaveLength(20);
    expect(rows.filter((r) => r.agency_id === b.agencyId)).toHaveLength(5);
  });

  it('stores hostile text byte for byte (quotes, backslashes, SQL, NUL escapes, emoji)', async () => {
    const text = `it's \\'; DROP TABLE inbound_events; -- $$ E'\\x00' \u00e9 \u{1F600} "quoted" \\u0000`;
    const entry = messengerEntry(pageA, text);
    entry.messaging[0].message.mid = `m_'quote'\\${entry.messaging[0].message.mid}`;
    const body = metaBody([entry]).replace('"text":"', '"nul":"a\\u0000b","text":"');
    expect((await postWebhook(t, body)).status).toBe(200);
    const [row] = await events('event_key = $1', [entry.messaging[0].message.mid]);
    expect(row.payload.messaging[0].message.text).toBe(text);
    // jsonb cannot hold \u0000: it is dropped rather than failing the batch.
    expect(row.payload.messaging[0].message.nul).toBe('ab');
    expect(await t.count('inbound_events')).toBeGreaterThan(0);
  });

  it('commits concurrent requests together and answers each of them', async () => {
    const writer = t.app.get(InboundEventWriter);
    const commit = jest.spyOn(writer as any, 'commit');
    const entries = Array.from({ length: 40 }, (_, i) => messengerEntry(i % 2 ? pageA : pageB));
    const statuses = await Promise.all(
      entries.map(async (e) => (await postWebhook(t, metaBody([e]))).status),
    );
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(
      await events('event_key = ANY($1)', [entries.map((e) => e.messaging[0].message.mid)]),
    ).toHaveLength(40);
    // Fewer transactions than requests: requests that arrived together shared a commit.
    expect(commit.mock.calls.length).toBeLessThan(40);
    commit.mockRestore();
  });

  it('drops and counts entries for an account no channel serves, and still answers 200', async () => {
    const before = await metricValue(t, 'caredesk_webhook_unrouted_total', { platform: 'FACEBOOK_PAGE' });
    const stray = messengerEntry(uniqueAccount('unknown-page'));
    const known = messengerEntry(pageA);
    expect((await postWebhook(t, metaBody([stray, known]))).status).toBe(200);
    expect(await events('event_key = $1', [stray.messaging[0].message.mid])).toHaveLength(0);
    expect(await events('event_key = $1', [known.messaging[0].message.mid])).toHaveLength(1);
    expect(await metricValue(t, 'caredesk_webhook_unrouted_total', { platform: 'FACEBOOK_PAGE' })).toBe(
      before + 1,
    );
  });

  it('verifies the raw bytes whatever the content type', async () => {
    const entry = messengerEntry(pageA);
    const body = metaBody([entry]);
    expect((await postWebhook(t, body, { contentType: 'text/plain' })).status).toBe(200);
    expect((await postWebhook(t, body, { contentType: 'application/octet-stream' })).status).toBe(200);
    expect((await postWebhook(t, body, { contentType: 'application/x-www-form-urlencoded' })).status).toBe(
      200,
    );
    expect((await postWebhook(t, body, { contentType: 'application/json; charset=utf-8' })).status).toBe(200);
    expect(await events('event_key = $1', [entry.messaging[0].message.mid])).toHaveLength(1);
  });

  it('answers the subscription handshake and stores nothing', async () => {
    const before = await t.count('inbound_events');
    const ok = await fetch(
      `${t.baseUrl}/webhooks/meta?hub.mode=subscribe&hub.verify_token=${STUB_VERIFY_TOKEN}&hub.challenge=1158201444`,
    );
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1158201444');
    const bad = await fetch(
      `${t.baseUrl}/webhooks/meta?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1`,
    );
    expect(bad.status).toBe(403);
    expect(await t.count('inbound_events')).toBe(before);
  });

  it('answers 404 for names it does not serve and 503 for a connector that is not configured', async () => {
    const body = metaBody([messengerEntry(pageA)]);
    expect((await postWebhook(t, body, { name: 'facebook' })).status).toBe(404);
    expect((await postWebhook(t, body, { name: 'stripe' })).status).toBe(404);
    const undo = useConnector(t, { ...stubMetaConnector({ configured: false }), name: 'tiktok' });
    try {
      const res = await postWebhook(t, body, { name: 'tiktok' });
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ error: 'not configured' });
    } finally {
      undo();
    }
  });

  it('re-enqueues a PENDING event whose job was lost (sweeper)', async () => {
    const entry = messengerEntry(pageA);
    const queue = ingestQueue(t);
    // No worker runs here, so an earlier test's wake flag would still hold back this delivery's job.
    await t.app.get(IngestJobs).clearWake(a.agencyId);
    expect((await postWebhook(t, metaBody([entry]))).status).toBe(200);
    const [row] = await events('event_key = $1', [entry.messaging[0].message.mid]);
    // Redis lost the job (a FLUSHALL, a crash before the add): remove it from this file's queue only,
    // once it is there (it is added after the answer).
    await (await eventually(async () => (await queue.getJob(row.id)) ?? undefined)).remove();
    expect(await queue.getJob(row.id)).toBeNull();

    // The sweeper lives in the worker; build it here from the API's own providers.
    const sweeper = new InboundSweeper(
      t.app.get<AppConfig>(APP_CONFIG),
      t.app.get(SystemDb),
      t.app.get(IngestJobs),
    );
    // Not yet stale: left alone.
    await sweeper.sweepOnce();
    expect(await queue.getJob(row.id)).toBeNull();

    await t.ownerQuery(
      `UPDATE inbound_events SET received_at = now() - interval '10 minutes' WHERE id = $1`,
      [row.id],
    );
    expect(await sweeper.sweepOnce()).toBeGreaterThanOrEqual(1);
    expect((await queue.getJob(row.id))?.data).toEqual({ agencyId: a.agencyId, eventId: row.id });

    // A job that is still waiting is not added twice.
    expect(await sweeper.sweepOnce()).toBe(0);

    // A job bull holds as failed would swallow a new add under the same id: it is replaced.
    await queue.empty();
    // Its last attempt: failing it leaves it failed, not delayed for another try.
    await queue.add(
      { agencyId: a.agencyId, eventId: row.id },
      { ...IngestJobs.options(row.id), attempts: 1 },
    );
    const taken = (await queue.getNextJob())!;
    expect(taken.id).toBe(row.id);
    await taken.moveToFailed({ message: 'unprocessable' });
    expect(await (await queue.getJob(row.id))!.getState()).toBe('failed');
    expect(await sweeper.sweepOnce()).toBe(1);
    expect(await (await queue.getJob(row.id))!.getState()).toBe('waiting');
    await t.ownerQuery(
      `UPDATE inbound_events SET status = 'PROCESSED' WHERE received_at < now() - interval '5 minutes'`,
    );
  });

  it('answers 503, never 200, while the database is down, and stores the retry once it is back', async () => {
    const db = new URL(t.ownerUrl).pathname.slice(1);
    const admin = new Client({ connectionString: t.ownerUrl });
    await admin.connect();
    const entry = messengerEntry(pageA);
    const body = metaBody([entry]);
    try {
      // Only this file's database: the application role can no longer connect, and its open
      // connections are cut (the owner is a superuser and is exempt).
      await admin.query(`ALTER DATABASE ${db} CONNECTION LIMIT 0`);
      await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND usename = 'caredesk_app'`,
        [db],
      );
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await postWebhook(t, body)).status);
      expect(statuses).toEqual([503, 503, 503]);
    } finally {
      await admin.query(`ALTER DATABASE ${db} CONNECTION LIMIT -1`);
      await admin.end();
    }
    expect(await events('event_key = $1', [entry.messaging[0].message.mid])).toHaveLength(0);
    // The platform retries; now it is stored (the pool replaces its dead connections).
    let status = 0;
    for (let i = 0; i < 10 && status !== 200; i++) status = (await postWebhook(t, body)).status;
    expect(status).toBe(200);
    expect(await events('event_key = $1', [entry.messaging[0].message.mid])).toHaveLength(1);
  });
});

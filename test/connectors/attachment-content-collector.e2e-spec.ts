import { createHash, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import {
  AttachmentContentCollector,
  attachmentContentMetrics,
  InboundDelivery,
  InboundEventWriter,
  Platform,
} from '@caredesk/channels';
import { eventually } from '../support/eventually';
import { Pipeline, SignedUp, startPipeline, uniqueAccountId } from '../support/pipeline';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
/** Bytes no other test stores. */
const file = (label: string) => Buffer.from(`${label} ${randomUUID()}`);

interface Tenant {
  agencyId: string;
  brandId: string;
  channelId: string;
  mailbox: string;
}

/** One mail from a customer to `to`, with `files` attached: what the email connector hands the intake. */
function mail(to: Tenant, files: Buffer[]): InboundDelivery {
  const messageId = `${randomUUID()}@customer.example`;
  return {
    platform: Platform.EMAIL,
    externalAccountId: to.mailbox,
    eventKey: `${to.mailbox} ${messageId}`,
    payload: {
      recipient: to.mailbox,
      messageId,
      inReplyTo: [],
      references: [],
      subject: 'Files',
      from: { address: 'kari@customer.example', name: 'Kari' },
      to: [{ address: to.mailbox, name: null }],
      cc: [],
      date: new Date().toISOString(),
      text: 'See the files.',
      attachments: files.map((f) => ({
        name: 'f.bin',
        size: f.length,
        mimeType: 'text/plain',
        contentId: sha(f),
      })),
    },
    contents: files.map((f) => ({ sha256: sha(f), mimeType: 'text/plain', bytes: f })),
  };
}

/**
 * attachment_contents garbage collection (migration 1764310000000): bytes a day older than their last
 * store that no message and no unfinished inbound event of their agency and brand names are deleted.
 */
describe('AttachmentContentCollector', () => {
  let p: Pipeline;
  let a: SignedUp;
  let a1: Tenant;
  let a2: Tenant;
  let b1: Tenant;

  const collect = () => p.worker!.app.get(AttachmentContentCollector).collectOnce();
  /** Through the real intake (bytes first, then the event), and ingested into a message. */
  const deliver = async (d: InboundDelivery) => {
    expect(await p.t.app.get(InboundEventWriter).write([d])).toMatchObject({ stored: 1 });
    await ingested(d);
  };
  /** Resolves once the delivery's event is done (waitForEvents would wait for the PENDING ones below too). */
  const ingested = (d: InboundDelivery) =>
    eventually(async () =>
      (await p.t.count(`inbound_events WHERE event_key = $1 AND status = 'PROCESSED'`, [d.eventKey])) === 1
        ? true
        : undefined,
    );
  /** Bytes stored `days` ago (as an intake or copy would have, with nothing naming them yet). */
  const stored = (t: Tenant, f: Buffer, days = 2) =>
    p.t.ownerQuery(
      `INSERT INTO attachment_contents (agency_id, brand_id, sha256, mime_type, size, content, created_at)
       VALUES ($1, $2, $3, 'text/plain', $4, $5, now() - make_interval(days => $6))`,
      [t.agencyId, t.brandId, sha(f), f.length, f, days],
    );
  const age = (t: Tenant, f: Buffer) =>
    p.t.ownerQuery(
      `UPDATE attachment_contents SET created_at = now() - interval '2 days'
        WHERE agency_id = $1 AND brand_id = $2 AND sha256 = $3`,
      [t.agencyId, t.brandId, sha(f)],
    );
  const kept = async (t: Tenant, f: Buffer) =>
    (await p.t.count(`attachment_contents WHERE agency_id = $1 AND brand_id = $2 AND sha256 = $3`, [
      t.agencyId,
      t.brandId,
      sha(f),
    ])) === 1;
  /** An inbound event of `t`'s mailbox naming `files`. attempts 1: ingest's batches take along only untried ones. */
  const event = async (t: Tenant, status: string, files: Buffer[]) => {
    const d = mail(t, files);
    const [row] = await p.t.ownerQuery(
      `INSERT INTO inbound_events (agency_id, id, brand_id, channel_id, platform, event_key, payload, status, attempts)
       VALUES ($1, gen_random_uuid(), $2, $3, 'EMAIL', $4, $5, $6, 1) RETURNING id`,
      [t.agencyId, t.brandId, t.channelId, d.eventKey, JSON.stringify(d.payload), status],
    );
    return row.id as string;
  };
  /** Resolves once a statement (top level) that starts with `sql` waits for a lock. */
  const waitsForLock = (sql: string) =>
    eventually(async () => {
      const n = await p.t.count(
        `pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE $1`,
        [`${sql}%`],
      );
      return n > 0 ? true : undefined;
    }, 10_000);

  beforeAll(async () => {
    // No sweep re-enqueues the PENDING events these tests write by hand.
    p = await startPipeline({ SWEEP_AFTER_SECONDS: '3600' });
    a = await p.signUp('Collected agency');
    const b = await p.signUp('Other agency');
    const tenant = async (owner: SignedUp): Promise<Tenant> => {
      const brandId = await p.createBrand(owner);
      const mailbox = `${uniqueAccountId('care')}@brand.example`.toLowerCase();
      const channel = await p.connectChannel(owner, brandId, 'EMAIL', mailbox);
      return { agencyId: owner.agencyId, brandId, channelId: channel.id, mailbox };
    };
    a1 = await tenant(a);
    a2 = await tenant(a);
    b1 = await tenant(b);
  });
  afterAll(() => p?.close());

  it('deletes old bytes nothing names; keeps bytes a message names, and bytes stored within a day', async () => {
    const named = file('named');
    const orphan = file('orphan');
    const young = file('young');
    await deliver(mail(a1, [named]));
    expect(
      await p.t.count(`messages WHERE agency_id = $1 AND attachments @> $2::jsonb`, [
        a.agencyId,
        JSON.stringify([{ contentId: sha(named) }]),
      ]),
    ).toBe(1);
    await age(a1, named);
    await stored(a1, orphan);
    await stored(a1, young, 0);

    expect(await collect()).toBe(1);
    expect(await kept(a1, orphan)).toBe(false);
    expect(await kept(a1, named)).toBe(true);
    expect(await kept(a1, young)).toBe(true);
  });

  it('keeps bytes a PENDING, FAILED or WAITING_FOR_RECONNECT event names, until the event is done', async () => {
    const [pending, failed, waiting, processed, ignored] = ['p', 'f', 'w', 'd', 'i'].map(file);
    for (const f of [pending, failed, waiting, processed, ignored]) await stored(a1, f);
    await event(a1, 'PENDING', [pending]);
    const failedId = await event(a1, 'FAILED', [file('other'), failed]);
    await event(a1, 'WAITING_FOR_RECONNECT', [waiting]);
    // Done without a message naming them (the message was removed since, or there never was one).
    await event(a1, 'PROCESSED', [processed]);
    await event(a1, 'IGNORED', [ignored]);

    expect(await collect()).toBe(2);
    expect(await kept(a1, processed)).toBe(false);
    expect(await kept(a1, ignored)).toBe(false);
    for (const f of [pending, failed, waiting]) expect(await kept(a1, f)).toBe(true);

    // An admin could retry the FAILED event until it is given up for good.
    await p.t.ownerQuery(`UPDATE inbound_events SET status = 'IGNORED' WHERE agency_id = $1 AND id = $2`, [
      a.agencyId,
      failedId,
    ]);
    expect(await collect()).toBe(1);
    expect(await kept(a1, failed)).toBe(false);
  });

  it("judges each agency's and brand's copy of the same bytes on its own references", async () => {
    const named = file('shared, named in a1');
    const held = file('shared, held in a1');
    await deliver(mail(a1, [named]));
    await age(a1, named);
    await event(a1, 'PENDING', [held]);
    for (const t of [a2, b1]) await stored(t, named);
    for (const t of [a1, a2, b1]) await stored(t, held);

    expect(await collect()).toBe(4);
    expect(await kept(a1, named)).toBe(true);
    expect(await kept(a1, held)).toBe(true);
    for (const t of [a2, b1]) {
      expect(await kept(t, named)).toBe(false);
      expect(await kept(t, held)).toBe(false);
    }
  });

  it('deletes the bytes once the message that named them is gone', async () => {
    const f = file('removed message');
    await deliver(mail(a1, [f]));
    await age(a1, f);
    expect(await collect()).toBe(0);
    await p.t.ownerQuery(`DELETE FROM messages WHERE agency_id = $1 AND attachments @> $2::jsonb`, [
      a.agencyId,
      JSON.stringify([{ contentId: sha(f) }]),
    ]);
    expect(await collect()).toBe(1);
    expect(await kept(a1, f)).toBe(false);
  });

  it('walks a table longer than one window in one pass, and counts what it deleted', async () => {
    const before = {
      rows: (await attachmentContentMetrics.deleted.get()).values[0]?.value ?? 0,
      bytes: (await attachmentContentMetrics.deletedBytes.get()).values[0]?.value ?? 0,
    };
    await p.t.ownerQuery(
      `INSERT INTO attachment_contents (agency_id, brand_id, sha256, mime_type, size, content, created_at)
       SELECT $1, $2, encode(sha256(c), 'hex'), 'text/plain', length(c), c, now() - interval '2 days'
         FROM (SELECT convert_to('bulk ' || gen_random_uuid(), 'UTF8') AS c FROM generate_series(1, 1201)) x`,
      [b1.agencyId, b1.brandId],
    );
    expect(await collect()).toBe(1201);
    expect(await p.t.count(`attachment_contents WHERE agency_id = $1`, [b1.agencyId])).toBe(0);
    expect((await attachmentContentMetrics.deleted.get()).values[0].value).toBe(before.rows + 1201);
    expect((await attachmentContentMetrics.deletedBytes.get()).values[0].value).toBe(
      before.bytes + 1201 * 41,
    );
  });

  describe('against an intake storing the same bytes again at that moment', () => {
    let owner: Client;
    beforeEach(async () => {
      owner = new Client({ connectionString: p.t.ownerUrl });
      await owner.connect();
    });
    afterEach(() => owner.end());

    it('the intake waits for a collection that deleted them, then stores them anew', async () => {
      const f = file('redelivered after the delete');
      await stored(a1, f);
      await owner.query('BEGIN');
      const [gc] = (
        await owner.query(`SELECT deleted FROM collect_attachment_contents(null, null, null, 100000)`)
      ).rows;
      expect(gc.deleted).toBe(1);
      // The collection has not committed: the redelivery's store waits on the deleted row.
      const redelivery = mail(a1, [f]);
      const written = p.t.app.get(InboundEventWriter).write([redelivery]);
      await waitsForLock('INSERT INTO attachment_contents');
      await owner.query('COMMIT');
      expect(await written).toMatchObject({ stored: 1 });
      const [row] = await p.t.ownerQuery(
        `SELECT content, created_at > now() - interval '1 minute' AS young FROM attachment_contents
          WHERE agency_id = $1 AND brand_id = $2 AND sha256 = $3`,
        [a1.agencyId, a1.brandId, sha(f)],
      );
      expect(row).toEqual({ content: f, young: true });
      await ingested(redelivery);
      await age(a1, f);
      expect(await collect()).toBe(0);
      expect(await kept(a1, f)).toBe(true);
    });

    it('a collection judging them while the intake stores them again leaves them', async () => {
      const [x, y] = [file('redelivered x'), file('redelivered y')].sort((l, r) =>
        sha(l) < sha(r) ? -1 : 1,
      );
      await stored(a1, x);
      await stored(a1, y);
      // Hold y, so the intake stores (touches) x, then waits with x's row locked and not committed.
      await owner.query('BEGIN');
      await owner.query(
        `SELECT 1 FROM attachment_contents WHERE agency_id = $1 AND brand_id = $2 AND sha256 = $3 FOR UPDATE`,
        [a1.agencyId, a1.brandId, sha(y)],
      );
      const redelivery = mail(a1, [x, y]);
      const written = p.t.app.get(InboundEventWriter).write([redelivery]);
      await waitsForLock('INSERT INTO attachment_contents');
      // The collector read both rows as old and unnamed; its delete of x (inside the function) waits
      // for the intake.
      const collected = collect();
      await waitsForLock('SELECT examined, deleted');
      await owner.query('ROLLBACK');
      expect(await written).toMatchObject({ stored: 1 });
      // Once the intake commits, x and y are young: the collector re-checks them in its delete.
      expect(await collected).toBe(0);
      expect(await kept(a1, x)).toBe(true);
      expect(await kept(a1, y)).toBe(true);
      await ingested(redelivery);
      expect(
        await p.t.count(`messages WHERE agency_id = $1 AND attachments @> $2::jsonb`, [
          a.agencyId,
          JSON.stringify([{ contentId: sha(x) }, { contentId: sha(y) }]),
        ]),
      ).toBe(1);
    });
  });

  it('probes messages through messages_content_ids_idx and reads the events through their status indexes', async () => {
    await deliver(mail(a1, [file('the conversation to seed into')]));
    await stored(a1, file('planned'));
    // The brand's messages at a realistic size (one in 20 with a file), so the plan is the one a real
    // brand gets: a probe of the content ids, not a walk over the brand's messages.
    await p.t.ownerQuery(
      `INSERT INTO messages (agency_id, id, brand_id, channel_id, conversation_id, direction, body, attachments)
       SELECT m.agency_id, gen_random_uuid(), m.brand_id, m.channel_id, m.conversation_id, 'INBOUND', 'hi ' || i,
              CASE WHEN i % 20 = 0 THEN '[{"type":"IMAGE","url":"https://cdn.example/p.jpg"}]'::jsonb ELSE '[]' END
         FROM (SELECT * FROM messages WHERE agency_id = $1 AND brand_id = $2 LIMIT 1) m, generate_series(1, 20000) i`,
      [a1.agencyId, a1.brandId],
    );
    await p.t.ownerQuery('ANALYZE messages');
    const client = new Client({ connectionString: p.t.ownerUrl });
    await client.connect();
    const plans: string[] = [];
    client.on('notice', (n) => plans.push(n.message ?? ''));
    try {
      await client.query('BEGIN');
      await client.query(`LOAD 'auto_explain'`);
      for (const s of [
        'auto_explain.log_min_duration = 0',
        'auto_explain.log_nested_statements = on',
        'auto_explain.log_level = notice',
        // inbound_events is tiny here: rule out the sequential scan, so the plan shows what an index serves.
        'enable_seqscan = off',
      ]) {
        await client.query(`SET LOCAL ${s}`);
      }
      const [gc] = (
        await client.query(`SELECT deleted FROM collect_attachment_contents(null, null, null, 100000)`)
      ).rows;
      expect(gc.deleted).toBe(1);
    } finally {
      await client.query('ROLLBACK');
      await client.end();
    }
    const plan = plans.join('\n');
    expect(plan).toMatch(/Bitmap Index Scan on messages_content_ids_idx/);
    for (const index of [
      'inbound_events_pending_idx',
      'inbound_events_failed_idx',
      'inbound_events_waiting_idx',
    ]) {
      expect(plan).toMatch(new RegExp(`Index Scan using ${index} on inbound_events`));
    }
  });
});

describe('AttachmentContentCollector in the worker (ATTACHMENT_GC_PERIOD_SECONDS)', () => {
  let p: Pipeline;
  beforeAll(async () => {
    p = await startPipeline({ ATTACHMENT_GC_PERIOD_SECONDS: '1' });
  });
  afterAll(() => p?.close());

  it('runs on its timer', async () => {
    const owner = await p.signUp('Timed agency');
    const brandId = await p.createBrand(owner);
    const f = file('collected on the timer');
    await p.t.ownerQuery(
      `INSERT INTO attachment_contents (agency_id, brand_id, sha256, mime_type, size, content, created_at)
       VALUES ($1, $2, $3, 'text/plain', $4, $5, now() - interval '2 days')`,
      [owner.agencyId, brandId, sha(f), f.length, f],
    );
    await eventually(
      async () =>
        (await p.t.count(`attachment_contents WHERE agency_id = $1`, [owner.agencyId])) === 0
          ? true
          : undefined,
      10_000,
    );
  });
});

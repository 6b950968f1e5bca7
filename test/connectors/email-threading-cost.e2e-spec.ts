import type { QueryRunner } from 'typeorm';
import { RequestContext, TenantDb } from '@caredesk/core';
import { NormalizedMessage, Platform } from '@caredesk/channels';
import { PlacementItem, ThreadingService, ThreadingTarget } from '@caredesk/inbox';
import { EmailPayload } from '../../libs/channels/src/connectors/email/email-delivery';
import { normalizeEmail } from '../../libs/channels/src/connectors/email/email-normalize';
import { MessageAncestors1764330000000 } from '../../libs/core/src/database/migrations/1764330000000-message-ancestors';
import { REPLIED_THREADS_SQL } from '../../libs/inbox/src/threading/replied-threads';
import { STRANDED_REPLIES_SQL } from '../../libs/inbox/src/threading/stranded-replies';
import { statementCounter } from '../inbox/conversations.support';
import { Pipeline, SignedUp, startPipeline } from '../support/pipeline';
import { addBulkMessages, withPlans } from '../support/query-plans';
import { placeAtTheSameMoment } from '../support/threading-race';
import { threadReads, writtenAt } from './email-threading.support';

const KARI = 'kari.nordmann@example.no';
const OLA = 'ola.hansen@example.no';
const PER = 'per.berg@example.no';

/**
 * Email threading by ancestors, below the SMTP listener (ThreadingService, as the ingest worker calls
 * it): a mail and the one it names stored by two transactions at the same moment, the statements a
 * batch costs, the plans of the look-ups, and the migration's backfill.
 */
describe('Email threading by ancestors: races, cost, plans, migration', () => {
  let p: Pipeline;
  let a: SignedUp;
  let brandId: string;
  let channelId: string;
  let mailbox: string;
  let reads: ReturnType<typeof threadReads>;

  const target = (): ThreadingTarget => ({
    channelId,
    brandId,
    platform: Platform.EMAIL,
    reopenWindowHours: 24,
  });
  const mail = (h: {
    id: string;
    minute: number;
    inReplyTo?: string[];
    references?: string[];
    /** Default Kari, to the mailbox; the brand's own mail: from the mailbox. */
    from?: string;
    to?: string[];
    cc?: string[];
  }) => {
    const address = (a: string) => ({ address: a, name: null });
    const payload: EmailPayload = {
      recipient: mailbox,
      messageId: h.id,
      inReplyTo: h.inReplyTo ?? [],
      references: h.references ?? [],
      subject: 'Order #30001',
      from: h.from ? address(h.from) : { address: KARI, name: 'Kari Nordmann' },
      to: (h.to ?? [mailbox]).map(address),
      cc: (h.cc ?? []).map(address),
      date: writtenAt(h.minute).toISOString(),
      text: `Mail ${h.id}`,
      attachments: [],
    };
    return normalizeEmail(mailbox, payload)[0] as NormalizedMessage;
  };
  const apply = (msgs: NormalizedMessage[]) =>
    p.t.app.get(TenantDb).run(RequestContext.system(a.agencyId, 'test'), (tx) =>
      p.t.app.get(ThreadingService).applyMessages(
        tx,
        msgs.map((msg): PlacementItem => ({ target: target(), msg })),
      ),
    );

  beforeAll(async () => {
    // No worker: every message here is placed by the test, so the statement count is the batch's own.
    p = await startPipeline({}, { worker: false });
    reads = threadReads(p);
    a = await p.signUp('Email cost agency');
    brandId = await p.createBrand(a);
    mailbox = `support-${Date.now()}@cost.example`;
    channelId = (await p.connectChannel(a, brandId, 'EMAIL', mailbox)).id;
  });
  afterAll(() => p?.close());

  describe('a mail and the mail it names, stored at the same moment (two transactions)', () => {
    it.each([
      ['the named mail first, the naming one waiting', 'NAMED', 'r1'],
      ['the naming mail first, the named one waiting', 'NAMING', 'r2'],
    ])('%s → one conversation', async (_, firstOne, base) => {
      const [root, named, naming] = [`${base}.root@x`, `${base}.2@x`, `${base}.3@x`];
      await apply([mail({ id: root, minute: 0 })]);
      const parent = mail({ id: named, minute: 1, inReplyTo: [root], references: [root] });
      // Names `named` in References only (In-Reply-To: a draft the brand never got).
      const child = mail({ id: naming, minute: 2, inReplyTo: ['draft@x'], references: [named, 'draft@x'] });
      if (firstOne === 'NAMED') await placeAtTheSameMoment(p.t, a.agencyId, target(), parent, child);
      else await placeAtTheSameMoment(p.t, a.agencyId, target(), child, parent);

      const thread = (await reads.placed(root, a.agencyId)).conversation_id;
      expect(await reads.messagesIn(thread)).toEqual([root, named, naming]);
      expect(
        await p.t.count(`conversations WHERE agency_id = $1 AND thread_key LIKE $2`, [
          a.agencyId,
          `email:${base}%`,
        ]),
      ).toBe(1);
    });
  });

  describe("a colleague on the CC of the brand's personal mail answers it: one conversation however they meet", () => {
    const personal = (base: string) =>
      mail({ id: `${base}.start@brand`, minute: 50, from: mailbox, to: [KARI], cc: [OLA] });
    const answer = (base: string, from: string, minute: number) =>
      mail({ id: `${base}.${from}`, minute, from, inReplyTo: [`${base}.start@brand`] });
    const conversations = (base: string) =>
      p.t.ownerQuery<{ thread_key: string; ids: string[] }>(
        `SELECT c.thread_key, array_agg(m.external_id ORDER BY m.written_at) AS ids
           FROM conversations c JOIN messages m ON m.agency_id = c.agency_id AND m.conversation_id = c.id
          WHERE c.agency_id = $1 AND c.thread_key LIKE $2 GROUP BY c.agency_id, c.id, c.thread_key ORDER BY c.thread_key`,
        [a.agencyId, `email:${base}.%`],
      );

    it('in one batch, the replies given before the mail: Ola (CC) joins it, Per (not shown) does not', async () => {
      await apply([answer('b1', OLA, 51), answer('b1', PER, 52), personal('b1')]);
      expect(await conversations('b1')).toEqual([
        { thread_key: 'email:b1.start@brand', ids: ['b1.start@brand', `b1.${OLA}`] },
        { thread_key: `email:b1.start@brand ${PER}`, ids: [`b1.${PER}`] },
      ]);
    });

    it.each([
      ["the brand's mail first, the reply waiting (the reply finds it after the lock)", 'MAIL', 'r3'],
      ["the reply first, the brand's mail waiting (the mail finds the reply naming it)", 'REPLY', 'r4'],
    ])('at the same moment, %s → one conversation', async (_, firstOne, base) => {
      const [start, reply] = [personal(base), answer(base, OLA, 51)];
      if (firstOne === 'MAIL') await placeAtTheSameMoment(p.t, a.agencyId, target(), start, reply);
      else await placeAtTheSameMoment(p.t, a.agencyId, target(), reply, start);
      const [one, ...more] = await conversations(base);
      expect(more).toEqual([]);
      expect(one.ids).toEqual([`${base}.start@brand`, `${base}.${OLA}`]);
    });

    it("at the same moment, a stranger's reply (not shown by the mail) stays apart", async () => {
      await placeAtTheSameMoment(p.t, a.agencyId, target(), personal('r5'), answer('r5', PER, 51));
      expect((await conversations('r5')).map((c) => c.ids)).toEqual([['r5.start@brand'], [`r5.${PER}`]]);
    });
  });

  it('a batch of mails naming stored ones costs one statement more than before, whatever its size', async () => {
    await apply([mail({ id: 'cost.root@x', minute: 10 })]);
    let n = 0;
    const replies = (count: number) => () =>
      apply(
        Array.from({ length: count }, () => {
          n++;
          return mail({
            id: `cost.${n}@x`,
            minute: 11,
            inReplyTo: ['cost.root@x'],
            references: ['cost.root@x'],
          });
        }),
      );
    const firsts = (count: number) => () =>
      apply(Array.from({ length: count }, () => mail({ id: `first.${++n}@x`, minute: 12 })));
    const dms = (count: number) => () =>
      apply(
        Array.from({ length: count }, () => ({
          ...mail({ id: `dm.${++n}@x`, minute: 13 }),
          kind: 'DM' as const,
          threadKey: `dm:${KARI}`,
          ancestorExternalIds: undefined,
        })),
      );
    const counter = statementCounter();
    try {
      const few = await counter.measure(replies(3));
      const many = await counter.measure(replies(20));
      const fresh = await counter.measure(firsts(3));
      const direct = await counter.measure(dms(3));
      const uses = (run: { data: string[] }, sql: string) => run.data.filter((s) => s === sql).length;

      expect(many.all.length).toBe(few.all.length);
      // Before the locks, the stored ancestors (new); after them, the look-up of stored mails naming
      // the new ones (also before this change, for every batch holding mails).
      expect([uses(few, REPLIED_THREADS_SQL), uses(few, STRANDED_REPLIES_SQL)]).toEqual([1, 1]);
      expect([uses(fresh, REPLIED_THREADS_SQL), uses(fresh, STRANDED_REPLIES_SQL)]).toEqual([0, 1]);
      expect([uses(direct, REPLIED_THREADS_SQL), uses(direct, STRANDED_REPLIES_SQL)]).toEqual([0, 0]);
      // Replies joining a conversation vs DMs joining one: the same path plus those two.
      expect(few.all.length).toBe(direct.all.length + 2);
    } finally {
      counter.restore();
    }
  });

  it('the look-ups are served by messages_external_key, the thread index and messages_ancestors_idx', async () => {
    await withPlans(p.t.ownerUrl, async (plan, owner) => {
      const ids = [[channelId], ['cost.root@x']];
      const replied = await plan(REPLIED_THREADS_SQL, [a.agencyId, ...ids, ...ids]);
      expect(replied).toMatch(/Index (Only )?Scan using messages_external_key on messages/);
      expect(replied).toMatch(
        /Index (Only )?Scan using conversations_(thread_idx|open_thread_key) on conversations/,
      );
      // "Which stored mails name one of these": only the index on the names finds the few without
      // reading every mail of a large mailbox.
      const [root] = (await owner.query(`SELECT id FROM messages WHERE external_id = 'cost.root@x'`)).rows;
      await addBulkMessages(owner, root.id);
      const stranded = await plan(STRANDED_REPLIES_SQL, [a.agencyId, [], [], [], [], ...ids]);
      expect(stranded).toMatch(/Bitmap Index Scan on messages_ancestors_idx/);
    });
  });

  it('migration 1764330000000: down drops the column, up backfills what ingest stores', async () => {
    await apply([
      mail({
        id: 'long.40@x',
        minute: 40,
        inReplyTo: ['long.39@x'],
        references: Array.from({ length: 39 }, (_, i) => `long.${i}@x`),
      }),
    ]);
    const stored = () =>
      p.t.ownerQuery(
        `SELECT id, ancestor_external_ids FROM messages WHERE ancestor_external_ids IS NOT NULL ORDER BY id`,
      );
    const before = await stored();
    expect(before.length).toBeGreaterThan(20);
    expect(before.some((r) => r.ancestor_external_ids.length === 9)).toBe(true);
    const runner = { query: (sql: string) => p.t.ownerQuery(sql) } as unknown as QueryRunner;
    const migration = new MessageAncestors1764330000000();
    await migration.down(runner);
    expect(await p.t.count(`information_schema.columns WHERE column_name = 'ancestor_external_ids'`)).toBe(0);
    await migration.up(runner);
    expect(await stored()).toEqual(before);
  });
});

import { CONVERSATION } from '../inbox/conversations.support';
import { deliverMail } from '../support/deliver-mail';
import { createMember } from '../support/members';
import { Pipeline, SignedUp, startPipeline, uniqueAccountId } from '../support/pipeline';
import { freePort } from '../support/ports';
import { SmtpCapture, startSmtpCapture } from '../support/smtp-capture';
import { MailHeaders, rawMail, sentReply, threadReads, writtenAt } from './email-threading.support';

const KARI = 'Kari Nordmann <kari.nordmann@example.no>';
const OLA = 'Ola Hansen <ola.hansen@example.no>';
const PER = 'Per Berg <per.berg@example.no>';

/**
 * Email threading by any stored ancestor (In-Reply-To, then References from the last entry), through
 * the real SMTP listener and worker: trimmed References, a parent delivered after its child, replies
 * to a brand's newsletter (one conversation per customer), replies to a brand's personal mail (its
 * visible recipients join it) and mails quoting another tenant's ids.
 */
describe('Email threading by any known References id', () => {
  let capture: SmtpCapture;
  let p: Pipeline;
  let a: SignedUp;
  let other: SignedUp;
  let brand1: string;
  let brand2: string;
  let mailbox: string;
  let mailbox2: string;
  let otherMailbox: string;
  let port: number;
  let reads: ReturnType<typeof threadReads>;

  /** Delivers each mail to mailbox `to` (default: brand 1's), waiting for ingest after each. */
  const deliver = async (mails: (Omit<MailHeaders, 'to'> & { to?: string })[], to = mailbox) => {
    for (const m of mails) {
      const info = await deliverMail(port, rawMail({ ...m, to: m.to ?? to }), to);
      expect(info.response).toMatch(/^250/);
      for (const agency of [a, other]) await p.waitForEvents({ agencyId: agency.agencyId });
    }
  };
  const placed = (id: string, agency = a) => reads.placed(id, agency.agencyId);
  /** The brand's campaign, sent from its mailbox to a list and copied into the mailbox (BCC). */
  const NEWSLETTER = {
    get from() {
      return `Brand <${mailbox}>`;
    },
    to: 'Subscribers <news@lists.brand.example>',
  };
  const conversationsOf = (agency: SignedUp) =>
    p.t.ownerQuery(`SELECT * FROM conversations WHERE agency_id = $1 ORDER BY id`, [agency.agencyId]);

  beforeAll(async () => {
    capture = await startSmtpCapture();
    port = await freePort();
    p = await startPipeline({
      INBOUND_SMTP_HOST: '127.0.0.1',
      INBOUND_SMTP_PORT: String(port),
      SMTP_URL: capture.url,
      SWEEP_AFTER_SECONDS: '3600',
    });
    reads = threadReads(p);
    const smtp = { extra: [{ key: 'smtpUrl', value: capture.url }] };
    a = await p.signUp('Threading agency');
    brand1 = await p.createBrand(a);
    brand2 = await p.createBrand(a);
    other = await p.signUp('Other agency');
    const otherBrand = await p.createBrand(other);
    mailbox = `${uniqueAccountId('support')}@brand.example`.toLowerCase();
    mailbox2 = `${uniqueAccountId('help')}@brand-two.example`.toLowerCase();
    otherMailbox = `${uniqueAccountId('care')}@other.example`.toLowerCase();
    await p.connectChannel(a, brand1, 'EMAIL', mailbox, smtp);
    await p.connectChannel(a, brand2, 'EMAIL', mailbox2, smtp);
    await p.connectChannel(other, otherBrand, 'EMAIL', otherMailbox, smtp);
  });
  afterAll(async () => {
    await p?.close();
    await capture?.close();
  });

  it('trimmed References (only the last id, a non-root first id) → the same conversation', async () => {
    await deliver([{ id: 'trim.1@mail.example.no', from: KARI, minute: 0, subject: 'Order #20001' }]);
    const thread = (await placed('trim.1@mail.example.no')).conversation_id;
    const ours = await sentReply(p, a, thread, 'We are looking into it.');
    await deliver([
      // Only the last entry kept (Outlook/Exchange, some mobile clients): our reply.
      { id: 'trim.2@mail.example.no', from: KARI, minute: 10, inReplyTo: ours, references: [ours] },
      // References starting at a mail that is not the root.
      {
        id: 'trim.3@mail.example.no',
        from: KARI,
        minute: 20,
        inReplyTo: 'trim.2@mail.example.no',
        references: ['trim.2@mail.example.no'],
      },
      // A list or forwarded mail: its first entry was never delivered here; its last one was.
      {
        id: 'trim.4@mail.example.no',
        from: KARI,
        minute: 30,
        inReplyTo: 'trim.3@mail.example.no',
        references: ['list.9@lists.example.org', 'trim.3@mail.example.no'],
      },
    ]);
    // (Our reply is dated by the clock, the customer's mails by their fixed Date headers: compare as sets.)
    expect((await reads.messagesIn(thread)).sort()).toEqual(
      [
        ours,
        'trim.1@mail.example.no',
        'trim.2@mail.example.no',
        'trim.3@mail.example.no',
        'trim.4@mail.example.no',
      ].sort(),
    );
    expect(await p.t.count(`conversations WHERE agency_id = $1`, [a.agencyId])).toBe(1);

    // Our next reply carries the whole chain known so far: the root first, though the customer's
    // client dropped it, then the answered mail's References and its Message-ID.
    const next = await sentReply(p, a, thread, 'A new parcel is on its way.');
    const sent = await capture.waitFor((m) => m.raw.includes(next));
    const unfolded = sent.raw.replace(/\r?\n[ \t]+/g, ' ');
    expect(unfolded).toMatch(/^In-Reply-To: <trim\.4@mail\.example\.no>\r?$/im);
    expect(unfolded).toMatch(
      /^References: <trim\.1@mail\.example\.no> <list\.9@lists\.example\.org> <trim\.3@mail\.example\.no> <trim\.4@mail\.example\.no>\r?$/im,
    );
  });

  it('the parent, named only in References, delivered after the child → folded into one conversation', async () => {
    await deliver([{ id: 'late.1@mail.example.no', from: KARI, minute: 100 }]);
    const thread = (await placed('late.1@mail.example.no')).conversation_id;
    // In-Reply-To names a mail the brand never got (Kari's own draft); References name late.2, not here yet.
    await deliver([
      {
        id: 'late.3@mail.example.no',
        from: KARI,
        minute: 120,
        inReplyTo: 'draft.7@mail.example.no',
        references: ['late.2@mail.example.no', 'draft.7@mail.example.no'],
      },
    ]);
    const alone = await placed('late.3@mail.example.no');
    expect(alone.conversation_id).not.toBe(thread);
    expect(alone.thread_key).toBe('email:late.2@mail.example.no kari.nordmann@example.no');

    await deliver([
      {
        id: 'late.2@mail.example.no',
        from: KARI,
        minute: 110,
        inReplyTo: 'late.1@mail.example.no',
        references: ['late.1@mail.example.no'],
      },
    ]);
    expect(await reads.messagesIn(thread)).toEqual([
      'late.1@mail.example.no',
      'late.2@mail.example.no',
      'late.3@mail.example.no',
    ]);
    expect(await reads.conversationExists(alone.conversation_id)).toBe(false);
    const [c] = await p.t.ownerQuery(`SELECT * FROM conversations WHERE id = $1`, [thread]);
    expect(c).toMatchObject({ status: 'OPEN', last_message_at: writtenAt(120) });
  });

  it('the root delivered after its answer: the answer’s conversation (older) keeps its id and takes it in', async () => {
    await deliver([
      {
        id: 'root-late.2@mail.example.no',
        from: KARI,
        minute: 210,
        inReplyTo: 'root-late.1@mail.example.no',
        references: ['root-late.1@mail.example.no'],
      },
    ]);
    const early = (await placed('root-late.2@mail.example.no')).conversation_id;
    await deliver([{ id: 'root-late.1@mail.example.no', from: KARI, minute: 200 }]);
    expect((await placed('root-late.1@mail.example.no')).conversation_id).toBe(early);
    expect(await reads.messagesIn(early)).toEqual([
      'root-late.1@mail.example.no',
      'root-late.2@mail.example.no',
    ]);
    const [c] = await p.t.ownerQuery(`SELECT * FROM conversations WHERE id = $1`, [early]);
    expect(c.awaiting_reply_since).toEqual(writtenAt(200));
  });

  describe("replies to the brand's newsletter: one conversation per customer", () => {
    it('a stored newsletter: each customer their own; a reply to a customer’s mail joins theirs', async () => {
      // The brand's campaign, copied into the mailbox: OUTBOUND, answering nothing.
      await deliver([{ id: 'news.1@brand.example', ...NEWSLETTER, minute: 300, subject: 'Autumn sale' }]);
      const news = await placed('news.1@brand.example');
      const answer = (id: string, from: string, minute: number, extra: Partial<MailHeaders> = {}) => ({
        id,
        from,
        minute,
        inReplyTo: 'news.1@brand.example',
        references: ['news.1@brand.example'],
        subject: 'Re: Autumn sale',
        ...extra,
      });
      await deliver([
        answer('news-kari.1@mail.example.no', KARI, 310),
        answer('news-ola.1@mail.example.no', OLA, 311),
        // Kari again, answering the newsletter, not her first mail: still her conversation.
        answer('news-kari.2@mail.example.no', KARI, 320),
        // Ola, on CC of Kari's first mail, answers it: the same reply chain with the brand.
        answer('news-ola.2@mail.example.no', OLA, 330, {
          inReplyTo: 'news-kari.1@mail.example.no',
          references: ['news.1@brand.example', 'news-kari.1@mail.example.no'],
        }),
      ]);
      const kari = await placed('news-kari.1@mail.example.no');
      const ola = await placed('news-ola.1@mail.example.no');
      expect(new Set([news.conversation_id, kari.conversation_id, ola.conversation_id]).size).toBe(3);
      expect(await reads.messagesIn(news.conversation_id)).toEqual(['news.1@brand.example']);
      expect(await reads.messagesIn(kari.conversation_id)).toEqual([
        'news-kari.1@mail.example.no',
        'news-kari.2@mail.example.no',
        'news-ola.2@mail.example.no',
      ]);
      expect(await reads.messagesIn(ola.conversation_id)).toEqual(['news-ola.1@mail.example.no']);
    });

    it('a newsletter never stored: each customer their own conversation', async () => {
      const answer = (id: string, from: string, minute: number) => ({
        id,
        from,
        minute,
        inReplyTo: 'campaign.5@esp.example',
        references: ['campaign.5@esp.example'],
      });
      await deliver([
        answer('esp-kari.1@mail.example.no', KARI, 400),
        answer('esp-ola.1@mail.example.no', OLA, 401),
        answer('esp-kari.2@mail.example.no', KARI, 402),
      ]);
      const kari = (await placed('esp-kari.1@mail.example.no')).conversation_id;
      expect(await reads.messagesIn(kari)).toEqual([
        'esp-kari.1@mail.example.no',
        'esp-kari.2@mail.example.no',
      ]);
      expect(await reads.messagesIn((await placed('esp-ola.1@mail.example.no')).conversation_id)).toEqual([
        'esp-ola.1@mail.example.no',
      ]);
    });

    it("a customer's reply delivered before the newsletter's copy is not folded into it", async () => {
      await deliver([
        {
          id: 'news-per.1@mail.example.no',
          from: PER,
          minute: 510,
          inReplyTo: 'news.2@brand.example',
          references: ['news.2@brand.example'],
        },
      ]);
      const per = (await placed('news-per.1@mail.example.no')).conversation_id;
      await deliver([{ id: 'news.2@brand.example', ...NEWSLETTER, minute: 500 }]);
      const news = (await placed('news.2@brand.example')).conversation_id;
      expect(news).not.toBe(per);
      expect(await reads.messagesIn(per)).toEqual(['news-per.1@mail.example.no']);
    });
  });

  describe('replies to a mail the brand started: a personal mail is joined by its visible recipients', () => {
    const brandMail = (id: string, minute: number, to: string, cc?: string) => ({
      id,
      from: `Brand <${mailbox}>`,
      to,
      ...(cc ? { cc } : {}),
      minute,
      subject: 'Your order #20077',
    });
    const answer = (root: string, id: string, from: string, minute: number, cc?: string) => ({
      id,
      from,
      minute,
      inReplyTo: root,
      references: [root],
      subject: 'Re: Your order #20077',
      ...(cc ? { cc } : {}),
    });
    const customerOf = async (conversationId: string) =>
      (
        await p.t.ownerQuery<{ external_user_id: string }>(
          `SELECT ci.external_user_id FROM conversations c
             JOIN contact_identities ci ON ci.agency_id = c.agency_id AND ci.contact_id = c.contact_id
            WHERE c.id = $1`,
          [conversationId],
        )
      ).map((r) => r.external_user_id);
    const keyed = (root: string) =>
      p.t.count(`conversations WHERE agency_id = $1 AND thread_key LIKE $2`, [a.agencyId, `email:${root}%`]);

    it("To one customer, a colleague on CC: the colleague's reply-all joins the customer's conversation", async () => {
      // The brand writes to Kari from its own client, Ola on CC; the copy reaches the mailbox (BCC).
      await deliver([brandMail('personal.1@brand.example', 800, KARI, OLA)]);
      const thread = await placed('personal.1@brand.example');
      await deliver([
        answer('personal.1@brand.example', 'personal-ola.1@mail.example.no', OLA, 810, KARI),
        answer('personal.1@brand.example', 'personal-kari.1@mail.example.no', KARI, 820, OLA),
      ]);
      expect(await reads.messagesIn(thread.conversation_id)).toEqual([
        'personal.1@brand.example',
        'personal-ola.1@mail.example.no',
        'personal-kari.1@mail.example.no',
      ]);
      expect(thread.thread_key).toBe('email:personal.1@brand.example');
      expect(await keyed('personal.1@brand.example')).toBe(1);
      // Still the conversation with the customer the brand wrote to.
      expect(await customerOf(thread.conversation_id)).toEqual(['kari.nordmann@example.no']);
      const [stored] = await p.t.ownerQuery(`SELECT reply_context FROM messages WHERE external_id = $1`, [
        'personal.1@brand.example',
      ]);
      expect(stored.reply_context).toMatchObject({
        mailTo: 'kari.nordmann@example.no',
        mailCc: 'ola.hansen@example.no',
      });
    });

    it('To two customers (a broadcast): the second one answers in a conversation of their own', async () => {
      await deliver([brandMail('bcast.1@brand.example', 900, `${KARI}, ${OLA}`)]);
      const thread = (await placed('bcast.1@brand.example')).conversation_id;
      await deliver([
        answer('bcast.1@brand.example', 'bcast-kari.1@mail.example.no', KARI, 910),
        answer('bcast.1@brand.example', 'bcast-ola.1@mail.example.no', OLA, 911, KARI),
      ]);
      // Kari, the first To, is the brand's conversation's customer: her answer joins it.
      expect(await reads.messagesIn(thread)).toEqual([
        'bcast.1@brand.example',
        'bcast-kari.1@mail.example.no',
      ]);
      const ola = await placed('bcast-ola.1@mail.example.no');
      expect(ola.thread_key).toBe('email:bcast.1@brand.example ola.hansen@example.no');
      expect(await reads.messagesIn(ola.conversation_id)).toEqual(['bcast-ola.1@mail.example.no']);
    });

    it('a replier the mail did not show (BCC) answers in a conversation of their own', async () => {
      await deliver([brandMail('bcc.1@brand.example', 1000, KARI, OLA)]);
      const thread = (await placed('bcc.1@brand.example')).conversation_id;
      await deliver([answer('bcc.1@brand.example', 'bcc-per.1@mail.example.no', PER, 1010)]);
      const per = await placed('bcc-per.1@mail.example.no');
      expect(per.thread_key).toBe('email:bcc.1@brand.example per.berg@example.no');
      expect(await reads.messagesIn(thread)).toEqual(['bcc.1@brand.example']);
      expect(await reads.messagesIn(per.conversation_id)).toEqual(['bcc-per.1@mail.example.no']);
    });

    it("the colleague's reply delivered before the brand's mail: folded into one conversation when it comes", async () => {
      await deliver([
        answer('late-personal.1@brand.example', 'late-personal-ola.1@mail.example.no', OLA, 1110, KARI),
        answer('late-personal.1@brand.example', 'late-personal-per.1@mail.example.no', PER, 1111),
      ]);
      const ola = await placed('late-personal-ola.1@mail.example.no');
      expect(ola.thread_key).toBe('email:late-personal.1@brand.example ola.hansen@example.no');
      const per = (await placed('late-personal-per.1@mail.example.no')).conversation_id;

      await deliver([brandMail('late-personal.1@brand.example', 1100, KARI, OLA)]);
      // The older conversation (Ola's) keeps its id and takes the brand's mail in; Per, not shown, stays apart.
      expect((await placed('late-personal.1@brand.example')).conversation_id).toBe(ola.conversation_id);
      await deliver([
        answer('late-personal.1@brand.example', 'late-personal-kari.1@mail.example.no', KARI, 1120),
      ]);
      expect(await reads.messagesIn(ola.conversation_id)).toEqual([
        'late-personal.1@brand.example',
        'late-personal-ola.1@mail.example.no',
        'late-personal-kari.1@mail.example.no',
      ]);
      expect(await reads.messagesIn(per)).toEqual(['late-personal-per.1@mail.example.no']);
      expect(await keyed('late-personal.1@brand.example')).toBe(2);
    });
  });

  describe('tenancy: ids are matched on the same channel only', () => {
    it("a mail quoting another agency's or another brand's Message-ID never joins its conversation", async () => {
      await deliver([{ id: 'foreign.1@mail.example.no', from: KARI, minute: 600 }], otherMailbox);
      await deliver([{ id: 'brand2.1@mail.example.no', from: KARI, minute: 601 }], mailbox2);
      const before = await conversationsOf(other);
      await deliver([
        {
          id: 'quoting.1@mail.example.no',
          from: KARI,
          minute: 610,
          inReplyTo: 'foreign.1@mail.example.no',
          references: ['brand2.1@mail.example.no', 'foreign.1@mail.example.no'],
        },
      ]);
      const quoting = await placed('quoting.1@mail.example.no');
      expect(quoting.brand_id).toBe(brand1);
      expect(await reads.messagesIn(quoting.conversation_id)).toEqual(['quoting.1@mail.example.no']);
      const brand2Thread = (await placed('brand2.1@mail.example.no')).conversation_id;
      expect(await reads.messagesIn(brand2Thread)).toEqual(['brand2.1@mail.example.no']);
      expect(await conversationsOf(other)).toEqual(before);

      // Through the API: brand 2's agent does not see the quoting mail, nor its conversation.
      const agent2 = await createMember(p.t, a.agencyId, 'AGENT', [brand2]);
      const { conversation } = await agent2.client.ok(CONVERSATION, { id: brand2Thread });
      expect(conversation.messages.edges).toHaveLength(1);
      for (const [client, id] of [
        [agent2.client, quoting.conversation_id],
        [other.client, quoting.conversation_id],
      ] as const) {
        expect((await client.request(CONVERSATION, { id })).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      }
    });

    it('a mail stored here naming an id later delivered to another tenant or brand is not folded', async () => {
      await deliver([
        {
          id: 'here.2@mail.example.no',
          from: KARI,
          minute: 710,
          inReplyTo: 'there.1@mail.example.no',
          references: ['there.1@mail.example.no'],
        },
      ]);
      const here = (await placed('here.2@mail.example.no')).conversation_id;
      const mine = await p.t.ownerQuery(`SELECT * FROM conversations WHERE id = $1`, [here]);
      await deliver([{ id: 'there.1@mail.example.no', from: KARI, minute: 700 }], otherMailbox);
      await deliver([{ id: 'there.1@mail.example.no', from: KARI, minute: 700 }], mailbox2);
      expect(await p.t.ownerQuery(`SELECT * FROM conversations WHERE id = $1`, [here])).toEqual(mine);
      expect(await reads.messagesIn(here)).toEqual(['here.2@mail.example.no']);
      expect((await placed('there.1@mail.example.no', other)).conversation_id).not.toBe(here);
      const inBrand2 = await p.t.ownerQuery(
        `SELECT m.conversation_id FROM messages m JOIN channels ch ON ch.id = m.channel_id
          WHERE m.agency_id = $1 AND m.external_id = 'there.1@mail.example.no' AND ch.brand_id = $2`,
        [a.agencyId, brand2],
      );
      expect(inBrand2).toHaveLength(1);
      expect(inBrand2[0].conversation_id).not.toBe(here);
    });
  });
});

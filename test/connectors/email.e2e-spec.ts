import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import { SmtpCapture, startSmtpCapture } from '../support/smtp-capture';
import { Pipeline, SignedUp, startPipeline, uniqueAccountId } from '../support/pipeline';
import { eventually } from '../support/eventually';
import { deliverMail } from '../support/deliver-mail';
import { freePort } from '../support/ports';

const SECRET = 'email-relay-secret-e2e';
const REPLY = `mutation($input: ReplyToConversationInput!) { replyToConversation(input: $input) { id status } }`;
const eml = (name: string, mailbox: string) =>
  readFileSync(join(__dirname, '../fixtures/email', `${name}.eml`), 'utf8').replaceAll(
    'support@brand.example',
    mailbox,
  );

/** Email through the real intake: SMTP to our listener (and the relay webhook) → rows → a reply by SMTP. */
describe('Email end to end', () => {
  let capture: SmtpCapture;
  let p: Pipeline;
  let a: SignedUp;
  let mailbox: string;
  let port: number;

  const deliver = (raw: string, to: string) => deliverMail(port, raw, to);
  /** Kari's answer in the thread of the "plain" fixture mail. */
  const answer = (h: { id: string; date: string; inReplyTo: string; references?: string; body: string }) =>
    [
      'From: Kari Nordmann <kari.nordmann@example.no>',
      `To: ${mailbox}`,
      'Subject: Re: Order #10443 has not arrived yet',
      `Date: ${h.date}`,
      `Message-ID: <${h.id}>`,
      `In-Reply-To: <${h.inReplyTo}>`,
      ...(h.references ? [`References: ${h.references}`] : []),
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      h.body,
      '',
    ].join('\r\n');

  beforeAll(async () => {
    capture = await startSmtpCapture();
    port = await freePort();
    p = await startPipeline({
      INBOUND_SMTP_HOST: '127.0.0.1',
      INBOUND_SMTP_PORT: String(port),
      EMAIL_WEBHOOK_SECRET: SECRET,
      SMTP_URL: capture.url,
    });
    a = await p.signUp('Email agency');
    const brandId = await p.createBrand(a);
    mailbox = `${uniqueAccountId('support')}@brand.example`.toLowerCase();
    await p.connectChannel(a, brandId, 'EMAIL', mailbox, { extra: [{ key: 'smtpUrl', value: capture.url }] });
  });
  afterAll(async () => {
    await p?.close();
    await capture?.close();
  });

  it('mail for an address that is no connected channel is refused at RCPT TO (550), nothing stored', async () => {
    const err = await deliver(eml('plain', 'nobody@brand.example'), 'nobody@brand.example').catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ responseCode: 550 });
    expect(await p.t.count('inbound_events')).toBe(0);
  });

  it('without INBOUND_SMTP_TLS_CERT/KEY no STARTTLS is offered: a sender that requires TLS cannot deliver', async () => {
    const err = await createTransport({ host: '127.0.0.1', port, secure: false, requireTLS: true })
      .sendMail({ envelope: { from: 'bounce@example.no', to: [mailbox] }, raw: eml('plain', mailbox) })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ message: expect.stringMatching(/STARTTLS/i) });
    expect(await p.t.count('inbound_events')).toBe(0);
  });

  it('a mail (delivered 3 times) and the reply to it → one EMAIL conversation, two messages', async () => {
    for (let i = 0; i < 3; i++) {
      const info = await deliver(eml('plain', mailbox), mailbox.toUpperCase());
      expect(info.response).toMatch(/^250/);
    }
    await deliver(eml('reply-references', mailbox), mailbox);
    await p.waitForEvents({ agencyId: a.agencyId });

    const conversations = await p.t.ownerQuery(
      `SELECT kind, thread_key, subject FROM conversations WHERE agency_id = $1`,
      [a.agencyId],
    );
    expect(conversations).toEqual([
      {
        kind: 'EMAIL',
        thread_key: 'email:CAF=plain.10443@mail.example.no',
        subject: 'Order #10443 has not arrived yet',
      },
    ]);
    const messages = await p.t.ownerQuery(
      `SELECT external_id, direction, visibility, body FROM messages WHERE agency_id = $1 ORDER BY platform_created_at`,
      [a.agencyId],
    );
    expect(messages).toEqual([
      {
        external_id: 'CAF=plain.10443@mail.example.no',
        direction: 'INBOUND',
        visibility: 'PRIVATE',
        body: expect.stringContaining('order #10443'),
      },
      {
        external_id: 'CAF=reply.2@mail.example.no',
        direction: 'INBOUND',
        visibility: 'PRIVATE',
        body: 'Thanks, it arrived today — all good!\n\n> We have sent a new parcel.',
      },
    ]);
    const identities = await p.t.ownerQuery(
      `SELECT external_user_id, display_name FROM contact_identities WHERE agency_id = $1`,
      [a.agencyId],
    );
    // One identity for both mails; its name is the latest the sender used ("Kari Nordmann" in the reply).
    expect(identities).toEqual([
      { external_user_id: 'kari.nordmann@example.no', display_name: 'Kari Nordmann' },
    ]);
  });

  it('the relay webhook: a bad signature → 401; a signed one → stored with its attachments', async () => {
    const body = JSON.stringify({ recipient: mailbox, raw: eml('attachment', mailbox) });
    const post = (signature: string) =>
      fetch(`${p.t.baseUrl}/webhooks/email`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-caredesk-signature': signature },
        body,
      });
    expect(
      (await post(`sha256=${createHmac('sha256', 'wrong-secret-1').update(body).digest('hex')}`)).status,
    ).toBe(401);
    expect(await p.t.count(`inbound_events WHERE event_key LIKE '%att.1@example.vn'`)).toBe(0);
    expect((await post(`sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`)).status).toBe(
      200,
    );
    await p.waitForEvents({ agencyId: a.agencyId });
    const [m] = await p.t.ownerQuery(
      `SELECT attachments FROM messages WHERE agency_id = $1 AND external_id = $2`,
      [a.agencyId, 'att.1@example.vn'],
    );
    expect(m.attachments).toEqual([
      expect.objectContaining({ type: 'FILE', name: 'hóa đơn.pdf', size: 45, mimeType: 'application/pdf' }),
      expect.objectContaining({ type: 'IMAGE', name: 'photo.png', size: 8, mimeType: 'image/png' }),
    ]);
  });

  it('replying → a threaded mail through the channel SMTP server, message SENT with its Message-ID', async () => {
    const [conv] = await p.t.ownerQuery(
      `SELECT id FROM conversations WHERE agency_id = $1 AND thread_key = $2`,
      [a.agencyId, 'email:CAF=plain.10443@mail.example.no'],
    );
    const { replyToConversation } = await a.client.ok(REPLY, {
      input: { conversationId: conv.id, body: 'Glad to hear it, Kari!', visibility: 'PRIVATE' },
    });
    const sent = await eventually(async () => {
      const [m] = await p.t.ownerQuery(
        `SELECT status, external_id, failure_message FROM messages WHERE id = $1`,
        [replyToConversation.id],
      );
      return m.status === 'SENT' || m.status === 'FAILED' ? m : undefined;
    });
    expect(sent).toMatchObject({
      status: 'SENT',
      external_id: expect.stringMatching(/^caredesk\..+@brand\.example$/),
    });
    const mail = await capture.waitFor((m) => m.raw.includes(sent.external_id));
    expect(mail.to).toEqual(['kari.nordmann@example.no']);
    expect(mail.text.trim()).toBe('Glad to hear it, Kari!');
    expect(mail.raw).toMatch(/^In-Reply-To: <CAF=reply\.2@mail\.example\.no>\r?$/im);
    // RFC 5322 §3.6.4: the parent's References plus the parent's Message-ID (headers unfolded).
    const unfolded = mail.raw.replace(/\r?\n[ \t]+/g, ' ');
    expect(unfolded).toMatch(
      /^References: <CAF=plain\.10443@mail\.example\.no> <caredesk\.out\.1@brand\.example> <CAF=reply\.2@mail\.example\.no>\r?$/im,
    );
  });

  it("an answer naming only In-Reply-To (our reply's Message-ID, no References) joins that conversation", async () => {
    const [ours] = await p.t.ownerQuery(
      `SELECT m.external_id, m.conversation_id FROM messages m
        WHERE m.agency_id = $1 AND m.direction = 'OUTBOUND' AND m.status = 'SENT' ORDER BY m.created_at DESC LIMIT 1`,
      [a.agencyId],
    );
    const raw = answer({
      id: 'CAF=only-in-reply-to@mail.example.no',
      date: 'Tue, 24 Nov 2026 10:00:00 +0100',
      inReplyTo: ours.external_id,
      body: 'One more question about the parcel.',
    });
    const conversations = () => p.t.count('conversations WHERE agency_id = $1', [a.agencyId]);
    const before = await conversations();
    await deliver(raw, mailbox);
    await p.waitForEvents({ agencyId: a.agencyId });
    const [m] = await p.t.ownerQuery(
      `SELECT conversation_id FROM messages WHERE agency_id = $1 AND external_id = $2`,
      [a.agencyId, 'CAF=only-in-reply-to@mail.example.no'],
    );
    expect(m.conversation_id).toBe(ours.conversation_id);
    expect(await conversations()).toBe(before);
  });

  it('an answer naming only In-Reply-To, delivered before the mail it answers, joins that mail when it comes', async () => {
    const root = 'CAF=plain.10443@mail.example.no';
    const early = answer({
      id: 'CAF=early.2@mail.example.no',
      date: 'Tue, 24 Nov 2026 11:05:00 +0100',
      inReplyTo: 'CAF=late.1@mail.example.no',
      body: 'Sorry, forgot the order number: 10443.',
    });
    await deliver(early, mailbox);
    await p.waitForEvents({ agencyId: a.agencyId });
    const row = async (id: string) =>
      (
        await p.t.ownerQuery(
          `SELECT m.conversation_id, c.thread_key FROM messages m JOIN conversations c ON c.id = m.conversation_id
            WHERE m.agency_id = $1 AND m.external_id = $2`,
          [a.agencyId, id],
        )
      )[0];
    const alone = await row('CAF=early.2@mail.example.no');
    // Its root per customer: another customer answering the same unknown mail is not this thread.
    expect(alone.thread_key).toBe('email:CAF=late.1@mail.example.no kari.nordmann@example.no');

    await deliver(
      answer({
        id: 'CAF=late.1@mail.example.no',
        date: 'Tue, 24 Nov 2026 11:00:00 +0100',
        inReplyTo: root,
        references: `<${root}>`,
        body: 'The parcel came back to you, it seems.',
      }),
      mailbox,
    );
    await p.waitForEvents({ agencyId: a.agencyId });
    const thread = (await row(root)).conversation_id;
    expect(await row('CAF=late.1@mail.example.no')).toMatchObject({ conversation_id: thread });
    expect(await row('CAF=early.2@mail.example.no')).toMatchObject({ conversation_id: thread });
    expect(await p.t.count('conversations WHERE id = $1', [alone.conversation_id])).toBe(0);
  });
});

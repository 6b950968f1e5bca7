import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConnectorError, NormalizedMessage, OutboundRequest, WebhookRequest } from '@caredesk/channels';
import { emailDeliveries } from '../../libs/channels/src/connectors/email/email-delivery';
import { EmailConnector } from '../../libs/channels/src/connectors/email/email.connector';
import {
  MAX_THREAD_ANCESTORS,
  threadAncestors,
} from '../../libs/channels/src/connectors/email/email-normalize';
import { startRejectingSmtp } from '../fakes/smtp-rejecting';
import { SmtpCapture, startSmtpCapture } from '../support/smtp-capture';

const SECRET = 'email-relay-secret-1';
const PDF_SHA = createHash('sha256')
  .update(Buffer.from('JVBERi0xLjQKMSAwIG9iajw8Pj5lbmRvYmoKdHJhaWxlcjw8Pj4KJSVFT0YK', 'base64'))
  .digest('hex');
const PNG_SHA = createHash('sha256').update(Buffer.from('iVBORw0KGgo=', 'base64')).digest('hex');
const BOX = 'support@brand.example';
const eml = (name: string) => readFileSync(join(__dirname, '../fixtures/email', `${name}.eml`));
const email = new EmailConnector({
  email: { webhookSecret: SECRET, smtpHost: '127.0.0.1', smtpPort: 0 },
  timeoutMs: 2000,
});

const relay = (body: unknown, secret = SECRET, header?: string): WebhookRequest => {
  const rawBody = Buffer.from(JSON.stringify(body));
  const sig = `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
  return { method: 'POST', headers: { 'x-caredesk-signature': header ?? sig }, query: {}, rawBody };
};
const normalize = (name: string, mailbox = BOX) => {
  const [delivery] = emailDeliveries(eml(name), [mailbox]);
  return email.normalize(delivery);
};

describe('Email relay webhook (X-Caredesk-Signature)', () => {
  it('accepts a signed relay: one delivery per mailbox, keyed by mailbox and Message-ID', () => {
    const verdict = email.verifyWebhook(
      relay({
        recipients: ['Support@Brand.example', 'billing@brand.example'],
        raw: eml('attachment').toString('utf8'),
      }),
    );
    expect(verdict.kind).toBe('accepted');
    if (verdict.kind !== 'accepted') return;
    expect(verdict.deliveries.map((d) => [d.platform, d.externalAccountId, d.eventKey])).toEqual([
      ['EMAIL', 'support@brand.example', 'support@brand.example att.1@example.vn'],
      ['EMAIL', 'billing@brand.example', 'billing@brand.example att.1@example.vn'],
    ]);
  });

  it('takes 8-bit sources as rawBase64 byte for byte (ISO-8859-1 quoted-printable here)', () => {
    const verdict = email.verifyWebhook(
      relay({ recipient: BOX, rawBase64: eml('quoted-printable').toString('base64') }),
    );
    expect(verdict.kind === 'accepted' && (verdict.deliveries[0].payload as any).subject).toBe(
      'Rødgrøt med fløte',
    );
  });

  it.each([
    ['a signature made with another secret', relay({ recipient: BOX, raw: 'x' }, 'another-secret-000')],
    ['no signature', relay({ recipient: BOX, raw: 'x' }, SECRET, '')],
    ['a malformed signature', relay({ recipient: BOX, raw: 'x' }, SECRET, 'sha1=abc')],
  ])('rejects %s with 401', (_what, req) => {
    expect(email.verifyWebhook(req)).toMatchObject({ kind: 'rejected', status: 401 });
  });

  it('rejects a body changed after signing', () => {
    const req = relay({ recipient: BOX, raw: eml('plain').toString('utf8') });
    req.rawBody = Buffer.from(req.rawBody.toString('utf8').replace('jacket', 'jackal'));
    expect(email.verifyWebhook(req)).toMatchObject({ kind: 'rejected' });
  });

  it('is not configured without EMAIL_WEBHOOK_SECRET', () => {
    const unconfigured = new EmailConnector({ email: { smtpHost: '', smtpPort: 0 }, timeoutMs: 1 });
    expect(unconfigured.isConfigured()).toBe(false);
    expect(unconfigured.verifyWebhook(relay({ recipient: BOX, raw: 'x' }))).toMatchObject({
      kind: 'rejected',
    });
  });
});

describe('Email normalize (every fixture)', () => {
  it('plain → an inbound EMAIL: its own thread, the sender as customer', () => {
    expect(normalize('plain')).toEqual([
      {
        type: 'message',
        kind: 'EMAIL',
        direction: 'INBOUND',
        visibility: 'PRIVATE',
        externalId: 'CAF=plain.10443@mail.example.no',
        threadKey: 'email:CAF=plain.10443@mail.example.no',
        parentExternalId: null,
        ancestorExternalIds: [],
        customer: {
          externalUserId: 'kari.nordmann@example.no',
          username: 'kari.nordmann@example.no',
          displayName: 'Nordmann, Kari',
          avatarUrl: null,
        },
        body: expect.stringContaining('order #10443'),
        subject: 'Order #10443 has not arrived yet',
        rating: null,
        attachments: [],
        occurredAt: new Date('2026-11-23T08:14:02.000Z'),
        replyContext: {
          messageId: 'CAF=plain.10443@mail.example.no',
          references: 'CAF=plain.10443@mail.example.no',
          subject: 'Order #10443 has not arrived yet',
          replyTo: 'kari.nordmann@example.no',
        },
      },
    ]);
  });

  it('a reply is keyed by the first References entry and names its ancestors nearest first', () => {
    const [m] = normalize('reply-references');
    expect(m).toMatchObject({
      threadKey: 'email:CAF=plain.10443@mail.example.no',
      parentExternalId: 'caredesk.out.1@brand.example',
      ancestorExternalIds: ['caredesk.out.1@brand.example', 'CAF=plain.10443@mail.example.no'],
      replyContext: {
        references:
          'CAF=plain.10443@mail.example.no caredesk.out.1@brand.example CAF=reply.2@mail.example.no',
      },
    });
  });

  const mail = (over: { messageId?: string; inReplyTo?: string[]; references?: string[] }) => ({
    messageId: 'self@x',
    inReplyTo: [],
    references: [],
    ...over,
  });

  it('ancestors: In-Reply-To first, then References from the last; each once, never the mail itself', () => {
    expect(
      threadAncestors(mail({ inReplyTo: ['p@x'], references: ['root@x', 'a@x', 'p@x', 'self@x'] })),
    ).toEqual(['p@x', 'a@x', 'root@x']);
    expect(threadAncestors(mail({}))).toEqual([]);
  });

  it(`ancestors of a long thread: the ${MAX_THREAD_ANCESTORS - 1} nearest and the root`, () => {
    const references = Array.from({ length: 30 }, (_, i) => `r${i}@x`);
    const named = threadAncestors(mail({ inReplyTo: ['r29@x'], references }));
    expect(named).toHaveLength(MAX_THREAD_ANCESTORS);
    expect(named).toEqual([...references.slice(-(MAX_THREAD_ANCESTORS - 1)).reverse(), 'r0@x']);
  });

  it('a mail naming only In-Reply-To: a reply to it references that parent and the mail (RFC 5322 §3.6.4)', () => {
    const raw = eml('reply-references')
      .toString('utf8')
      .replace(/^References:.*\r?\n .*\r?\n/m, '');
    const [m] = email.normalize(emailDeliveries(Buffer.from(raw), [BOX])[0]) as NormalizedMessage[];
    expect(m.ancestorExternalIds).toEqual(['caredesk.out.1@brand.example']);
    expect(m.replyContext.references).toBe('caredesk.out.1@brand.example CAF=reply.2@mail.example.no');
  });

  it.each([
    [
      'multipart-alternative',
      'Hi, is the 2-year warranty valid outside the EU?',
      'Question about the warranty',
    ],
    ['html-only', 'Please & thank you:\nunsubscribe me.\nFish <> chips €5', 'Re: Your newsletter'],
    ['quoted-printable', expect.stringContaining('blåbærsyltetøy'), 'Rødgrøt med fløte'],
    ['base64-utf8', expect.stringContaining('Cảm ơn bạn rất nhiều!'), 'Feil størrelse / Zwrot pieniędzy'],
  ])('%s → body and subject decoded', (name, body, subject) => {
    expect(normalize(name)).toEqual([expect.objectContaining({ body, subject, direction: 'INBOUND' })]);
  });

  it('attachments are kept as type, name, size, MIME type and content id (no platform URL)', () => {
    const [m] = normalize('attachment');
    expect(m.type === 'message' && m.attachments).toEqual([
      {
        type: 'FILE',
        url: null,
        name: 'hóa đơn.pdf',
        size: 45,
        mimeType: 'application/pdf',
        contentId: PDF_SHA,
      },
      { type: 'IMAGE', url: null, name: 'photo.png', size: 8, mimeType: 'image/png', contentId: PNG_SHA },
    ]);
  });

  it('the bytes travel beside the event row, once per content, never inside the payload', () => {
    const raw = eml('attachment');
    const deliveries = emailDeliveries(raw, [BOX, 'billing@brand.example']);
    for (const d of deliveries) {
      expect(d.contents?.map((c) => [c.sha256, c.mimeType, c.bytes.length])).toEqual([
        [PDF_SHA, 'application/pdf', 45],
        [PNG_SHA, 'image/png', 8],
      ]);
      expect(createHash('sha256').update(d.contents![0].bytes).digest('hex')).toBe(PDF_SHA);
      expect(JSON.stringify(d.payload)).not.toContain('JVBERi0'); // neither base64 …
      expect(JSON.stringify(d.payload)).not.toContain('%PDF'); // … nor the bytes
    }
    // The same file twice in one mail is one content.
    const twice = Buffer.from(
      raw
        .toString('utf8')
        .replace(
          '--mixed-boundary--',
          '--mixed-boundary\r\nContent-Type: image/png\r\nContent-Disposition: attachment; filename="again.png"\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n--mixed-boundary--',
        ),
    );
    const [d] = emailDeliveries(twice, [BOX]);
    expect((d.payload as { attachments: unknown[] }).attachments).toHaveLength(3);
    expect(d.contents?.map((c) => c.sha256)).toEqual([PDF_SHA, PNG_SHA]);
    // A mail without attachments carries no contents.
    expect(emailDeliveries(eml('plain'), [BOX])[0].contents).toBeUndefined();
  });

  it('mail from the channel address is OUTBOUND, its customer the first other recipient', () => {
    const [m] = normalize('plain', 'kari.nordmann@example.no');
    expect(m).toMatchObject({ direction: 'OUTBOUND', customer: { externalUserId: 'support@brand.example' } });
  });

  it("the brand's own mail keeps its visible recipients besides the brand (To, Cc); a customer's does not", () => {
    const raw = (from: string) =>
      Buffer.from(
        [
          `From: ${from}`,
          'To: Kari <Kari.Nordmann@example.no>, support@brand.example',
          'Cc: ola.hansen@example.no, "Berg, Per" <per.berg@example.no>, support@brand.example',
          'Message-ID: <own.1@brand.example>',
          '',
          'Your order',
        ].join('\r\n'),
      );
    const [own] = email.normalize(emailDeliveries(raw('Brand <support@brand.example>'), [BOX])[0]);
    expect(own).toMatchObject({
      direction: 'OUTBOUND',
      customer: { externalUserId: 'kari.nordmann@example.no' },
      replyContext: {
        mailTo: 'kari.nordmann@example.no',
        mailCc: 'ola.hansen@example.no per.berg@example.no',
      },
    });
    const [theirs] = email.normalize(emailDeliveries(raw('kari.nordmann@example.no'), [BOX])[0]);
    expect(theirs.type === 'message' && Object.keys(theirs.replyContext).sort()).toEqual([
      'messageId',
      'references',
      'replyTo',
      'subject',
    ]);
  });

  it('a mail without Message-ID gets a stable key from its bytes', () => {
    const raw = Buffer.from('From: a@b.c\r\nTo: support@brand.example\r\n\r\nhello');
    const [a] = emailDeliveries(raw, [BOX]);
    const [b] = emailDeliveries(raw, [BOX]);
    expect(a.eventKey).toBe(b.eventKey);
    expect(a.eventKey).toMatch(/^support@brand\.example sha256-[0-9a-f]{64}@caredesk\.invalid$/);
  });
});

describe('Email send through SMTP', () => {
  let capture: SmtpCapture;
  beforeAll(async () => (capture = await startSmtpCapture()));
  afterAll(() => capture.close());

  const request = (smtpUrl: string, over: Partial<OutboundRequest> = {}): OutboundRequest => ({
    action: 'REPLY',
    externalAccountId: BOX,
    credentials: { extra: { smtpUrl, fromName: 'Brand Support' } },
    body: 'Hi Kari, a new parcel is on its way.',
    target: {
      externalId: 'CAF=plain.10443@mail.example.no',
      messageId: 'CAF=plain.10443@mail.example.no',
      references: 'CAF=plain.10443@mail.example.no',
      subject: 'Order #10443 has not arrived yet',
      replyTo: 'kari.nordmann@example.no',
    },
    idempotencyKey: 'c0ffee00-0000-4000-8000-000000000001',
    ...over,
  });
  const failure = async (p: Promise<unknown>) => {
    const e = await p.then(
      () => null,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(ConnectorError);
    return e as ConnectorError;
  };

  it('REPLY: Re: subject, In-Reply-To/References, a Message-ID from the idempotency key', async () => {
    const result = await email.send(request(capture.url));
    expect(result).toEqual({ externalId: 'caredesk.c0ffee00-0000-4000-8000-000000000001@brand.example' });
    const mail = await capture.waitFor((m) => m.raw.includes('c0ffee00-0000-4000-8000-000000000001'));
    expect(mail.to).toEqual(['kari.nordmann@example.no']);
    expect(mail.subject).toBe('Re: Order #10443 has not arrived yet');
    expect(mail.from).toBe('Brand Support <support@brand.example>');
    expect(mail.text.trim()).toBe('Hi Kari, a new parcel is on its way.');
    expect(mail.raw).toMatch(
      /^Message-ID: <caredesk\.c0ffee00-0000-4000-8000-000000000001@brand\.example>\r?$/im,
    );
    expect(mail.raw).toMatch(/^In-Reply-To: <CAF=plain\.10443@mail\.example\.no>\r?$/im);
    expect(mail.raw).toMatch(/^References: <CAF=plain\.10443@mail\.example\.no>\r?$/im);
  });

  it('does not stack "Re:" and accepts host/port credentials', async () => {
    const { port } = new URL(capture.url);
    await email.send(
      request('', {
        credentials: { extra: { smtpHost: '127.0.0.1', smtpPort: port } },
        target: { replyTo: 'x@example.org', subject: 'RE: again', messageId: 'm@x' },
        idempotencyKey: 'second',
      }),
    );
    const mail = await capture.waitFor((m) => m.raw.includes('caredesk.second@'));
    expect(mail.subject).toBe('RE: again');
  });

  it('without replyContext: threads on the thread key and the answered id, writes to its author', async () => {
    await email.send(
      request(capture.url, {
        target: {
          threadKey: 'email:root.1@example.no',
          externalId: 'CAF=reply.2@mail.example.no',
          recipientId: 'kari.nordmann@example.no',
        },
        idempotencyKey: 'third',
      }),
    );
    const mail = await capture.waitFor((m) => m.raw.includes('caredesk.third@'));
    expect(mail.to).toEqual(['kari.nordmann@example.no']);
    expect(mail.raw).toMatch(/^In-Reply-To: <CAF=reply\.2@mail\.example\.no>\r?$/im);
    expect(mail.raw).toMatch(/^References: <root\.1@example\.no> <CAF=reply\.2@mail\.example\.no>\r?$/im);
  });

  it("puts the conversation's root first when the customer's client trimmed it away", async () => {
    await email.send(
      request(capture.url, {
        target: {
          // A customer's own thread off a shared root (threading): the key names the root, then them.
          threadKey: 'email:root.1@example.no kari.nordmann@example.no',
          messageId: 'CAF=reply.4@mail.example.no',
          references: 'caredesk.out.3@brand.example CAF=reply.4@mail.example.no',
          replyTo: 'kari.nordmann@example.no',
        },
        idempotencyKey: 'fourth',
      }),
    );
    const mail = await capture.waitFor((m) => m.raw.includes('caredesk.fourth@'));
    expect(mail.raw).toMatch(/^In-Reply-To: <CAF=reply\.4@mail\.example\.no>\r?$/im);
    expect(mail.raw.replace(/\r?\n[ \t]+/g, ' ')).toMatch(
      /^References: <root\.1@example\.no> <caredesk\.out\.3@brand\.example> <CAF=reply\.4@mail\.example\.no>\r?$/im,
    );
  });

  it.each(['PRIVATE_REPLY', 'DIRECT_MESSAGE', 'HIDE', 'UNHIDE', 'DELETE'] as const)(
    '%s → UNSUPPORTED',
    async (action) => {
      expect((await failure(email.send(request(capture.url, { action })))).code).toBe('UNSUPPORTED');
    },
  );

  it('maps SMTP failures: 535 → AUTH_EXPIRED, 451 → TRANSIENT, 550 → REJECTED, refused → TRANSIENT', async () => {
    const smtp = await startRejectingSmtp();
    try {
      const authUrl = smtp.url.replace('smtp://', 'smtp://user:app-password@');
      expect((await failure(email.send(request(authUrl)))).code).toBe('AUTH_EXPIRED');
      smtp.mailFromReply = 451;
      expect((await failure(email.send(request(smtp.url)))).code).toBe('TRANSIENT');
      smtp.mailFromReply = 550;
      expect((await failure(email.send(request(smtp.url)))).code).toBe('REJECTED');
    } finally {
      await smtp.close();
    }
    expect((await failure(email.send(request(smtp.url)))).code).toBe('TRANSIENT');
    expect((await failure(email.send(request('', { credentials: { extra: {} } })))).code).toBe(
      'AUTH_EXPIRED',
    );
    expect((await failure(email.send(request(capture.url, { target: {} })))).code).toBe('REJECTED');
  });
});

import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AttachmentLinks } from '@caredesk/channels';
import { createMember } from '../support/members';
import { Pipeline, SignedUp, startPipeline, uniqueAccountId } from '../support/pipeline';
import { deliverMail } from '../support/deliver-mail';
import { freePort } from '../support/ports';

const SECRET = 'email-relay-secret-attachments';
const PDF = Buffer.from('JVBERi0xLjQKMSAwIG9iajw8Pj5lbmRvYmoKdHJhaWxlcjw8Pj4KJSVFT0YK', 'base64');
const PNG = Buffer.from('iVBORw0KGgo=', 'base64');
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
/** The error extensions of a refused download. */
const extensionsOf = async (res: Response) =>
  ((await res.json()) as { errors: Array<{ extensions: Record<string, string> }> }).errors[0].extensions;

const MESSAGES = `query($id: ID!) { conversation(id: $id) {
  messages { edges { node { attachments { type name size mimeType url } } } }
  lastMessage { attachments { name url } } } }`;
const INBOX = `{ conversations(first: 10) { edges { node { id lastMessage { attachments { name url } } } } } }`;

/** A mail with one attachment of `bytes` (base64 on the wire), from a customer to `to`. */
function mailWith(to: string, messageId: string, name: string, mime: string, bytes: Buffer): string {
  const b64 = bytes.toString('base64').replace(/.{76}/g, '$&\r\n');
  return [
    'From: Ola Nordmann <ola@example.no>',
    `To: ${to}`,
    'Subject: Bilder av skaden',
    'Date: Tue, 24 Nov 2026 09:00:00 +0100',
    `Message-ID: <${messageId}>`,
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b"',
    '',
    '--b',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Se vedlegg.',
    '--b',
    `Content-Type: ${mime}`,
    `Content-Disposition: attachment; filename="${name}"`,
    'Content-Transfer-Encoding: base64',
    '',
    b64,
    '--b--',
    '',
  ].join('\r\n');
}

/**
 * Email attachments have no platform URL: Caredesk keeps their bytes (attachment_contents, written
 * before the event commits) and the inbox hands out signed download links.
 */
describe('Email attachments: kept, and opened through signed links', () => {
  let p: Pipeline;
  let a: SignedUp;
  let b: SignedUp;
  let brandId: string;
  let otherBrandId: string;
  let mailbox: string;
  let port: number;
  let conversationId: string;
  let links: AttachmentLinks;

  const deliver = (raw: string, to: string) => deliverMail(port, raw, to);
  /** The link as a client would follow it, against the API under test. */
  const open = (url: string, headers: Record<string, string> = {}) => {
    const u = new URL(url);
    return fetch(`${p.t.baseUrl}${u.pathname}${u.search}`, { headers });
  };
  const attachmentsOf = async (client = a.client, id = conversationId) => {
    const { conversation } = await client.ok(MESSAGES, { id });
    return conversation.messages.edges.flatMap(
      (e: { node: { attachments: unknown[] } }) => e.node.attachments,
    ) as Array<{ type: string; name: string; size: number; mimeType: string; url: string }>;
  };

  beforeAll(async () => {
    port = await freePort();
    p = await startPipeline({
      INBOUND_SMTP_HOST: '127.0.0.1',
      INBOUND_SMTP_PORT: String(port),
      EMAIL_WEBHOOK_SECRET: SECRET,
      PUBLIC_API_URL: 'https://api.caredesk.example',
      ATTACHMENT_LINK_TTL_SECONDS: '600',
    });
    links = p.t.app.get(AttachmentLinks);
    a = await p.signUp('Attachments agency');
    b = await p.signUp('Other agency');
    brandId = await p.createBrand(a);
    otherBrandId = await p.createBrand(a);
    await p.createBrand(b);
    mailbox = `${uniqueAccountId('care')}@brand.example`.toLowerCase();
    await p.connectChannel(a, brandId, 'EMAIL', mailbox);

    const raw = readFileSync(join(__dirname, '../fixtures/email/attachment.eml'), 'utf8').replaceAll(
      'support@brand.example',
      mailbox,
    );
    for (let i = 0; i < 2; i++) expect((await deliver(raw, mailbox)).response).toMatch(/^250/);
    await p.waitForEvents({ agencyId: a.agencyId });
    [{ id: conversationId }] = await p.t.ownerQuery(
      `SELECT conversation_id AS id FROM messages WHERE agency_id = $1 AND external_id = 'att.1@example.vn'`,
      [a.agencyId],
    );
  });
  afterAll(() => p?.close());

  it('the bytes are stored once per brand, whatever the redeliveries', async () => {
    const rows = await p.t.ownerQuery(
      `SELECT brand_id, sha256, mime_type, size, content FROM attachment_contents WHERE agency_id = $1 ORDER BY size`,
      [a.agencyId],
    );
    expect(rows).toEqual([
      { brand_id: brandId, sha256: sha(PNG), mime_type: 'image/png', size: 8, content: PNG },
      { brand_id: brandId, sha256: sha(PDF), mime_type: 'application/pdf', size: 45, content: PDF },
    ]);
    // The event row names them; it does not carry them.
    const [event] = await p.t.ownerQuery(
      `SELECT payload::text AS payload FROM inbound_events WHERE agency_id = $1 AND event_key LIKE '%att.1@example.vn'`,
      [a.agencyId],
    );
    expect(event.payload).toContain(sha(PDF));
    expect(event.payload).not.toContain('JVBERi0');
  });

  it('conversation(id) and the inbox page give each attachment a signed link on PUBLIC_API_URL', async () => {
    const attachments = await attachmentsOf();
    expect(attachments).toEqual([
      {
        type: 'FILE',
        name: 'hóa đơn.pdf',
        size: 45,
        mimeType: 'application/pdf',
        url: expect.stringMatching(
          new RegExp(
            `^https://api\\.caredesk\\.example/attachments/${a.agencyId}/${brandId}/${sha(PDF)}/h%C3%B3a%20%C4%91%C6%A1n\\.pdf\\?expires=\\d+&signature=[\\w-]{43}$`,
          ),
        ),
      },
      expect.objectContaining({ type: 'IMAGE', name: 'photo.png', url: expect.stringContaining(sha(PNG)) }),
    ]);
    // Valid for 600–1,200 s (rounded to the TTL's grid, so the link is stable and cacheable).
    const expires = Number(new URL(attachments[0].url).searchParams.get('expires'));
    expect(expires - Date.now() / 1000).toBeGreaterThan(590);
    expect(expires - Date.now() / 1000).toBeLessThanOrEqual(1200);
    expect((await attachmentsOf())[0].url).toBe(attachments[0].url);

    const { conversations } = await a.client.ok(INBOX);
    const node = conversations.edges.find((e: { node: { id: string } }) => e.node.id === conversationId).node;
    expect(node.lastMessage.attachments.map((x: { url: string }) => x.url)).toEqual(
      attachments.map((x) => x.url),
    );
  });

  it('a link serves the exact bytes: a PDF as a download, an image inline, with nosniff and a sandbox', async () => {
    const [pdf, png] = await attachmentsOf();
    const res = await open(pdf.url);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(PDF);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-length')).toBe('45');
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="hoa _on.pdf"; filename*=UTF-8''h%C3%B3a%20%C4%91%C6%A1n.pdf`,
    );
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    expect(res.headers.get('etag')).toBe(`"${sha(PDF)}"`);
    expect(res.headers.get('cache-control')).toMatch(/^private, max-age=\d+, immutable$/);

    const image = await open(png.url);
    expect(Buffer.from(await image.arrayBuffer())).toEqual(PNG);
    expect(image.headers.get('content-disposition')).toBe('inline; filename="photo.png"');

    // A browser revalidating gets 304 and no body.
    const again = await open(pdf.url, { 'if-none-match': `"${sha(PDF)}"` });
    expect(again.status).toBe(304);
    expect((await again.arrayBuffer()).byteLength).toBe(0);
  });

  it('a byte range is served as 206 (players seek that way), past the end 416; anything else gets the whole file', async () => {
    const [pdf] = await attachmentsOf();
    const part = async (range: string, extra: Record<string, string> = {}) => {
      const res = await open(pdf.url, { range, ...extra });
      return {
        status: res.status,
        contentRange: res.headers.get('content-range'),
        length: res.headers.get('content-length'),
        body: Buffer.from(await res.arrayBuffer()),
      };
    };
    const whole = await open(pdf.url);
    expect(whole.headers.get('accept-ranges')).toBe('bytes');

    expect(await part('bytes=2-5')).toEqual({
      status: 206,
      contentRange: 'bytes 2-5/45',
      length: '4',
      body: PDF.subarray(2, 6),
    });
    // Open-ended, from the end, and past the end (clamped).
    expect(await part('bytes=40-')).toMatchObject({
      status: 206,
      contentRange: 'bytes 40-44/45',
      body: PDF.subarray(40),
    });
    expect(await part('bytes=-3')).toMatchObject({
      status: 206,
      contentRange: 'bytes 42-44/45',
      body: PDF.subarray(42),
    });
    expect(await part('bytes=30-1000')).toMatchObject({
      status: 206,
      contentRange: 'bytes 30-44/45',
      body: PDF.subarray(30),
    });
    // Overlapping parts are one part.
    expect(await part('bytes=0-9,5-14')).toMatchObject({ status: 206, contentRange: 'bytes 0-14/45' });

    // Nothing of the file lies there: 416, coded, with the size.
    const outside = await open(pdf.url, { range: 'bytes=45-' });
    expect(outside.status).toBe(416);
    expect(outside.headers.get('content-range')).toBe('bytes */45');
    expect((await extensionsOf(outside)).code).toBe('BAD_USER_INPUT');

    // Malformed, several separate parts, another unit, or an If-Range for other bytes: the whole file.
    for (const [range, extra] of [
      ['bytes=abc', {}],
      ['bytes=0-1,10-11', {}],
      ['items=0-1', {}],
      ['bytes=0-1', { 'if-range': `"${'0'.repeat(64)}"` }],
    ] as Array<[string, Record<string, string>]>) {
      expect(await part(range, extra)).toEqual({ status: 200, contentRange: null, length: '45', body: PDF });
    }
    // An If-Range naming these bytes keeps the range.
    expect(await part('bytes=0-1', { 'if-range': `"${sha(PDF)}"` })).toMatchObject({
      status: 206,
      body: PDF.subarray(0, 2),
    });

    // A range on bytes outside the link's brand finds nothing, as a whole download does.
    const foreign = links.url({
      agencyId: a.agencyId,
      brandId: otherBrandId,
      sha256: sha(PDF),
      name: 'x.pdf',
    });
    const res = await open(foreign, { range: 'bytes=0-1' });
    expect(res.status).toBe(404);
    expect((await extensionsOf(res)).code).toBe('NOT_FOUND');
  });

  it('a link that was changed, or has run out, is refused with a coded 403', async () => {
    const [pdf] = await attachmentsOf();
    const u = new URL(pdf.url);
    const expires = u.searchParams.get('expires')!;
    const variants = [
      pdf.url.replace(/signature=[\w-]+/, 'signature=AAAA'),
      pdf.url.replace(/signature=[\w-]+$/, ''),
      pdf.url.replace(`expires=${expires}`, `expires=${Number(expires) + 600}`),
      pdf.url.replace('h%C3%B3a%20%C4%91%C6%A1n.pdf', 'invoice.html'),
      // Another brand of the same agency, or another agency, with this link's signature.
      pdf.url.replace(brandId, otherBrandId),
      pdf.url.replace(a.agencyId, b.agencyId),
    ];
    for (const url of variants) {
      const res = await open(url);
      expect([url, res.status]).toEqual([url, 403]);
      expect(await res.json()).toEqual({
        errors: [
          {
            message: 'This download link is not valid',
            extensions: { code: 'FORBIDDEN', reason: 'BAD_SIGNATURE' },
          },
        ],
      });
    }
    const ref = { agencyId: a.agencyId, brandId, sha256: sha(PDF), name: 'hóa đơn.pdf' };
    const expired = await open(links.url(ref, Date.now() - 2_000_000));
    expect(expired.status).toBe(403);
    expect(await extensionsOf(expired)).toEqual({
      code: 'FORBIDDEN',
      reason: 'LINK_EXPIRED',
    });
  });

  it('another agency, and a brand outside the bytes, find nothing even with a validly signed link (NOT_FOUND)', async () => {
    // Agency B cannot read the conversation, so it never gets a link …
    expect(await b.client.code(MESSAGES, { id: conversationId })).toBe('NOT_FOUND');
    // … and a link signed for B (or for another brand of A) naming A's bytes finds none.
    for (const ref of [
      { agencyId: b.agencyId, brandId, sha256: sha(PDF), name: 'x.pdf' },
      { agencyId: a.agencyId, brandId: otherBrandId, sha256: sha(PDF), name: 'x.pdf' },
    ]) {
      const res = await open(links.url(ref));
      expect(res.status).toBe(404);
      expect((await extensionsOf(res)).code).toBe('NOT_FOUND');
    }
    // Malformed ids are not found either (nothing about the link format leaks).
    expect((await fetch(`${p.t.baseUrl}/attachments/x/y/z/n`)).status).toBe(404);
  });

  it('an agent whose scope lacks the brand gets NOT_FOUND for the conversation, and so no link', async () => {
    const outsider = await createMember(p.t, a.agencyId, 'AGENT', [otherBrandId]);
    expect(await outsider.client.code(MESSAGES, { id: conversationId })).toBe('NOT_FOUND');
    const { conversations } = await outsider.client.ok(INBOX);
    expect(conversations.edges).toEqual([]);
  });

  it('when the bytes cannot be stored, the mail is refused (451) and no event names them; a retry lands', async () => {
    const raw = mailWith(mailbox, 'retry.1@example.no', 'skade.jpg', 'image/jpeg', Buffer.from('jpeg bytes'));
    const events = () => p.t.count(`inbound_events WHERE event_key LIKE '%retry.1@example.no'`);
    await p.t.ownerQuery('REVOKE INSERT ON attachment_contents FROM caredesk_app');
    try {
      const err = await deliver(raw, mailbox).catch((e: unknown) => e);
      expect(err).toMatchObject({ responseCode: 451 });
      expect(await events()).toBe(0);
    } finally {
      await p.t.ownerQuery('GRANT INSERT ON attachment_contents TO caredesk_app');
    }
    expect((await deliver(raw, mailbox)).response).toMatch(/^250/);
    expect(await events()).toBe(1);
    expect(await p.t.count(`attachment_contents WHERE sha256 = $1`, [sha(Buffer.from('jpeg bytes'))])).toBe(
      1,
    );
  });

  it('the relay webhook takes a mail larger than 2 MB (up to the SMTP limit) and keeps its bytes', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024);
    for (let i = 0; i < big.length; i++) big[i] = (i * 7919) % 251;
    const body = JSON.stringify({
      recipient: mailbox,
      raw: mailWith(mailbox, 'big.1@example.no', 'video.mp4', 'video/mp4', big),
    });
    const res = await fetch(`${p.t.baseUrl}/webhooks/email`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-caredesk-signature': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`,
      },
      body,
    });
    expect(res.status).toBe(200);
    await p.waitForEvents({ agencyId: a.agencyId });
    const [m] = await p.t.ownerQuery(
      `SELECT conversation_id FROM messages WHERE agency_id = $1 AND external_id = 'big.1@example.no'`,
      [a.agencyId],
    );
    const [video] = await attachmentsOf(a.client, m.conversation_id);
    expect(video).toMatchObject({ type: 'VIDEO', size: big.length, mimeType: 'video/mp4' });
    const download = await open(video.url);
    expect(download.headers.get('content-disposition')).toBe('inline; filename="video.mp4"');
    expect(Buffer.from(await download.arrayBuffer()).equals(big)).toBe(true);
    // A player seeking into the middle gets exactly that slice of the stored file.
    const seek = await open(video.url, { range: 'bytes=2000000-2000099' });
    expect(seek.status).toBe(206);
    expect(seek.headers.get('content-range')).toBe(`bytes 2000000-2000099/${big.length}`);
    expect(Buffer.from(await seek.arrayBuffer()).equals(big.subarray(2000000, 2000100))).toBe(true);
  });
});

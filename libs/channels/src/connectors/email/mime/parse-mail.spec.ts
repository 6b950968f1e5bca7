import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { headerText, parseAddressList, parseHeaders, parseMessageIds, parseParams } from './headers';
import { htmlToText } from './html-to-text';
import { parseMail } from './parse-mail';

const fixture = (name: string) =>
  readFileSync(join(__dirname, '../../../../../../test/fixtures/email', name));

describe('parseMail on the fixtures', () => {
  it('plain: unfolds headers, keeps the display name, lower-cases the address', () => {
    const m = parseMail(fixture('plain.eml'));
    expect(m.messageId).toBe('CAF=plain.10443@mail.example.no');
    expect(m.subject).toBe('Order #10443 has not arrived yet');
    expect(m.from).toEqual({ address: 'kari.nordmann@example.no', name: 'Nordmann, Kari' });
    expect(m.to).toEqual([{ address: 'support@brand.example', name: 'Support' }]);
    expect(m.date?.toISOString()).toBe('2026-11-23T08:14:02.000Z');
    expect(m.text).toBe(
      'Hello,\n\nI ordered a jacket two weeks ago (order #10443) and it still has not arrived.\nCould you check where it is?\n\nKari',
    );
    expect(m.html).toBeNull();
    expect(m.attachments).toEqual([]);
    expect(m.inReplyTo).toEqual([]);
    expect(m.references).toEqual([]);
  });

  it('multipart/alternative: prefers text/plain, keeps the HTML alongside', () => {
    const m = parseMail(fixture('multipart-alternative.eml'));
    expect(m.text).toBe('Hi, is the 2-year warranty valid outside the EU?');
    expect(m.html).toContain('<b>2-year warranty</b>');
    expect(m.attachments).toEqual([]);
  });

  it('HTML only: falls back to the stripped text', () => {
    const m = parseMail(fixture('html-only.eml'));
    expect(m.text).toBe('Please & thank you:\nunsubscribe me.\nFish <> chips €5');
    expect(m.from).toEqual({ address: 'newsletter-reply@example.com', name: null });
  });

  it('quoted-printable in ISO-8859-1: soft breaks, =XX bytes, padding, encoded-word subject', () => {
    const m = parseMail(fixture('quoted-printable.eml'));
    expect(m.subject).toBe('Rødgrøt med fløte');
    expect(m.text).toBe(
      'Hei, jeg har bestilt rødgrøt med fløte, men fått blåbærsyltetøy istedet. Kan dere sende riktig vare? Pris: 49 = 49 kr.\n\nHilsen Ingrid',
    );
  });

  it('base64 UTF-8: Norwegian, Polish and Vietnamese survive; adjacent encoded words join', () => {
    const m = parseMail(fixture('base64-utf8.eml'));
    expect(m.from).toEqual({ address: 'ola.ostby@example.no', name: 'Ola Østby' });
    expect(m.subject).toBe('Feil størrelse / Zwrot pieniędzy');
    expect(m.text).toContain('blåbærsyltetøy-genseren');
    expect(m.text).toContain('Zażółć gęślą jaźń.');
    expect(m.text).toContain('Xin chào, tôi muốn đổi sản phẩm này. Cảm ơn bạn rất nhiều!');
  });

  it('a reply: In-Reply-To and folded References, 8-bit UTF-8 body', () => {
    const m = parseMail(fixture('reply-references.eml'));
    expect(m.inReplyTo).toEqual(['caredesk.out.1@brand.example']);
    expect(m.references).toEqual(['CAF=plain.10443@mail.example.no', 'caredesk.out.1@brand.example']);
    expect(m.text).toBe('Thanks, it arrived today — all good!\n\n> We have sent a new parcel.');
  });

  it('attachments: name (RFC 2231), decoded size and type; body from the nested alternative', () => {
    const m = parseMail(fixture('attachment.eml'));
    expect(m.from).toEqual({ address: 'an.nguyen@example.vn', name: 'Nguyễn Văn An' });
    expect(m.to.map((a) => a.address)).toEqual(['support@brand.example', 'billing@brand.example']);
    expect(m.cc.map((a) => a.address)).toEqual(['a@example.vn', 'b@example.vn']);
    expect(m.text).toBe('Here is my receipt, cảm ơn.');
    expect(m.attachments).toEqual([
      { name: 'hóa đơn.pdf', size: 45, mimeType: 'application/pdf', content: expect.any(Buffer) },
      { name: 'photo.png', size: 8, mimeType: 'image/png', content: expect.any(Buffer) },
    ]);
    // The decoded bytes, not the base64 of the wire.
    expect(m.attachments[0].content.toString('latin1')).toBe(
      '%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n',
    );
    expect(m.attachments[1].content).toEqual(Buffer.from('89504e470d0a1a0a', 'hex'));
    expect(m.date?.toISOString()).toBe('2026-11-26T00:15:00.000Z');
  });
});

describe('header helpers', () => {
  it('unfolds continuation lines and keeps repeated fields', () => {
    const h = parseHeaders('Received: a\r\n\tb\r\nReceived: c\r\nSubject: x\r\n  y');
    expect(h.get('received')).toEqual(['a\tb', 'c']);
    expect(h.get('subject')).toEqual(['x  y']);
  });

  it('decodes Q and B encoded words, a character split across two words, and mixed text', () => {
    expect(headerText('=?utf-8?q?caf=C3=A9?= au lait')).toBe('café au lait');
    // "ę" is C4 99: split between the two words.
    expect(headerText('=?UTF-8?B?xA==?= =?UTF-8?B?mQ==?=')).toBe('ę');
    expect(headerText('plain')).toBe('plain');
  });

  it('parses address lists with quotes, comments, groups and no-@ junk', () => {
    expect(parseAddressList('"a, b" <A@X.COM>, c@y.org (Cee), undisclosed-recipients:;')).toEqual([
      { address: 'a@x.com', name: 'a, b' },
      { address: 'c@y.org', name: 'Cee' },
    ]);
  });

  it('parses message-id lists with and without brackets', () => {
    expect(parseMessageIds('<a@b> (comment) <c@d>')).toEqual(['a@b', 'c@d']);
    expect(parseMessageIds('a@b')).toEqual(['a@b']);
    expect(parseMessageIds(undefined)).toEqual([]);
  });

  it('parses parameters, quoted values and RFC 2231 continuations', () => {
    expect(parseParams('Text/Plain; Charset="UTF-8"; format=flowed')).toEqual({
      value: 'text/plain',
      params: { charset: 'UTF-8', format: 'flowed' },
    });
    expect(parseParams(`attachment; filename*0*=utf-8''long%20; filename*1*=name.txt`).params.filename).toBe(
      'long name.txt',
    );
  });

  it('an HTML body loses scripts and tags, keeps line structure', () => {
    expect(htmlToText('<script>alert(1)</script><ul><li>one</li><li>two</li></ul>')).toBe('- one\n- two');
  });

  it('format=flowed text is unwrapped; the signature separator and stuffing survive', () => {
    const m = parseMail(
      'Content-Type: text/plain; charset=utf-8; format=flowed\r\n\r\n' +
        'This paragraph was wrapped \r\nby the mailer.\r\n From here\r\n-- \r\nKari',
    );
    expect(m.text).toBe('This paragraph was wrapped by the mailer.\nFrom here\n-- \nKari');
  });

  it('raw 8-bit headers: UTF-8 when valid, else Windows-1252', () => {
    const latin1 = Buffer.concat([
      Buffer.from('Subject: '),
      Buffer.from([0x52, 0xf8, 0x64]),
      Buffer.from('\r\n\r\nx'),
    ]);
    expect(parseMail(latin1).subject).toBe('Rød');
    expect(parseMail(Buffer.from('Subject: Rød\r\n\r\nx', 'utf8')).subject).toBe('Rød');
  });

  it('a mail cut off before its closing boundary keeps what arrived; no Message-ID is null', () => {
    const m = parseMail(
      'Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nhi',
    );
    expect(m.text).toBe('hi');
    expect(m.messageId).toBeNull();
    expect(m.subject).toBeNull();
  });
});

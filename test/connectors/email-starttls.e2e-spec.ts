import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import { Pipeline, SignedUp, startPipeline, uniqueAccountId } from '../support/pipeline';
import { freePort } from '../support/ports';
import { TestCertificate, testCertificate } from '../support/tls-certificate';

const eml = (mailbox: string) =>
  readFileSync(join(__dirname, '../fixtures/email/plain.eml'), 'utf8').replaceAll(
    'support@brand.example',
    mailbox,
  );

/** What another mail server does, with or without insisting on TLS (and trusting `ca`). */
function deliver(port: number, raw: string, to: string, tls?: { ca: string }) {
  return createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    ...(tls ? { requireTLS: true, tls: { ca: [tls.ca], servername: 'localhost' } } : { ignoreTLS: true }),
  }).sendMail({ envelope: { from: 'bounce@example.no', to: [to] }, raw });
}

describe('Inbound SMTP with INBOUND_SMTP_TLS_CERT/KEY (STARTTLS)', () => {
  let cert: TestCertificate;
  let p: Pipeline;
  let a: SignedUp;
  let mailbox: string;
  let port: number;

  beforeAll(async () => {
    cert = await testCertificate();
    port = await freePort();
    p = await startPipeline({
      INBOUND_SMTP_HOST: '127.0.0.1',
      INBOUND_SMTP_PORT: String(port),
      INBOUND_SMTP_TLS_CERT: cert.certPath,
      INBOUND_SMTP_TLS_KEY: cert.keyPath,
    });
    a = await p.signUp('Mail over TLS');
    const brandId = await p.createBrand(a);
    mailbox = `${uniqueAccountId('tls')}@brand.example`.toLowerCase();
    await p.connectChannel(a, brandId, 'EMAIL', mailbox);
  });
  afterAll(async () => {
    await p?.close();
  });

  it('a sender that requires TLS delivers over STARTTLS, verifying our certificate; the mail is threaded', async () => {
    const info = await deliver(port, eml(mailbox), mailbox, { ca: cert.cert });
    expect(info.response).toMatch(/^250/);
    await p.waitForEvents({ agencyId: a.agencyId });
    const conversations = await p.t.ownerQuery(
      `SELECT kind, thread_key FROM conversations WHERE agency_id = $1`,
      [a.agencyId],
    );
    expect(conversations).toEqual([{ kind: 'EMAIL', thread_key: 'email:CAF=plain.10443@mail.example.no' }]);
  });

  it("the certificate is ours, not smtp-server's built-in one: a client trusting another CA refuses it", async () => {
    const other = await testCertificate();
    const err = await deliver(port, eml(mailbox), mailbox, { ca: other.cert }).catch((e: unknown) => e);
    expect(err).toMatchObject({ message: expect.stringMatching(/self[- ]signed|certificate/i) });
  });

  it('plain mail is still taken (STARTTLS is offered, never required: RFC 3207 §4)', async () => {
    const raw = eml(mailbox).replace('CAF=plain.10443@mail.example.no', 'plain-after-tls@mail.example.no');
    const info = await deliver(port, raw, mailbox);
    expect(info.response).toMatch(/^250/);
    expect(await p.t.count(`inbound_events WHERE event_key LIKE '%plain-after-tls@mail.example.no'`)).toBe(1);
  });
});

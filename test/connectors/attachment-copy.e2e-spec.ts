import { createHash } from 'node:crypto';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import {
  META_TEST_APP_SECRET,
  META_TEST_VERIFY_TOKEN,
  postMetaWebhook,
  signedMetaDelivery,
} from '../fakes/meta-webhook';
import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { APP_CONFIG, AppConfig, QUEUES, SystemDb } from '@caredesk/core';
import { AttachmentCopyJobs, AttachmentCopySweeper } from '@caredesk/inbox';
import { FILES_TO_COPY } from '../../libs/core/src/database/migrations/1764200000000-attachment-copies-due';
import { eventually } from '../support/eventually';
import { Pipeline, SignedUp, startPipeline, uniqueAccountId } from '../support/pipeline';

const PHOTO = Buffer.from('ffd8ffe000104a464946000101', 'hex');
const PHOTO2 = Buffer.from('ffd8ffe000104a4649460002', 'hex');
const FLAKY = Buffer.from('89504e470d0a1a0a0000000d', 'hex');
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/**
 * A platform CDN on loopback, as Meta's serves attachment URLs: the files, one that is gone, one that
 * fails once, two too large (declared, and only counted while reading), and redirects.
 */
class FakeCdn {
  readonly hits: string[] = [];
  private flakyFailed = false;
  private readonly server = createServer((req, res) => this.handle(req, res));
  url = '';

  static async start(): Promise<FakeCdn> {
    const cdn = new FakeCdn();
    await new Promise<void>((resolve) => cdn.server.listen(0, '127.0.0.1', resolve));
    cdn.url = `http://127.0.0.1:${(cdn.server.address() as AddressInfo).port}`;
    return cdn;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '').split('?')[0];
    this.hits.push(`${req.headers.host?.split(':')[0]}${path}`);
    const file = (type: string, bytes: Buffer): void =>
      void res.writeHead(200, { 'content-type': type, 'content-length': bytes.length }).end(bytes);
    switch (path) {
      case '/photo.jpg':
        return file('image/jpeg', PHOTO);
      case '/photo2.jpg':
        return file('image/jpeg; charset=binary', PHOTO2);
      case '/flaky.png':
        if (!this.flakyFailed) {
          this.flakyFailed = true;
          return void res.writeHead(503).end();
        }
        return file('image/png', FLAKY);
      case '/huge.bin':
        return file('application/octet-stream', Buffer.alloc(2000, 1));
      case '/chunked-huge.bin':
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        for (let i = 0; i < 20; i++) res.write(Buffer.alloc(100, 2));
        return void res.end();
      case '/redirect-away':
        // "localhost" is not a copy host (only 127.0.0.1 is): the hop must not be followed.
        return void res
          .writeHead(302, { location: `${this.url.replace('127.0.0.1', 'localhost')}/photo.jpg` })
          .end();
      case '/redirect-ok':
        return void res.writeHead(301, { location: '/photo2.jpg' }).end();
      case '/down.jpg':
        return void res.writeHead(503).end();
      default:
        return void res.writeHead(404).end();
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const MESSAGES = `query($id: ID!) { conversation(id: $id) { messages { edges { node { attachments { type name url } } } } } }`;

/**
 * Platform attachment URLs expire (Meta's CDN links after days): the worker copies the files from
 * ATTACHMENT_COPY_HOSTS into attachment_contents, and the inbox then links the copy.
 */
describe('Copies of platform attachments', () => {
  let cdn: FakeCdn;
  let p: Pipeline;
  let a: SignedUp;
  let pageId: string;
  let messageId: string;
  let conversationId: string;

  const delivery = () => ({
    object: 'page',
    entry: [
      {
        id: pageId,
        time: 1764000000500,
        messaging: [
          {
            sender: { id: '7000000000000001' },
            recipient: { id: pageId },
            timestamp: 1764000000100,
            message: {
              mid: 'm_attachment_copy_1',
              attachments: [
                { type: 'image', payload: { url: `${cdn.url}/photo.jpg?oh=00_AYB&oe=6750A1B2` } },
                { type: 'file', payload: { url: `${cdn.url}/gone.pdf`, title: 'gone.pdf' } },
                { type: 'image', payload: { url: `${cdn.url}/flaky.png` } },
                { type: 'file', payload: { url: `${cdn.url}/huge.bin`, title: 'huge.bin' } },
                { type: 'file', payload: { url: `${cdn.url}/chunked-huge.bin`, title: 'chunked.bin' } },
                { type: 'image', payload: { url: `${cdn.url}/redirect-away` } },
                { type: 'image', payload: { url: `${cdn.url}/redirect-ok` } },
                { type: 'fallback', payload: { url: `${cdn.url}/photo.jpg`, title: 'A shared link' } },
                { type: 'image', payload: { url: 'https://scontent.xx.fbcdn.net/v/t1/not-a-copy-host.jpg' } },
              ],
            },
          },
        ],
      },
    ],
  });
  const attachmentsRow = async () => {
    const [m] = await p.t.ownerQuery(`SELECT attachments FROM messages WHERE agency_id = $1 AND id = $2`, [
      a.agencyId,
      messageId,
    ]);
    return m.attachments as Array<Record<string, unknown>>;
  };

  beforeAll(async () => {
    cdn = await FakeCdn.start();
    p = await startPipeline({
      META_APP_SECRET: META_TEST_APP_SECRET,
      META_VERIFY_TOKEN: META_TEST_VERIFY_TOKEN,
      ATTACHMENT_COPY_HOSTS: '127.0.0.1',
      ATTACHMENT_COPY_MAX_BYTES: '1000',
      PLATFORM_TIMEOUT_MS: '2000',
      // The tests run the copy sweeper themselves; the worker's own must not race them.
      SWEEP_INTERVAL_SECONDS: '3600',
    });
    a = await p.signUp('Copy agency');
    const brandId = await p.createBrand(a);
    pageId = (await p.connectChannel(a, brandId, 'FACEBOOK_PAGE', uniqueAccountId('fbpage')))
      .externalAccountId;
    expect((await postMetaWebhook(p.t.baseUrl, signedMetaDelivery(delivery()))).status).toBe(200);
    await p.waitForEvents({ agencyId: a.agencyId });
    [{ id: messageId, conversation_id: conversationId }] = await p.t.ownerQuery(
      `SELECT id, conversation_id FROM messages WHERE agency_id = $1 AND external_id = 'm_attachment_copy_1'`,
      [a.agencyId],
    );
    // The flaky file is copied by the job's retry (backoff 5 s).
    await eventually(async () => ((await attachmentsRow())[2].contentId ? true : undefined), 20_000);
  }, 40_000);
  afterAll(async () => {
    await p?.close();
    await cdn?.close();
  });

  it('copies what it can reach, keeps the platform URL of what it cannot, and never retries a lost cause', async () => {
    const attachments = await attachmentsRow();
    expect(attachments.map((x) => x.contentId ?? null)).toEqual([
      sha(PHOTO), // copied
      null, // 404: gone
      sha(FLAKY), // 503, then copied on the retry
      null, // Content-Length above ATTACHMENT_COPY_MAX_BYTES
      null, // chunked, stopped once past the limit
      null, // redirected off the copy hosts
      sha(PHOTO2), // redirected within them
      null, // a LINK is not a file
      null, // fbcdn.net is not a copy host in this run
    ]);
    // Size and type come from the download where the platform gave none; the platform URL stays.
    expect(attachments[0]).toMatchObject({
      size: PHOTO.length,
      mimeType: 'image/jpeg',
      url: expect.stringContaining('/photo.jpg'),
    });
    expect(attachments[6]).toMatchObject({ size: PHOTO2.length, mimeType: 'image/jpeg' });
    expect(attachments.map((x) => x.notCopied ?? null)).toEqual([
      null,
      '127.0.0.1:' + new URL(cdn.url).port + ' answered 404',
      null,
      'larger than 1000 bytes',
      'larger than 1000 bytes',
      expect.stringMatching(/^not a copy host: localhost:\d+$/),
      null,
      null,
      null,
    ]);
    // Nothing off the list was fetched, each lost cause once, the flaky file twice.
    expect(cdn.hits.filter((h) => h.startsWith('localhost'))).toEqual([]);
    expect(cdn.hits.filter((h) => h.endsWith('/flaky.png'))).toHaveLength(2);
    for (const path of ['/gone.pdf', '/huge.bin', '/chunked-huge.bin', '/redirect-away']) {
      expect([path, cdn.hits.filter((h) => h.endsWith(path)).length]).toEqual([path, 1]);
    }
    expect(cdn.hits.filter((h) => h.endsWith('/photo.jpg'))).toHaveLength(1); // not for the LINK
    const stored = await p.t.ownerQuery(
      `SELECT sha256, mime_type FROM attachment_contents WHERE agency_id = $1 ORDER BY sha256`,
      [a.agencyId],
    );
    expect(stored).toEqual(
      [
        { sha256: sha(PHOTO), mime_type: 'image/jpeg' },
        { sha256: sha(PHOTO2), mime_type: 'image/jpeg' },
        { sha256: sha(FLAKY), mime_type: 'image/png' },
      ].sort((x, y) => x.sha256.localeCompare(y.sha256)),
    );
  });

  it('the inbox links the copy, which outlives the platform URL; the rest keep their platform URL', async () => {
    const { conversation } = await a.client.ok(MESSAGES, { id: conversationId });
    const urls: string[] = conversation.messages.edges[0].node.attachments.map((x: { url: string }) => x.url);
    expect(urls[0]).toMatch(
      new RegExp(
        `^http://localhost:\\d+/attachments/${a.agencyId}/[0-9a-f-]{36}/${sha(PHOTO)}/attachment\\?expires=`,
      ),
    );
    expect(urls[1]).toBe(`${cdn.url}/gone.pdf`);
    expect(urls[7]).toBe(`${cdn.url}/photo.jpg`);
    const link = new URL(urls[0]);
    const res = await fetch(`${p.t.baseUrl}${link.pathname}${link.search}`);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(PHOTO);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
  });

  it('a redelivery of the message copies nothing again', async () => {
    const before = cdn.hits.length;
    expect(
      (
        await postMetaWebhook(
          p.t.baseUrl,
          signedMetaDelivery({ ...delivery(), entry: [{ ...delivery().entry[0], time: 1764000009999 }] }),
        )
      ).status,
    ).toBe(200);
    await p.waitForEvents({ agencyId: a.agencyId });
    await new Promise((r) => setTimeout(r, 500));
    expect(cdn.hits.length).toBe(before);
  });
  const flagOf = async (id = messageId) =>
    (
      await p.t.ownerQuery(`SELECT attachments_to_copy FROM messages WHERE agency_id = $1 AND id = $2`, [
        a.agencyId,
        id,
      ])
    )[0].attachments_to_copy as boolean;
  const copyQueue = () => p.t.app.get<Queue>(getQueueToken(QUEUES.ATTACHMENTS));
  const sweeper = () =>
    new AttachmentCopySweeper(
      p.t.app.get<AppConfig>(APP_CONFIG),
      p.t.app.get(SystemDb),
      p.t.app.get(AttachmentCopyJobs),
    );

  it("clears the message's attachments_to_copy flag once every file is copied or given up", async () => {
    expect(await flagOf()).toBe(false);
  });

  it('a copy whose job was lost is made after the sweeper finds the flagged message', async () => {
    const queue = copyQueue();
    // No worker takes jobs while the queue is paused: the job can be lost before it runs.
    await queue.pause();
    try {
      const mid = 'm_attachment_copy_lost';
      const entry = delivery().entry[0];
      const lost = {
        ...delivery(),
        entry: [
          {
            ...entry,
            messaging: [
              {
                ...entry.messaging[0],
                message: {
                  mid,
                  attachments: [{ type: 'image', payload: { url: `${cdn.url}/photo2.jpg?lost=1` } }],
                },
              },
            ],
          },
        ],
      };
      expect((await postMetaWebhook(p.t.baseUrl, signedMetaDelivery(lost))).status).toBe(200);
      await p.waitForEvents({ agencyId: a.agencyId });
      const [{ id }] = await p.t.ownerQuery(
        `SELECT id FROM messages WHERE agency_id = $1 AND external_id = $2`,
        [a.agencyId, mid],
      );
      // Stored flagged, with its job; then Redis loses the job.
      expect(await flagOf(id)).toBe(true);
      const job = await eventually(async () => (await queue.getJob(`copy:${a.agencyId}:${id}`)) ?? undefined);
      await job.remove();
      await queue.resume();

      // Not yet SWEEP_AFTER_SECONDS old: left alone.
      expect(await sweeper().sweepOnce()).toBe(0);
      await p.t.ownerQuery(
        `UPDATE messages SET created_at = now() - interval '10 minutes' WHERE agency_id = $1 AND id = $2`,
        [a.agencyId, id],
      );
      const hits = cdn.hits.filter((h) => h.endsWith('/photo2.jpg')).length;
      expect(await sweeper().sweepOnce()).toBe(1);
      const [copied] = await eventually(async () => {
        const [m] = await p.t.ownerQuery(
          `SELECT attachments FROM messages WHERE agency_id = $1 AND id = $2 AND NOT attachments_to_copy`,
          [a.agencyId, id],
        );
        return m?.attachments as Array<Record<string, unknown>> | undefined;
      }, 20_000);
      expect(copied.contentId).toBe(sha(PHOTO2));
      expect(cdn.hits.filter((h) => h.endsWith('/photo2.jpg')).length).toBe(hits + 1);
      // Done: the next sweep finds nothing.
      expect(await sweeper().sweepOnce()).toBe(0);
    } finally {
      await queue.resume();
    }
  });

  it('on its last attempt a job gives up on a file the CDN keeps failing, and clears the flag', async () => {
    const before = await attachmentsRow();
    await p.t.ownerQuery(
      `UPDATE messages SET attachments = $3::jsonb, attachments_to_copy = true WHERE agency_id = $1 AND id = $2`,
      [a.agencyId, messageId, JSON.stringify([...before, { type: 'IMAGE', url: `${cdn.url}/down.jpg` }])],
    );
    // One attempt only, so this is the last: a 503 is final.
    await copyQueue().add(
      { agencyId: a.agencyId, messageId },
      { jobId: `copy:${a.agencyId}:${messageId}:last`, attempts: 1, removeOnComplete: true },
    );
    const after = await eventually(async () => {
      const row = await attachmentsRow();
      return row[9]?.notCopied ? row : undefined;
    }, 20_000);
    expect(after[9].notCopied).toBe(`gave up: 127.0.0.1:${new URL(cdn.url).port} answered 503`);
    expect(after.slice(0, 9)).toEqual(before); // the rest untouched, nothing fetched again
    expect(cdn.hits.filter((h) => h.endsWith('/down.jpg'))).toHaveLength(1);
    expect(await flagOf()).toBe(false);
  });

  it('the migration flags exactly the stored messages with a file that is neither copied nor marked', async () => {
    const due = async (attachments: unknown[]) =>
      (
        await p.t.ownerQuery(`SELECT ${FILES_TO_COPY} AS due FROM (VALUES ($1::jsonb)) v(attachments)`, [
          JSON.stringify(attachments),
        ])
      )[0].due as boolean;
    const url = 'https://scontent.xx.fbcdn.net/v/photo.jpg';
    expect(await due([{ type: 'IMAGE', url }])).toBe(true);
    expect(
      await due([
        { type: 'LINK', url },
        { type: 'FILE', url, contentId: 'a'.repeat(64) },
      ]),
    ).toBe(false);
    expect(
      await due([
        { type: 'VIDEO', url, notCopied: 'gone' },
        { type: 'IMAGE', url: null },
      ]),
    ).toBe(false);
    expect(
      await due([
        { type: 'IMAGE', url: null },
        { type: 'STICKER', url },
      ]),
    ).toBe(true);
    expect(await due([])).toBe(false);
  });
});

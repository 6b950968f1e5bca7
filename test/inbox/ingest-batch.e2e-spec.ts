import { IngestService, LiveEvents } from '@caredesk/inbox';
import { CONVERSATION_EVENTS, eventsOf, openSocket, untilListening } from '../live/live-support';
import { Pipeline, startPipeline } from '../support/pipeline';
import {
  comment,
  deliver,
  eventRow,
  installScriptedConnector,
  message,
  messageRow,
  storeEvent,
  Tenant,
  tenant,
} from './ingest.support';

/**
 * The ingest worker's batch path (IngestService.processMany): many events of one agency in one
 * transaction with set-based SQL. Same outcomes as one by one — that is the point of these tests.
 */
describe('ingest: a batch of events in one transaction', () => {
  let p: Pipeline;
  let a: Tenant;
  const T0 = Date.now() - 60_000;
  const at = (s: number) => new Date(T0 + s * 1000);

  beforeAll(async () => {
    p = await startPipeline({
      REOPEN_WINDOW_HOURS: '24',
      SWEEP_AFTER_SECONDS: '3600',
      INGEST_BATCH_SIZE: '100',
    });
    installScriptedConnector(p);
    a = await tenant(p);
  });
  afterAll(() => p?.close());

  const processMany = (ids: string[]) => p.worker!.app.get(IngestService).processMany(a.agencyId, ids);
  const count = (from: string, ...params: unknown[]) => p.t.count(from, params);
  const conversation = async (id: string) =>
    (
      await p.t.ownerQuery(`SELECT * FROM conversations WHERE agency_id = $1 AND id = $2`, [a.agencyId, id])
    )[0];

  it('threads a new customer, redeliveries and duplicates exactly as one by one would', async () => {
    const first = message({ customerId: 'b-1', occurredAt: at(1), body: 'My parcel never came' });
    const second = message({ customerId: 'b-1', occurredAt: at(2), body: 'Hello? Anyone there?' });
    const known = message({ customerId: 'b-2', occurredAt: at(0) });
    await deliver(p, a, known);
    const ids = [
      // Delivered out of order, the second before the first.
      await storeEvent(p, a, [second]),
      await storeEvent(p, a, [first]),
      await storeEvent(p, a, [first]),
      await storeEvent(p, a, [known]),
      await storeEvent(p, a, []),
    ];
    await processMany(ids);

    expect(await Promise.all(ids.map(async (id) => (await eventRow(p, a, id)).status))).toEqual([
      'PROCESSED',
      'PROCESSED',
      'PROCESSED',
      'PROCESSED',
      'IGNORED',
    ]);
    expect(
      await count(`messages WHERE agency_id = $1 AND external_id = $2`, a.agencyId, first.externalId),
    ).toBe(1);
    expect(
      await count(`messages WHERE agency_id = $1 AND external_id = $2`, a.agencyId, known.externalId),
    ).toBe(1);
    expect(await count(`conversations WHERE agency_id = $1 AND thread_key = 'dm:b-1'`, a.agencyId)).toBe(1);
    expect(
      await count(`contact_identities WHERE agency_id = $1 AND external_user_id = 'b-1'`, a.agencyId),
    ).toBe(1);

    const m1 = await messageRow(p, a, first.externalId);
    const m2 = await messageRow(p, a, second.externalId);
    expect(m2.conversation_id).toBe(m1.conversation_id);
    const c = await conversation(m1.conversation_id);
    expect(c.status).toBe('OPEN');
    // The newest message is the conversation's last; the wait started with the first one written.
    expect(c.last_message_id).toBe(m2.id);
    expect(new Date(c.last_message_at).getTime()).toBe(at(2).getTime());
    expect(new Date(c.awaiting_reply_since).getTime()).toBe(at(1).getTime());
  });

  it('stores language and sentiment on each customer message and on its conversation', async () => {
    const happy = message({
      customerId: 'b-3',
      occurredAt: at(1),
      body: 'Thank you so much, the support was amazing!',
    });
    const angry = message({
      customerId: 'b-3',
      occurredAt: at(2),
      body: 'This is the worst service ever, I am furious and want my money back',
    });
    await processMany([await storeEvent(p, a, [happy]), await storeEvent(p, a, [angry])]);
    const h = await messageRow(p, a, happy.externalId);
    const g = await messageRow(p, a, angry.externalId);
    expect(h.language).toBe('en');
    expect(h.sentiment_label).toBe('POSITIVE');
    expect(g.sentiment_label).toBe('NEGATIVE');
    expect(g.sentiment_score).toBeLessThan(0);
    const c = await conversation(g.conversation_id);
    // The conversation carries its newest customer message's.
    expect(c.language).toBe('en');
    expect(c.sentiment_label).toBe('NEGATIVE');
  });

  it("answers each message's and the conversation's language and sentiment through GraphQL (Norwegian, then Polish)", async () => {
    const t = await tenant(p);
    const { owner } = t;
    const pleased = message({
      customerId: 'b-lang',
      occurredAt: at(1),
      body: 'Tusen takk for hjelpen, jeg er kjempefornøyd med servicen!',
    });
    const upset = message({
      customerId: 'b-lang',
      occurredAt: at(2),
      body: 'To jest okropna obsługa, jestem bardzo rozczarowany i zły. Chcę zwrotu pieniędzy!',
    });
    await p
      .worker!.app.get(IngestService)
      .processMany(t.agencyId, [await storeEvent(p, t, [pleased]), await storeEvent(p, t, [upset])]);
    const { conversation_id } = await messageRow(p, t, upset.externalId);
    const data = await owner.client.ok(
      `query ($id: ID!) { conversation(id: $id) {
          language sentiment sentimentScore
          lastMessage { body language sentiment sentimentScore }
          messages(first: 10) { edges { node { body language sentiment sentimentScore } } } } }`,
      { id: conversation_id },
    );
    const c = data.conversation;
    // The conversation carries its newest customer message's; messages come newest first.
    expect(c).toMatchObject({ language: 'pl', sentiment: 'NEGATIVE' });
    expect(c.sentimentScore).toBeLessThan(0);
    expect(c.lastMessage).toMatchObject({ body: upset.body, language: 'pl', sentiment: 'NEGATIVE' });
    const nodes = c.messages.edges.map((e: { node: unknown }) => e.node);
    expect(nodes).toMatchObject([
      { body: upset.body, language: 'pl', sentiment: 'NEGATIVE' },
      { body: pleased.body, language: 'no', sentiment: 'POSITIVE' },
    ]);
    expect(nodes[0].sentimentScore).toBeLessThan(0);
    expect(nodes[1].sentimentScore).toBeGreaterThan(0);
  });

  it('lists messages in the order they were written, whatever order they arrived in, and pages by writtenAt', async () => {
    const t = await tenant(p);
    const { owner } = t;
    const written = [1, 2, 3, 4].map((s) =>
      message({ customerId: 'b-order', occurredAt: at(s), body: `#${s}` }),
    );
    const ingest = async (...ms: typeof written) =>
      p.worker!.app.get(IngestService).processMany(t.agencyId, [await storeEvent(p, t, ms)]);
    // #3 arrives first, then #1 and #4 in one batch (one created_at), then #2.
    await ingest(written[2]);
    await ingest(written[0], written[3]);
    await ingest(written[1]);
    const { conversation_id } = await messageRow(p, t, written[0].externalId);
    const page = async (after: string | null) =>
      (
        await owner.client.ok(
          `query ($id: ID!, $after: String) { conversation(id: $id) { lastMessage { body }
              messages(first: 3, after: $after) { edges { node { body writtenAt } }
                pageInfo { endCursor hasNextPage } } } }`,
          { id: conversation_id, after },
        )
      ).conversation;
    const first = await page(null);
    expect(first.lastMessage.body).toBe('#4');
    expect(first.messages.edges.map((e: { node: { body: string } }) => e.node.body)).toEqual([
      '#4',
      '#3',
      '#2',
    ]);
    expect(first.messages.edges[0].node.writtenAt).toBe(at(4).toISOString());
    expect(first.messages.pageInfo.hasNextPage).toBe(true);
    const second = await page(first.messages.pageInfo.endCursor);
    expect(second.messages.edges.map((e: { node: { body: string } }) => e.node.body)).toEqual(['#1']);
    expect(second.messages.pageInfo.hasNextPage).toBe(false);
  });

  it("answers the wait with the brand's newer message and reopens a PENDING conversation when the customer writes", async () => {
    const q = comment('post-b', 'top-b', 'top-b', null, 'fan-b');
    q.occurredAt = at(1);
    const reply = {
      ...comment('post-b', 'top-b', 'reply-b', 'top-b', 'fan-b'),
      direction: 'OUTBOUND' as const,
    };
    reply.occurredAt = at(2);
    await processMany([await storeEvent(p, a, [q]), await storeEvent(p, a, [reply])]);
    const top = await messageRow(p, a, 'top-b');
    let c = await conversation(top.conversation_id);
    expect(c.awaiting_reply_since).toBeNull();
    expect(c.last_message_id).toBe((await messageRow(p, a, 'reply-b')).id);

    await p.t.ownerQuery(`UPDATE conversations SET status = 'PENDING' WHERE agency_id = $1 AND id = $2`, [
      a.agencyId,
      c.id,
    ]);
    const again = comment('post-b', 'top-b', 'again-b', 'top-b', 'fan-b');
    again.occurredAt = at(3);
    const other = message({ customerId: 'b-4', occurredAt: at(3) });
    await processMany([await storeEvent(p, a, [again]), await storeEvent(p, a, [other])]);
    c = await conversation(top.conversation_id);
    expect(c.status).toBe('OPEN');
    expect(new Date(c.awaiting_reply_since).getTime()).toBe(at(3).getTime());
  });

  it('takes edits out of the batch and applies them after the messages they change', async () => {
    const m = message({ customerId: 'b-5', occurredAt: at(1), body: 'typo' });
    const edit = { type: 'edit' as const, externalId: m.externalId, body: 'fixed', occurredAt: at(2) };
    await processMany([await storeEvent(p, a, [m]), await storeEvent(p, a, [edit])]);
    const row = await messageRow(p, a, m.externalId);
    expect(row.body).toBe('fixed');
    expect(row.edited_at).not.toBeNull();
  });

  it('falls back to one by one when the batch fails, and only the bad event is counted and retried', async () => {
    const good = [message({ customerId: 'b-6' }), message({ customerId: 'b-7' })];
    const ids = [
      await storeEvent(p, a, [good[0]]),
      await storeEvent(p, a, { fail: 'unreadable' }),
      await storeEvent(p, a, [good[1]]),
    ];
    const retry = await processMany(ids);
    expect([...retry.keys()]).toEqual([ids[1]]);
    expect(String(retry.get(ids[1]))).toContain('unreadable');
    expect((await eventRow(p, a, ids[0])).status).toBe('PROCESSED');
    expect((await eventRow(p, a, ids[2])).status).toBe('PROCESSED');
    const bad = await eventRow(p, a, ids[1]);
    expect(bad.status).toBe('PENDING');
    expect(bad.attempts).toBe(1);
    expect(bad.last_error).toContain('unreadable');
    // The bull retry of the job skips what is done and counts the bad event's second attempt.
    expect([...(await processMany(ids)).keys()]).toEqual([ids[1]]);
    expect((await eventRow(p, a, ids[1])).attempts).toBe(2);
    expect(
      await count(`messages WHERE agency_id = $1 AND external_id = $2`, a.agencyId, good[0].externalId),
    ).toBe(1);
  });

  it('drains its agency: one call applies every fresh PENDING event, past one batch', async () => {
    const d = await tenant(p);
    const total = 100 * 2 + 17; // INGEST_BATCH_SIZE is 100 here
    const ids: string[] = [];
    for (let i = 0; i < total; i++) {
      ids.push(await storeEvent(p, d, [message({ customerId: `drain-${i % 40}`, occurredAt: at(i) })]));
    }
    // The job names one event; the writer added no job for the others (IngestJobs.enqueueNew).
    expect((await p.worker!.app.get(IngestService).processMany(d.agencyId, [ids[5]])).size).toBe(0);
    expect(await count(`inbound_events WHERE agency_id = $1 AND status = 'PENDING'`, d.agencyId)).toBe(0);
    expect(await count(`messages WHERE agency_id = $1`, d.agencyId)).toBe(total);
    expect(await count(`conversations WHERE agency_id = $1`, d.agencyId)).toBe(40);
  });

  it('applies a taken-along event the batch cannot (an edit) in the same call, not never', async () => {
    const e = await tenant(p);
    const m = message({ customerId: 'along-1', occurredAt: at(1), body: 'teh parcel' });
    await deliver(p, e, m);
    const own = await storeEvent(p, e, [message({ customerId: 'along-2', occurredAt: at(2) })]);
    const edit = await storeEvent(p, e, [
      { type: 'edit' as const, externalId: m.externalId, body: 'the parcel', occurredAt: at(3) },
    ]);
    await p.worker!.app.get(IngestService).processMany(e.agencyId, [own]);
    expect((await eventRow(p, e, edit)).status).toBe('PROCESSED');
    expect((await messageRow(p, e, m.externalId)).body).toBe('the parcel');
  });

  it('does not let a bad event it took along fail every batch of its agency: it is counted at once', async () => {
    const f = await tenant(p);
    const own = await storeEvent(p, f, [message({ customerId: 'poison-1' })]);
    const bad = await storeEvent(p, f, { fail: 'unreadable' });
    const later = await storeEvent(p, f, [message({ customerId: 'poison-2' })]);
    const retry = await p.worker!.app.get(IngestService).processMany(f.agencyId, [own]);
    expect([...retry.keys()]).toEqual([bad]);
    expect((await eventRow(p, f, own)).status).toBe('PROCESSED');
    expect((await eventRow(p, f, later)).status).toBe('PROCESSED');
    // Tried once: no longer taken along (attempts > 0); its own job or the sweeper retries it.
    expect(await eventRow(p, f, bad)).toMatchObject({ status: 'PENDING', attempts: 1 });
    const next = await storeEvent(p, f, [message({ customerId: 'poison-3' })]);
    expect((await p.worker!.app.get(IngestService).processMany(f.agencyId, [next])).size).toBe(0);
    expect((await eventRow(p, f, bad)).attempts).toBe(1);
  });

  it('tells live subscribers of the brand about each new message once it is committed', async () => {
    const b = await tenant(p);
    const { owner, brandId } = b;
    const socket = openSocket(p.t.baseUrl, owner.token);
    try {
      const received = socket.subscribe(CONVERSATION_EVENTS, { brandIds: [brandId] });
      await untilListening(p.worker!.app.get(LiveEvents), received, b.agencyId, brandId);
      const msgs = [message({ customerId: 'b-live' }), message({ customerId: 'b-live' })];
      await p
        .worker!.app.get(IngestService)
        .processMany(b.agencyId, [await storeEvent(p, b, [msgs[0]]), await storeEvent(p, b, [msgs[1]])]);
      const row = await messageRow(p, b, msgs[0].externalId);
      await received.until((i) => i.conversationEvents.change === 'CREATED');
      await received.until((i) => i.conversationEvents.type === 'MESSAGE_CREATED');
      const events = eventsOf(received);
      expect(events.filter((e) => e.type === 'MESSAGE_CREATED')).toHaveLength(2);
      expect(events).toContainEqual(
        expect.objectContaining({
          type: 'MESSAGE_CREATED',
          conversationId: row.conversation_id,
          messageId: row.id,
          brandId,
        }),
      );
      expect(events).toContainEqual(
        expect.objectContaining({
          type: 'CONVERSATION_CHANGED',
          conversationId: row.conversation_id,
          change: 'CREATED',
        }),
      );
    } finally {
      await socket.close();
    }
  });

  it('tells live subscribers when the platform edits or deletes a stored message, once each', async () => {
    const b = await tenant(p);
    const socket = openSocket(p.t.baseUrl, b.owner.token);
    try {
      const received = socket.subscribe(CONVERSATION_EVENTS, { brandIds: [b.brandId] });
      await untilListening(p.worker!.app.get(LiveEvents), received, b.agencyId, b.brandId);
      const m = message({ customerId: 'b-changes', occurredAt: at(0) });
      const ingest = p.worker!.app.get(IngestService);
      await ingest.processMany(b.agencyId, [await storeEvent(p, b, [m])]);
      const edit = { type: 'edit' as const, externalId: m.externalId, body: 'fixed', occurredAt: at(1) };
      const deletion = { type: 'deletion' as const, externalId: m.externalId, occurredAt: at(2) };
      // The same edit and deletion delivered twice change the message once: one event each.
      for (const change of [edit, edit, deletion, deletion]) {
        await ingest.processMany(b.agencyId, [await storeEvent(p, b, [change])]);
      }
      const row = await messageRow(p, b, m.externalId);
      await received.until((i) => i.conversationEvents.change === 'DELETED');
      const updates = eventsOf(received).filter((e) => e.type === 'MESSAGE_UPDATED');
      expect(updates).toEqual(
        ['EDITED', 'DELETED'].map((change) => ({
          type: 'MESSAGE_UPDATED',
          conversationId: row.conversation_id,
          brandId: b.brandId,
          messageId: row.id,
          change,
        })),
      );
    } finally {
      await socket.close();
    }
  });

  it('never threads two batches racing on the same new customer into two conversations', async () => {
    const batches = [0, 1, 2, 3].map(() =>
      [0, 1, 2].map((i) => message({ customerId: 'b-race', occurredAt: at(i) })),
    );
    // Stored one at a time (one owner connection); processed all at once.
    const ids: string[][] = [];
    for (const msgs of batches) {
      const batch: string[] = [];
      for (const m of msgs) batch.push(await storeEvent(p, a, [m]));
      ids.push(batch);
    }
    await Promise.all(ids.map((batch) => processMany(batch)));
    expect(await count(`conversations WHERE agency_id = $1 AND thread_key = 'dm:b-race'`, a.agencyId)).toBe(
      1,
    );
    expect(
      await count(`contact_identities WHERE agency_id = $1 AND external_user_id = 'b-race'`, a.agencyId),
    ).toBe(1);
    expect(
      await count(
        `contacts c WHERE agency_id = $1 AND NOT EXISTS
           (SELECT 1 FROM contact_identities i WHERE i.agency_id = c.agency_id AND i.contact_id = c.id)`,
        a.agencyId,
      ),
    ).toBe(0);
    expect(
      await count(
        `messages m JOIN conversations c ON c.agency_id = m.agency_id AND c.id = m.conversation_id
      WHERE m.agency_id = $1 AND c.thread_key = 'dm:b-race'`,
        a.agencyId,
      ),
    ).toBe(12);
  });
});

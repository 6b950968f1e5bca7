import { TenantDb } from '@caredesk/core';
import { IngestService, PendingChangeExpiry } from '@caredesk/inbox';
import { Pipeline, startPipeline } from '../support/pipeline';
import {
  comment,
  deliver,
  enqueue,
  eventRow,
  ingest,
  installScriptedConnector,
  message,
  messageRow,
  resolve,
  storeEvent,
  Tenant,
  tenant,
} from './ingest.support';

/**
 * The ingest processor (issue 3): inbound_events → contacts, conversations, messages. Driven by a
 * scripted connector, so these tests are about threading and idempotency, not a platform's format.
 */
describe('ingest: inbound events into conversations', () => {
  let p: Pipeline;
  let a: Tenant;

  beforeAll(async () => {
    p = await startPipeline({ REOPEN_WINDOW_HOURS: '24', SWEEP_AFTER_SECONDS: '3600' });
    installScriptedConnector(p);
    a = await tenant(p);
  });
  afterAll(() => p?.close());

  const count = (from: string, ...params: unknown[]) => p.t.count(from, params);

  describe('idempotency', () => {
    it('processes the same event three times into exactly one message', async () => {
      const m = message({ customerId: 'idem-1' });
      const id = await storeEvent(p, a, [m]);
      const outcomes = await Promise.all([ingest(p, a, id), ingest(p, a, id), ingest(p, a, id)]);
      expect(outcomes.sort()).toEqual(['PROCESSED', 'SKIPPED', 'SKIPPED']);
      // And once more through bull, under another job id: still nothing new.
      await enqueue(p, a, [id], [`again-${id}`]);
      await p.waitForEvents({ agencyId: a.agencyId });

      expect(
        await count('messages WHERE agency_id = $1 AND external_id = $2', a.agencyId, m.externalId),
      ).toBe(1);
      expect(await count(`conversations WHERE agency_id = $1 AND thread_key = 'dm:idem-1'`, a.agencyId)).toBe(
        1,
      );
      expect(
        await count(`contact_identities WHERE agency_id = $1 AND external_user_id = 'idem-1'`, a.agencyId),
      ).toBe(1);
      const row = await eventRow(p, a, id);
      expect(row.status).toBe('PROCESSED');
      expect(row.processed_at).not.toBeNull();
    });

    it('stores a message once when two different deliveries carry it', async () => {
      const m = message({ customerId: 'idem-2' });
      const ids = [await storeEvent(p, a, [m]), await storeEvent(p, a, [m]), await storeEvent(p, a, [m])];
      await enqueue(p, a, ids);
      await p.waitForEvents({ agencyId: a.agencyId });
      expect(
        await count('messages WHERE agency_id = $1 AND external_id = $2', a.agencyId, m.externalId),
      ).toBe(1);
      for (const id of ids) expect((await eventRow(p, a, id)).status).toBe('PROCESSED');
    });

    it("makes one contact and one conversation when a new customer's messages are threaded at once", async () => {
      const ids = [];
      for (let i = 0; i < 8; i++) ids.push(await storeEvent(p, a, [message({ customerId: 'race-1' })]));
      expect(await Promise.all(ids.map((id) => ingest(p, a, id)))).toEqual(Array(8).fill('PROCESSED'));
      expect(
        await count(`contact_identities WHERE agency_id = $1 AND external_user_id = 'race-1'`, a.agencyId),
      ).toBe(1);
      expect(
        await count(
          // A worker that lost the race drops the contact it created: no contact without an identity.
          `contacts c WHERE agency_id = $1
             AND NOT EXISTS (SELECT 1 FROM contact_identities i WHERE i.agency_id = c.agency_id AND i.contact_id = c.id)`,
          a.agencyId,
        ),
      ).toBe(0);
      expect(await count(`conversations WHERE agency_id = $1 AND thread_key = 'dm:race-1'`, a.agencyId)).toBe(
        1,
      );
      expect(
        await count(
          `messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.agency_id = $1 AND c.thread_key = 'dm:race-1'`,
          a.agencyId,
        ),
      ).toBe(8);
    });

    it('creates one contact for one customer, refreshing the profile the platform sends', async () => {
      await deliver(p, a, message({ customerId: 'prof-1' }));
      const renamed = message({ customerId: 'prof-1' });
      renamed.customer = { ...renamed.customer!, username: 'casey_new', displayName: null };
      await deliver(p, a, renamed);
      const rows = await p.t.ownerQuery(
        `SELECT contact_id, username, display_name FROM contact_identities WHERE agency_id = $1 AND external_user_id = 'prof-1'`,
        [a.agencyId],
      );
      expect(rows).toEqual([
        expect.objectContaining({ username: 'casey_new', display_name: 'Casey Customer' }),
      ]);
      expect(await count('contacts WHERE agency_id = $1 AND id = $2', a.agencyId, rows[0].contact_id)).toBe(
        1,
      );
    });
  });

  describe('DM threading and the reopen window', () => {
    it('joins the open conversation, reopens within the window, starts anew beyond it', async () => {
      const first = message({ customerId: 'dm-1' });
      await deliver(p, a, first);
      const conv = (await messageRow(p, a, first.externalId)).conversation_id;

      const second = message({ customerId: 'dm-1' });
      await deliver(p, a, second);
      expect((await messageRow(p, a, second.externalId)).conversation_id).toBe(conv);

      await resolve(p, a, conv, 23); // REOPEN_WINDOW_HOURS is 24 in this file
      const third = message({ customerId: 'dm-1' });
      await deliver(p, a, third);
      const reopened = await messageRow(p, a, third.externalId);
      expect(reopened.conversation_id).toBe(conv);
      expect(reopened.conversation_status).toBe('OPEN');
      expect(
        await count(
          'conversations WHERE agency_id = $1 AND id = $2 AND resolved_at IS NULL',
          a.agencyId,
          conv,
        ),
      ).toBe(1);

      await resolve(p, a, conv, 25);
      const fourth = message({ customerId: 'dm-1' });
      await deliver(p, a, fourth);
      const fresh = await messageRow(p, a, fourth.externalId);
      expect(fresh.conversation_id).not.toBe(conv);
      expect(fresh.conversation_status).toBe('OPEN');
      expect(
        await count(
          `conversations WHERE agency_id = $1 AND id = $2 AND status = 'RESOLVED'`,
          a.agencyId,
          conv,
        ),
      ).toBe(1);
    });

    it("takes the brand's own reopen window (set through updateBrand) over the default", async () => {
      const b = await tenant(p);
      const { owner, brandId } = b;
      await owner.client.ok(
        `mutation ($input: UpdateBrandInput!) { updateBrand(input: $input) { reopenWindowHours } }`,
        { input: { id: brandId, reopenWindowHours: 2 } },
      );
      const first = message({ customerId: 'dm-2' });
      await deliver(p, b, first);
      const conv = (await messageRow(p, b, first.externalId)).conversation_id;

      await resolve(p, b, conv, 1);
      const within = message({ customerId: 'dm-2' });
      await deliver(p, b, within);
      expect((await messageRow(p, b, within.externalId)).conversation_id).toBe(conv);

      await resolve(p, b, conv, 3); // within the default 24 h, beyond the brand's 2 h
      const beyond = message({ customerId: 'dm-2' });
      await deliver(p, b, beyond);
      expect((await messageRow(p, b, beyond.externalId)).conversation_id).not.toBe(conv);
    });

    it('keeps conversation times monotonic when deliveries arrive out of order', async () => {
      const newer = message({ customerId: 'dm-3', occurredAt: new Date('2026-01-02T10:00:00Z') });
      const older = message({ customerId: 'dm-3', occurredAt: new Date('2026-01-02T09:00:00Z') });
      await deliver(p, a, newer);
      await deliver(p, a, older);
      const [conv] = await p.t.ownerQuery(
        `SELECT c.last_message_at, c.last_inbound_at FROM conversations c JOIN messages m ON m.conversation_id = c.id
          WHERE m.external_id = $1`,
        [older.externalId],
      );
      expect(conv.last_message_at.toISOString()).toBe('2026-01-02T10:00:00.000Z');
      expect(conv.last_inbound_at.toISOString()).toBe('2026-01-02T10:00:00.000Z');
    });
  });

  describe('comment threads', () => {
    it('threads a reply that arrives before its parent into the same conversation', async () => {
      const reply = comment('post-1', 'c-top', 'c-reply', 'c-top', 'fan-2');
      const top = comment('post-1', 'c-top', 'c-top', null, 'fan-1');
      const other = comment('post-1', 'c-other', 'c-other', null, 'fan-1');
      // Delivered newest first, through the queue, all at once.
      const ids = [
        await storeEvent(p, a, [reply]),
        await storeEvent(p, a, [top]),
        await storeEvent(p, a, [other]),
      ];
      await enqueue(p, a, ids);
      await p.waitForEvents({ agencyId: a.agencyId });

      const r = await messageRow(p, a, 'c-reply');
      const t = await messageRow(p, a, 'c-top');
      expect(r.conversation_id).toBe(t.conversation_id);
      expect(r.parent_external_id).toBe('c-top');
      expect(r.conversation_kind).toBe('COMMENT');
      expect((await messageRow(p, a, 'c-other')).conversation_id).not.toBe(t.conversation_id);
      expect(
        await count(`conversations WHERE agency_id = $1 AND thread_key = 'comment:post-1:c-top'`, a.agencyId),
      ).toBe(1);
    });

    it('reopens a resolved comment thread whatever its age', async () => {
      await deliver(p, a, comment('post-2', 'c2', 'c2', null));
      const conv = (await messageRow(p, a, 'c2')).conversation_id;
      await resolve(p, a, conv, 24 * 400);
      await deliver(p, a, comment('post-2', 'c2', 'c2-late', 'c2'));
      const late = await messageRow(p, a, 'c2-late');
      expect(late.conversation_id).toBe(conv);
      expect(late.conversation_status).toBe('OPEN');
    });
  });

  describe('reviews and mentions', () => {
    it('gives each review and each mention its own conversation; a reply to a review joins it', async () => {
      const review = (id: string, rating: number) =>
        message({
          kind: 'REVIEW',
          visibility: 'PUBLIC',
          externalId: id,
          threadKey: `review:${id.split('.')[0]}`,
          rating,
          customerId: 'rev-1',
        });
      await deliver(p, a, review('r1', 2), review('r2', 5));
      await deliver(p, a, review('r1.update', 4));
      const r1 = await messageRow(p, a, 'r1');
      const r2 = await messageRow(p, a, 'r2');
      expect(r1.conversation_id).not.toBe(r2.conversation_id);
      expect((await messageRow(p, a, 'r1.update')).conversation_id).toBe(r1.conversation_id);
      expect([r1.rating, r2.rating]).toEqual([2, 5]);
      expect(r1.conversation_kind).toBe('REVIEW');

      const mention = (id: string) =>
        message({
          kind: 'MENTION',
          visibility: 'PUBLIC',
          externalId: id,
          threadKey: `mention:${id}`,
          customerId: 'rev-1',
        });
      await deliver(p, a, mention('t1'), mention('t2'));
      expect((await messageRow(p, a, 't1')).conversation_id).not.toBe(
        (await messageRow(p, a, 't2')).conversation_id,
      );
      expect((await messageRow(p, a, 't1')).conversation_kind).toBe('MENTION');
    });

    it('threads email by its root Message-ID and keeps the subject on the conversation', async () => {
      const mail = (id: string, body: string) =>
        message({
          kind: 'EMAIL',
          externalId: id,
          threadKey: 'email:<root-1@example.com>',
          subject: 'Broken grinder',
          customerId: 'casey@example.com',
          body,
        });
      await deliver(p, a, mail('<root-1@example.com>', 'It broke'));
      const root = await messageRow(p, a, '<root-1@example.com>');
      await resolve(p, a, root.conversation_id, 24 * 30);
      await deliver(p, a, mail('<reply-1@example.com>', 'Still broken'));
      const reply = await messageRow(p, a, '<reply-1@example.com>');
      expect(reply.conversation_id).toBe(root.conversation_id);
      expect(reply.conversation_status).toBe('OPEN');
      const [conv] = await p.t.ownerQuery(`SELECT kind, subject FROM conversations WHERE id = $1`, [
        root.conversation_id,
      ]);
      expect(conv).toEqual({ kind: 'EMAIL', subject: 'Broken grinder' });
    });

    it('keeps attachments with the message', async () => {
      const m = message({
        customerId: 'att-1',
        attachments: [
          {
            type: 'IMAGE',
            url: 'https://cdn.example.com/p.jpg',
            name: 'p.jpg',
            size: 2048,
            mimeType: 'image/jpeg',
          },
        ],
      });
      await deliver(p, a, m);
      expect((await messageRow(p, a, m.externalId)).attachments).toEqual(m.attachments);
    });
  });

  describe("the brand's own messages (echoes)", () => {
    it('records an echo as OUTBOUND in the open conversation, without an author identity', async () => {
      const inbound = message({ customerId: 'echo-1' });
      const echo = message({ customerId: 'echo-1', direction: 'OUTBOUND', body: 'We are on it' });
      await deliver(p, a, inbound);
      await deliver(p, a, echo);
      const row = await messageRow(p, a, echo.externalId);
      expect(row).toMatchObject({ direction: 'OUTBOUND', author_identity_id: null, status: 'SENT' });
      expect(row.conversation_id).toBe((await messageRow(p, a, inbound.externalId)).conversation_id);
    });

    it('starts a brand-initiated thread resolved and without a contact; a customer answer reopens it and is its contact', async () => {
      const t = await tenant(p);
      const CONVERSATION = `query($id: ID!) { conversation(id: $id) {
        contact { id identities { externalUserId } } earlierConversations { id } } }`;
      // The brand's own comment names no customer (NormalizedMessage.customer): the brand is no contact.
      const own = {
        ...comment('post-3', 'own', 'own', null),
        direction: 'OUTBOUND' as const,
        customer: null,
      };
      await deliver(p, t, own);
      const first = await messageRow(p, t, 'own');
      expect(first).toMatchObject({ conversation_status: 'RESOLVED', author_identity_id: null });
      expect(await count('contacts WHERE agency_id = $1', t.agencyId)).toBe(0);
      const before = await t.owner.client.ok(CONVERSATION, { id: first.conversation_id });
      expect(before.conversation).toEqual({ contact: null, earlierConversations: [] });

      await deliver(p, t, comment('post-3', 'own', 'own-answer', 'own', 'fan-3'));
      // The brand answering again takes the conversation's contact; it creates none.
      await deliver(p, t, {
        ...comment('post-3', 'own', 'own-again', 'own-answer'),
        direction: 'OUTBOUND',
        customer: null,
      });
      const answer = await messageRow(p, t, 'own-answer');
      expect(answer.conversation_id).toBe(first.conversation_id);
      expect(answer.conversation_status).toBe('OPEN');
      expect((await messageRow(p, t, 'own-again')).conversation_id).toBe(first.conversation_id);
      const [conv] = await p.t.ownerQuery(
        `SELECT contact_id FROM conversations WHERE agency_id = $1 AND id = $2`,
        [t.agencyId, first.conversation_id],
      );
      const [identity] = await p.t.ownerQuery(
        `SELECT contact_id FROM contact_identities WHERE agency_id = $1 AND external_user_id = 'fan-3'`,
        [t.agencyId],
      );
      expect(conv.contact_id).toBe(identity.contact_id);
      expect(await count('contacts WHERE agency_id = $1', t.agencyId)).toBe(1);
      const after = await t.owner.client.ok(CONVERSATION, { id: first.conversation_id });
      expect(after.conversation.contact).toEqual({
        id: identity.contact_id,
        identities: [{ externalUserId: 'fan-3' }],
      });
    });

    it("the brand's own comment and a customer's answer in one event: the customer is the contact", async () => {
      const t = await tenant(p);
      const own = {
        ...comment('post-4', 'top4', 'top4', null),
        direction: 'OUTBOUND' as const,
        customer: null,
      };
      const fan = comment('post-4', 'top4', 'fan4', 'top4', 'fan-4');
      fan.occurredAt = new Date(own.occurredAt.getTime() + 1000);
      await ingest(p, t, await storeEvent(p, t, [own, fan]));
      const row = await messageRow(p, t, 'top4');
      const [conv] = await p.t.ownerQuery(
        `SELECT c.contact_id, ci.external_user_id FROM conversations c
           JOIN contact_identities ci ON ci.agency_id = c.agency_id AND ci.contact_id = c.contact_id
          WHERE c.agency_id = $1 AND c.id = $2`,
        [t.agencyId, row.conversation_id],
      );
      expect(conv.external_user_id).toBe('fan-4');
      expect((await messageRow(p, t, 'fan4')).conversation_id).toBe(row.conversation_id);
    });

    it('adds nothing for the echo of a reply Caredesk sent (same platform id)', async () => {
      const inbound = message({ customerId: 'echo-2' });
      await deliver(p, a, inbound);
      const conv = (await messageRow(p, a, inbound.externalId)).conversation_id;
      // What the send worker leaves behind: our reply, SENT, with the platform's id.
      await p.t.ownerQuery(
        `INSERT INTO messages (agency_id, id, brand_id, channel_id, conversation_id, direction, external_id, body, status)
         VALUES ($1, gen_random_uuid(), $2, $3, $4, 'OUTBOUND', 'sent-by-caredesk', 'Sorry!', 'SENT')`,
        [a.agencyId, a.brandId, a.channelId, conv],
      );
      const before = await count('messages WHERE agency_id = $1', a.agencyId);
      const id = await deliver(
        p,
        a,
        message({ customerId: 'echo-2', direction: 'OUTBOUND', externalId: 'sent-by-caredesk' }),
      );
      expect((await eventRow(p, a, id)).status).toBe('PROCESSED');
      expect(await count('messages WHERE agency_id = $1', a.agencyId)).toBe(before);
    });
  });

  describe('edits and deletions', () => {
    it('applies edits (newest wins) and deletions', async () => {
      const m = message({ customerId: 'ed-1' });
      await deliver(p, a, m);
      const at = (s: string) => new Date(`2026-02-01T10:00:${s}Z`);
      await deliver(p, a, { type: 'edit', externalId: m.externalId, body: 'second', occurredAt: at('02') });
      await deliver(p, a, { type: 'edit', externalId: m.externalId, body: 'first', occurredAt: at('01') });
      let row = await messageRow(p, a, m.externalId);
      expect(row.body).toBe('second');
      expect(row.edited_at.toISOString()).toBe(at('02').toISOString());

      await deliver(p, a, { type: 'deletion', externalId: m.externalId, occurredAt: at('03') });
      await deliver(p, a, { type: 'deletion', externalId: m.externalId, occurredAt: at('09') });
      row = await messageRow(p, a, m.externalId);
      expect(row.deleted_at.toISOString()).toBe(at('03').toISOString());
      expect(row.body).toBe('second');
    });
  });

  /**
   * Deliveries out of order (issue 3): an edit or deletion may arrive before its message (the
   * message's delivery got a 5xx and the platform retried it later). It is kept as a pending change,
   * its event PROCESSED, and applied when the message is stored.
   */
  describe('edits and deletions before their message', () => {
    const at = (s: string) => new Date(`2026-03-01T10:00:${s}Z`);
    const pending = (t: Tenant, externalId: string) =>
      p.t.ownerQuery(
        `SELECT * FROM pending_message_changes WHERE agency_id = $1 AND channel_id = $2 AND external_id = $3`,
        [t.agencyId, t.channelId, externalId],
      );

    it('keeps an early edit (event PROCESSED) and applies it when the message arrives', async () => {
      const m = message({ customerId: 'early-1', occurredAt: at('00'), body: 'teh parcel' });
      const edit = await deliver(p, a, {
        type: 'edit',
        externalId: m.externalId,
        body: 'the parcel',
        occurredAt: at('05'),
      });
      expect(await eventRow(p, a, edit)).toMatchObject({ status: 'PROCESSED', attempts: 0 });
      expect(await pending(a, m.externalId)).toHaveLength(1);

      await deliver(p, a, m);
      const row = await messageRow(p, a, m.externalId);
      expect(row.body).toBe('the parcel');
      expect(row.edited_at.toISOString()).toBe(at('05').toISOString());
      expect(row.deleted_at).toBeNull();
      expect(await pending(a, m.externalId)).toEqual([]);
    });

    it('marks a message deleted when its deletion came first', async () => {
      const m = message({ customerId: 'early-2', occurredAt: at('00') });
      const del = await deliver(p, a, { type: 'deletion', externalId: m.externalId, occurredAt: at('07') });
      expect((await eventRow(p, a, del)).status).toBe('PROCESSED');
      await deliver(p, a, m);
      const row = await messageRow(p, a, m.externalId);
      expect(row.deleted_at.toISOString()).toBe(at('07').toISOString());
      expect(row.body).toBe(m.body);
      expect(row.edited_at).toBeNull();
      expect(await pending(a, m.externalId)).toEqual([]);
    });

    it('applies early edits and deletions together: newest edit, first deletion, deleted whatever the times', async () => {
      const m = message({ customerId: 'early-3', occurredAt: at('00'), body: 'v0' });
      await deliver(p, a, { type: 'edit', externalId: m.externalId, body: 'v2', occurredAt: at('20') });
      await deliver(p, a, { type: 'deletion', externalId: m.externalId, occurredAt: at('15') });
      await deliver(p, a, { type: 'edit', externalId: m.externalId, body: 'v1', occurredAt: at('10') });
      await deliver(p, a, { type: 'deletion', externalId: m.externalId, occurredAt: at('30') });
      expect(await pending(a, m.externalId)).toHaveLength(1);

      await deliver(p, a, m);
      const row = await messageRow(p, a, m.externalId);
      expect(row.body).toBe('v2');
      expect(row.edited_at.toISOString()).toBe(at('20').toISOString());
      // Deleted although its deletion is older than the newest edit: the same as in order.
      expect(row.deleted_at.toISOString()).toBe(at('15').toISOString());
    });

    it('applies the same early edit delivered twice once, and a redelivered message changes nothing', async () => {
      const m = message({ customerId: 'early-4', occurredAt: at('00') });
      const edit = { type: 'edit' as const, externalId: m.externalId, body: 'once', occurredAt: at('03') };
      const ids = [await deliver(p, a, edit), await deliver(p, a, edit)];
      for (const id of ids) expect((await eventRow(p, a, id)).status).toBe('PROCESSED');
      expect(await pending(a, m.externalId)).toHaveLength(1);

      await deliver(p, a, m);
      await deliver(p, a, m);
      expect(
        await count('messages WHERE agency_id = $1 AND external_id = $2', a.agencyId, m.externalId),
      ).toBe(1);
      expect((await messageRow(p, a, m.externalId)).body).toBe('once');
    });

    it('does not let an early edit older than the delivered text overwrite it', async () => {
      // The message's delivery came late and carries the text as of at(40), newer than the edit.
      const m = message({ customerId: 'early-5', occurredAt: at('40'), body: 'newest text' });
      await deliver(p, a, { type: 'edit', externalId: m.externalId, body: 'stale', occurredAt: at('20') });
      await deliver(p, a, m);
      const row = await messageRow(p, a, m.externalId);
      expect(row.body).toBe('newest text');
      expect(row.edited_at).toBeNull();
      expect(await pending(a, m.externalId)).toEqual([]);
    });

    it('applies early changes to messages stored by the batch path', async () => {
      const m = message({ customerId: 'early-6', occurredAt: at('00'), body: 'draft' });
      await deliver(p, a, { type: 'edit', externalId: m.externalId, body: 'final', occurredAt: at('02') });
      const id = await storeEvent(p, a, [m]);
      expect((await p.worker!.app.get(IngestService).processMany(a.agencyId, [id])).size).toBe(0);
      expect((await eventRow(p, a, id)).status).toBe('PROCESSED');
      expect((await messageRow(p, a, m.externalId)).body).toBe('final');
      expect(await pending(a, m.externalId)).toEqual([]);
    });

    it('applies every edit that races its message (ingested at the same time)', async () => {
      const ms = Array.from({ length: 12 }, (_, i) =>
        message({ customerId: `race-edit-${i}`, occurredAt: at('00'), body: 'before' }),
      );
      const edits = await Promise.all(
        ms.map((m) =>
          storeEvent(p, a, [{ type: 'edit', externalId: m.externalId, body: 'after', occurredAt: at('01') }]),
        ),
      );
      const msgs = await Promise.all(ms.map((m) => storeEvent(p, a, [m])));
      const outcomes = await Promise.all(
        ms.flatMap((_, i) => [ingest(p, a, msgs[i]), ingest(p, a, edits[i])]),
      );
      expect(outcomes).toEqual(Array(ms.length * 2).fill('PROCESSED'));
      for (const m of ms) {
        expect((await messageRow(p, a, m.externalId)).body).toBe('after');
        expect(await pending(a, m.externalId)).toEqual([]);
      }
    });

    it("keeps agency A's early edit from another agency's message with the same platform id", async () => {
      const b = await tenant(p);
      const m = message({ customerId: 'early-7', occurredAt: at('00'), body: 'original' });
      await deliver(p, a, {
        type: 'edit',
        externalId: m.externalId,
        body: 'edited by A',
        occurredAt: at('09'),
      });
      expect(
        await p
          .worker!.app.get(TenantDb)
          .run(b.agencyId, (tx) => tx.query(`SELECT 1 FROM pending_message_changes`)),
      ).toEqual([]);

      await deliver(p, b, m);
      const ofB = await messageRow(p, b, m.externalId);
      expect(ofB.body).toBe('original');
      expect(ofB.edited_at).toBeNull();
      expect(await pending(a, m.externalId)).toHaveLength(1);

      await deliver(p, a, m);
      expect((await messageRow(p, a, m.externalId)).body).toBe('edited by A');
      expect((await messageRow(p, b, m.externalId)).body).toBe('original');
    });

    it('drops pending changes whose message never came after 30 days, and only those', async () => {
      const old = `never-${Date.now()}`;
      const fresh = `not-yet-${Date.now()}`;
      await deliver(p, a, { type: 'edit', externalId: old, body: 'x', occurredAt: at('01') });
      await deliver(p, a, { type: 'deletion', externalId: fresh, occurredAt: at('01') });
      await p.t.ownerQuery(
        `UPDATE pending_message_changes SET created_at = now() - interval '31 days'
          WHERE agency_id = $1 AND external_id = $2`,
        [a.agencyId, old],
      );
      expect(await p.worker!.app.get(PendingChangeExpiry).expireOnce()).toBeGreaterThanOrEqual(1);
      expect(await pending(a, old)).toEqual([]);
      expect(await pending(a, fresh)).toHaveLength(1);
    });
  });

  describe('failures', () => {
    it('counts failed attempts, writes nothing, and gives up as FAILED after five', async () => {
      const before = await count('messages WHERE agency_id = $1', a.agencyId);
      const id = await storeEvent(p, a, { fail: 'unexpected payload shape' });
      for (let i = 1; i <= 4; i++) {
        await expect(ingest(p, a, id)).rejects.toThrow('unexpected payload shape');
        expect(await eventRow(p, a, id)).toMatchObject({ status: 'PENDING', attempts: i });
      }
      expect(await ingest(p, a, id)).toBe('FAILED');
      expect(await eventRow(p, a, id)).toMatchObject({
        status: 'FAILED',
        attempts: 5,
        last_error: 'unexpected payload shape',
      });
      expect(await ingest(p, a, id)).toBe('SKIPPED');
      expect(await count('messages WHERE agency_id = $1', a.agencyId)).toBe(before);
    });

    it('rolls back the whole event when one of its changes fails', async () => {
      const ok = message({ customerId: 'half-1' });
      // A star rating out of range breaks the messages check constraint after `ok` was written.
      const id = await storeEvent(p, a, [ok, message({ customerId: 'half-2', rating: 9 })]);
      await expect(ingest(p, a, id)).rejects.toThrow();
      expect(
        await count('messages WHERE agency_id = $1 AND external_id = $2', a.agencyId, ok.externalId),
      ).toBe(0);
      expect(
        await count(`contact_identities WHERE agency_id = $1 AND external_user_id = 'half-1'`, a.agencyId),
      ).toBe(0);
    });

    it('marks an event with nothing to apply IGNORED', async () => {
      const id = await storeEvent(p, a, []);
      expect(await ingest(p, a, id)).toBe('IGNORED');
      expect((await eventRow(p, a, id)).processed_at).not.toBeNull();
    });
  });

  describe('tenancy', () => {
    it("writes an event of agency A's channel only as A's rows, invisible to agency B", async () => {
      const b = await tenant(p);
      const m = message({ customerId: 'tenant-1' });
      await deliver(p, a, m);
      for (const table of ['messages', 'conversations', 'contacts', 'contact_identities']) {
        expect(await count(`${table} WHERE agency_id = $1`, b.agencyId)).toBe(0);
      }
      const row = await messageRow(p, a, m.externalId);
      expect(row.agency_id).toBe(a.agencyId);
      const seenByB = await p
        .worker!.app.get(TenantDb)
        .run(b.agencyId, (tx) =>
          tx.query(
            `SELECT id FROM messages WHERE external_id = $1 UNION ALL SELECT id FROM conversations WHERE id = $2`,
            [m.externalId, row.conversation_id],
          ),
        );
      expect(seenByB).toEqual([]);
      // An event id of A's run under B's agency finds nothing and writes nothing.
      const id = await storeEvent(p, a, [message({ customerId: 'tenant-2' })]);
      expect(await ingest(p, b, id)).toBe('SKIPPED');
      expect((await eventRow(p, a, id)).status).toBe('PENDING');
    });
  });
});

import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { Client } from 'pg';
import { APP_CONFIG, AppConfig } from '@caredesk/core';
import { Platform } from '@caredesk/channels';
import { RequestContext } from '@caredesk/core';
import { SnoozeWaker, ThreadingService } from '@caredesk/inbox';
import { message } from './ingest.support';
import { agencyChannel } from '../../libs/inbox/src/live/live-channels';
import { crossTenant } from '../support/cross-tenant';
import { eventually } from '../support/eventually';
import { createMember, Member } from '../support/members';
import { SmtpCapture, startSmtpCapture } from '../support/smtp-capture';
import { startTestApp, TestApp } from '../support/test-app';
import { startTestWorker, TestWorker } from '../support/test-worker';
import {
  CONVERSATION,
  InboxAgency,
  NODE_FIELDS,
  seedConv,
  seedInboxAgency,
  statementCounter,
} from './conversations.support';

const m = (name: string, input: string, fields = 'id') =>
  `mutation($input: ${input}!) { ${name}(input: $input) { ${fields} } }`;
const ASSIGN = m('assignConversation', 'AssignConversationInput', NODE_FIELDS);
const STATUS = m('setConversationStatus', 'SetConversationStatusInput', NODE_FIELDS);
const PRIORITY = m('setConversationPriority', 'SetConversationPriorityInput', NODE_FIELDS);
const ADD_TAGS = m('addConversationTags', 'ConversationTagsInput', NODE_FIELDS);
const REMOVE_TAGS = m('removeConversationTags', 'ConversationTagsInput', NODE_FIELDS);
const NO_REPLY = m('markNoReplyNeeded', 'MarkNoReplyNeededInput', NODE_FIELDS);
const CLEAR_NO_REPLY = `mutation($id: ID!) { clearNoReplyNeeded(conversationId: $id) { ${NODE_FIELDS} } }`;
const ADD_NOTE = m('addNote', 'AddNoteInput', 'id body author { id } mentions { id email } createdAt');
const BULK_ASSIGN = m('bulkAssign', 'BulkAssignInput', 'id assignee { id }');
const BULK_RESOLVE = m('bulkResolve', 'BulkResolveInput', 'id status');
const BULK_TAG = m('bulkTag', 'BulkTagInput', 'id tags { name brandId }');
const TEAMS = `{ teams { id name } }`;
const CREATE_TEAM = m('createTeam', 'CreateTeamInput', 'id name');
const SET_TEAM = m('setConversationTeam', 'SetConversationTeamInput', 'id team { id name }');
const BY_TEAM = `query($teamIds: [ID!]) { conversations(first: 50, filter: { teamIds: $teamIds }) { edges { node { id } } } }`;

/** The inbox's mutations, conversation(id), notes with @mentions, snooze wake-up, teams. */
describe('conversation actions', () => {
  let t: TestApp;
  let worker: TestWorker;
  let smtp: SmtpCapture;
  let a: InboxAgency;
  let b: InboxAgency;
  let agent: Member;
  let limited: Member; // an agent of agency a, limited to brand 1

  beforeAll(async () => {
    smtp = await startSmtpCapture();
    t = await startTestApp({
      SMTP_URL: smtp.url,
      APP_URL: 'http://app.caredesk.test',
      SNOOZE_WAKE_INTERVAL_SECONDS: '1',
    });
    worker = await startTestWorker();
    a = await seedInboxAgency(t);
    b = await seedInboxAgency(t);
    agent = await createMember(t, a.owner.agencyId, 'AGENT');
    limited = await createMember(t, a.owner.agencyId, 'AGENT', [a.brands[1].id]);
  });
  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await smtp?.close();
  });

  /** What ingest's threading needs to place a message in agency `x`'s first brand (a Facebook Page). */
  const ingestInto = (x: InboxAgency) => ({
    threading: t.app.get(ThreadingService),
    ctx: RequestContext.system(x.owner.agencyId, 'test'),
    target: {
      channelId: x.brands[0].channelId,
      brandId: x.brands[0].id,
      platform: Platform.FACEBOOK_PAGE,
      reopenWindowHours: 24,
    },
  });

  const row = async (id: string) =>
    (await t.ownerQuery(`SELECT * FROM conversations WHERE id = $1`, [id]))[0];

  describe('assignConversation', () => {
    it('assigns to a member who can see the brand and unassigns; audited for the owner', async () => {
      const c = await seedConv(t, a);
      const { assignConversation } = await a.owner.client.ok(ASSIGN, {
        input: { conversationId: c.id, userId: agent.userId },
      });
      expect(assignConversation.assignee).toMatchObject({ id: agent.userId, email: agent.email });
      const [audit] = await t.ownerQuery(
        `SELECT action, entity_id FROM audit_events WHERE agency_id = $1 AND entity_id = $2`,
        [a.owner.agencyId, c.id],
      );
      expect(audit).toMatchObject({ action: 'conversation.assign', entity_id: c.id });
      const un = await agent.client.ok(ASSIGN, { input: { conversationId: c.id, userId: null } });
      expect(un.assignConversation.assignee).toBeNull();
      expect((await row(c.id)).assignee_user_id).toBeNull();
    });

    it('a viewer, a member without the brand, or a user of another agency → BAD_USER_INPUT, unchanged', async () => {
      const c = await seedConv(t, a);
      const viewer = await createMember(t, a.owner.agencyId, 'CLIENT_VIEWER');
      for (const userId of [viewer.userId, limited.userId, b.owner.userId, randomUUID()]) {
        const r = await a.owner.client.request(ASSIGN, { input: { conversationId: c.id, userId } });
        expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'userId' });
      }
      expect((await row(c.id)).assignee_user_id).toBeNull();
    });
  });

  describe('setConversationStatus', () => {
    it('RESOLVED sets resolvedAt; OPEN clears it; PENDING', async () => {
      const c = await seedConv(t, a);
      const r = await agent.client.ok(STATUS, { input: { conversationId: c.id, status: 'RESOLVED' } });
      expect(r.setConversationStatus).toMatchObject({ status: 'RESOLVED', resolvedAt: expect.any(String) });
      const o = await agent.client.ok(STATUS, { input: { conversationId: c.id, status: 'OPEN' } });
      expect(o.setConversationStatus).toMatchObject({ status: 'OPEN', resolvedAt: null });
      const p = await agent.client.ok(STATUS, { input: { conversationId: c.id, status: 'PENDING' } });
      expect(p.setConversationStatus.status).toBe('PENDING');
    });

    it.each([
      ['SNOOZED without snoozedUntil', { status: 'SNOOZED' }],
      ['SNOOZED in the past', { status: 'SNOOZED', snoozedUntil: new Date(Date.now() - 1000).toISOString() }],
      [
        'OPEN with snoozedUntil',
        { status: 'OPEN', snoozedUntil: new Date(Date.now() + 3600e3).toISOString() },
      ],
    ])('%s → BAD_USER_INPUT, unchanged', async (_w, input) => {
      const c = await seedConv(t, a);
      expect(await agent.client.code(STATUS, { input: { conversationId: c.id, ...input } })).toBe(
        'BAD_USER_INPUT',
      );
      expect((await row(c.id)).status).toBe('OPEN');
    });

    it('reopening a resolved conversation whose thread has an open one → CONFLICT', async () => {
      const c = await seedConv(t, a, { status: 'RESOLVED' });
      const other = await seedConv(t, a);
      await t.ownerQuery(`UPDATE conversations SET thread_key = $2 WHERE id = $1`, [other.id, `t:${c.id}`]);
      expect(await agent.client.code(STATUS, { input: { conversationId: c.id, status: 'OPEN' } })).toBe(
        'CONFLICT',
      );
      expect((await row(c.id)).status).toBe('RESOLVED');
    });
  });

  describe('snooze', () => {
    it('a SNOOZED conversation reopens by itself at snoozedUntil (worker)', async () => {
      const c = await seedConv(t, a);
      const until = new Date(Date.now() + 1500);
      const r = await agent.client.ok(STATUS, {
        input: { conversationId: c.id, status: 'SNOOZED', snoozedUntil: until.toISOString() },
      });
      expect(r.setConversationStatus).toMatchObject({ status: 'SNOOZED', snoozedUntil: until.toISOString() });
      const reopened = await eventually(
        async () => ((await row(c.id)).status === 'OPEN' ? true : undefined),
        15_000,
      );
      expect(reopened).toBe(true);
      expect((await row(c.id)).snoozed_until).toBeNull();
    });

    it("the customer's next message reopens a SNOOZED conversation (ingest threading)", async () => {
      const { threading, ctx, target } = ingestInto(a);
      const customerId = `snoozer-${randomUUID()}`;
      const first = await threading.applyMessage(ctx, target, message({ customerId }));
      if (first.kind !== 'inserted') throw new Error('not inserted');
      await agent.client.ok(STATUS, {
        input: {
          conversationId: first.conversationId,
          status: 'SNOOZED',
          snoozedUntil: new Date(Date.now() + 3600e3).toISOString(),
        },
      });
      const second = await threading.applyMessage(ctx, target, message({ customerId, body: 'Hello again?' }));
      expect(second).toMatchObject({ kind: 'inserted', conversationId: first.conversationId });
      const { conversation } = await agent.client.ok(CONVERSATION, { id: first.conversationId });
      expect(conversation).toMatchObject({
        status: 'OPEN',
        snoozedUntil: null,
        lastMessage: { body: 'Hello again?' },
        awaitingReplySince: expect.any(String),
      });
    });

    it('wakeOnce reopens due snoozes of every agency, and leaves future ones', async () => {
      const due = await seedConv(t, a, { status: 'SNOOZED', snoozedUntil: new Date(Date.now() - 60_000) });
      const dueB = await seedConv(t, b, { status: 'SNOOZED', snoozedUntil: new Date(Date.now() - 60_000) });
      const later = await seedConv(t, a, { status: 'SNOOZED', snoozedUntil: new Date(Date.now() + 3600e3) });
      await worker.app.get(SnoozeWaker).wakeOnce();
      expect((await row(due.id)).status).toBe('OPEN');
      expect((await row(dueB.id)).status).toBe('OPEN');
      expect((await row(later.id)).status).toBe('SNOOZED');
    });
  });

  it('setConversationPriority', async () => {
    const c = await seedConv(t, a);
    const r = await agent.client.ok(PRIORITY, { input: { conversationId: c.id, priority: 'URGENT' } });
    expect(r.setConversationPriority.priority).toBe('URGENT');
  });

  describe('tags', () => {
    it('adds (creating the brand tag once, case-insensitively) and removes', async () => {
      const c1 = await seedConv(t, a);
      const c2 = await seedConv(t, a);
      await agent.client.ok(ADD_TAGS, {
        input: { conversationId: c1.id, tags: ['Refund', ' late  delivery '] },
      });
      const r = await agent.client.ok(ADD_TAGS, {
        input: { conversationId: c2.id, tags: ['REFUND', 'refund'] },
      });
      expect(r.addConversationTags.tags.map((x: any) => x.name)).toEqual(['Refund']);
      expect(
        await t.count(`tags WHERE agency_id = $1 AND brand_id = $2 AND lower(name) = 'refund'`, [
          a.owner.agencyId,
          a.brands[0].id,
        ]),
      ).toBe(1);
      const removed = await agent.client.ok(REMOVE_TAGS, {
        input: { conversationId: c1.id, tags: ['refund'] },
      });
      expect(removed.removeConversationTags.tags.map((x: any) => x.name)).toEqual(['late delivery']);
    });

    it.each([
      ['no tags', []],
      ['an empty name', ['  ']],
      ['a 51-character name', ['x'.repeat(51)]],
    ])('%s → BAD_USER_INPUT', async (_w, tags) => {
      const c = await seedConv(t, a);
      expect(await agent.client.code(ADD_TAGS, { input: { conversationId: c.id, tags } })).toBe(
        'BAD_USER_INPUT',
      );
    });
  });

  it('markNoReplyNeeded stops the wait; clearNoReplyNeeded restores it', async () => {
    const c = await seedConv(t, a);
    const marked = await agent.client.ok(NO_REPLY, { input: { conversationId: c.id, reason: 'THANKS' } });
    expect(marked.markNoReplyNeeded).toMatchObject({
      noReplyNeeded: { reason: 'THANKS', at: expect.any(String) },
      awaitingReplySince: null,
    });
    const cleared = await agent.client.ok(CLEAR_NO_REPLY, { id: c.id });
    expect(cleared.clearNoReplyNeeded).toMatchObject({
      noReplyNeeded: null,
      awaitingReplySince: expect.any(String),
    });
  });

  describe('awaiting a reply', () => {
    const LONGEST_WAITING = `{ conversations(first: 100, sort: LONGEST_WAITING) { edges { node { id } } } }`;
    const waiting = async () =>
      (await agent.client.ok(LONGEST_WAITING)).conversations.edges.map((e: any) => e.node.id);
    const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000);
    /** Customer at -180 (seeded), brand at -120, customer at -60 and -30: the wait starts at -60. */
    const conversationWithHistory = async () => {
      const c = await seedConv(t, a, { at: ago(180) });
      for (const [direction, at] of [
        ['OUTBOUND', ago(120)],
        ['INBOUND', ago(60)],
        ['INBOUND', ago(30)],
      ] as const) {
        await t.ownerQuery(
          `INSERT INTO messages (agency_id, id, brand_id, channel_id, conversation_id, direction, external_id, body,
                                 status, platform_created_at)
           SELECT agency_id, $2::uuid, brand_id, channel_id, id, $3, 'x-' || $2, 'm', $4, $5 FROM conversations WHERE id = $1`,
          [c.id, randomUUID(), direction, direction === 'OUTBOUND' ? 'SENT' : 'RECEIVED', at],
        );
      }
      return c;
    };
    const since = async (id: string) => (await row(id)).awaiting_reply_since as Date | null;

    it('resolving ends the wait (out of LONGEST_WAITING); reopening waits from the first unanswered message', async () => {
      const c = await conversationWithHistory();
      const other = await conversationWithHistory();
      expect(await waiting()).toEqual(expect.arrayContaining([c.id, other.id]));

      await agent.client.ok(BULK_RESOLVE, { input: { conversationIds: [c.id] } });
      expect(await since(c.id)).toBeNull();
      expect(await waiting()).not.toContain(c.id);
      expect(await waiting()).toContain(other.id);

      const { setConversationStatus } = await agent.client.ok(STATUS, {
        input: { conversationId: c.id, status: 'OPEN' },
      });
      expect(
        Math.abs(new Date(setConversationStatus.awaitingReplySince).getTime() - ago(60).getTime()),
      ).toBeLessThan(5_000);
      expect(await waiting()).toContain(c.id);
    });

    it('a failed reply answers nothing: reopening waits from the customer message before it', async () => {
      const c = await conversationWithHistory();
      await t.ownerQuery(
        `UPDATE messages SET status = 'FAILED' WHERE conversation_id = $1 AND direction = 'OUTBOUND'`,
        [c.id],
      );
      await agent.client.ok(STATUS, { input: { conversationId: c.id, status: 'RESOLVED' } });
      await agent.client.ok(STATUS, { input: { conversationId: c.id, status: 'OPEN' } });
      expect(Math.abs((await since(c.id))!.getTime() - ago(180).getTime())).toBeLessThan(5_000);
    });

    it('clearNoReplyNeeded waits from the first unanswered customer message, not the last', async () => {
      const c = await conversationWithHistory();
      await agent.client.ok(NO_REPLY, { input: { conversationId: c.id, reason: 'OTHER' } });
      expect(await since(c.id)).toBeNull();
      await agent.client.ok(CLEAR_NO_REPLY, { id: c.id });
      expect(Math.abs((await since(c.id))!.getTime() - ago(60).getTime())).toBeLessThan(5_000);
    });

    it('the customer\'s next message clears "no reply needed" and waits; a late older one does not', async () => {
      const { threading, ctx, target } = ingestInto(a);
      const customerId = `thanker-${randomUUID()}`;
      const first = await threading.applyMessage(ctx, target, message({ customerId, body: 'Thanks!' }));
      if (first.kind !== 'inserted') throw new Error('not inserted');
      await agent.client.ok(NO_REPLY, { input: { conversationId: first.conversationId, reason: 'THANKS' } });

      // Delivered late, written before the mark: the agent's decision covered it.
      await threading.applyMessage(ctx, target, message({ customerId, body: 'Bye', occurredAt: ago(5) }));
      expect(await row(first.conversationId)).toMatchObject({
        no_reply_needed_reason: 'THANKS',
        awaiting_reply_since: null,
      });

      const followUp = new Date(Date.now() + 1000);
      await threading.applyMessage(
        ctx,
        target,
        message({ customerId, body: 'Actually, one more question', occurredAt: followUp }),
      );
      const after = await row(first.conversationId);
      expect(after).toMatchObject({ no_reply_needed_reason: null, no_reply_needed_at: null });
      expect(after.awaiting_reply_since.getTime()).toBe(followUp.getTime());
    });
  });

  it('a tag created by another transaction at the same moment is still attached (no silent skip)', async () => {
    const c = await seedConv(t, a);
    const other = new Client({ connectionString: t.ownerUrl });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query(`INSERT INTO tags (agency_id, id, brand_id, name) VALUES ($1, $2, $3, 'Racing')`, [
        a.owner.agencyId,
        randomUUID(),
        a.brands[0].id,
      ]);
      // Our INSERT … ON CONFLICT waits for that transaction's row lock.
      const adding = agent.client.ok(ADD_TAGS, {
        input: { conversationId: c.id, tags: ['racing', 'Fresh'] },
      });
      await eventually(async () => {
        const [w] = await t.ownerQuery(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%INSERT INTO tags%'`,
        );
        return w.n > 0 ? true : undefined;
      }, 10_000);
      await other.query('COMMIT');
      const { addConversationTags } = await adding;
      expect(addConversationTags.tags.map((x: any) => x.name).sort()).toEqual(['Fresh', 'Racing']);
    } finally {
      await other.end();
    }
  });

  describe('addNote', () => {
    it('stores the note and mails mentioned members who can see the brand, only them', async () => {
      const c = await seedConv(t, a);
      const agentHandle = agent.email.split('@')[0];
      const limitedHandle = limited.email.split('@')[0];
      const { addNote } = await a.owner.client.ok(ADD_NOTE, {
        input: { conversationId: c.id, body: `@${agentHandle} can you check? cc @${limitedHandle} @nobody` },
      });
      expect(addNote).toMatchObject({ author: { id: a.owner.userId }, mentions: [{ id: agent.userId }] });
      const mail = await smtp.waitFor((x) => x.to.includes(agent.email));
      expect(mail.subject).toMatch(/mentioned you/);
      expect(mail.text).toContain(`http://app.caredesk.test/inbox/conversations/${c.id}`);
      await new Promise((r) => setTimeout(r, 500));
      expect(smtp.messages.some((x) => x.to.includes(limited.email))).toBe(false);

      const { conversation } = await agent.client.ok(CONVERSATION, { id: c.id });
      expect(conversation.notes).toEqual([
        expect.objectContaining({ id: addNote.id, mentions: [{ id: agent.userId, email: agent.email }] }),
      ]);
    });

    it('an empty note → BAD_USER_INPUT, nothing written', async () => {
      const c = await seedConv(t, a);
      expect(await agent.client.code(ADD_NOTE, { input: { conversationId: c.id, body: '   ' } })).toBe(
        'BAD_USER_INPUT',
      );
      expect(await t.count('notes WHERE conversation_id = $1', [c.id])).toBe(0);
    });
  });

  describe('bulk', () => {
    it('bulkAssign, bulkResolve and bulkTag change every conversation named, across brands', async () => {
      const cs = [await seedConv(t, a), await seedConv(t, a, { brand: 1 }), await seedConv(t, a)];
      const ids = cs.map((c) => c.id);
      const assigned = await a.owner.client.ok(BULK_ASSIGN, {
        input: { conversationIds: ids, userId: agent.userId },
      });
      expect(assigned.bulkAssign.map((n: any) => n.assignee.id)).toEqual([
        agent.userId,
        agent.userId,
        agent.userId,
      ]);
      const tagged = await a.owner.client.ok(BULK_TAG, {
        input: { conversationIds: ids, tags: ['Campaign'] },
      });
      expect(tagged.bulkTag.map((n: any) => n.tags[0].brandId)).toEqual([
        a.brands[0].id,
        a.brands[1].id,
        a.brands[0].id,
      ]);
      const resolved = await a.owner.client.ok(BULK_RESOLVE, { input: { conversationIds: ids } });
      expect(resolved.bulkResolve.map((n: any) => n.status)).toEqual(['RESOLVED', 'RESOLVED', 'RESOLVED']);
    });

    it('one id of another agency → NOT_FOUND and nothing changes (all-or-nothing)', async () => {
      const mine = await seedConv(t, a);
      const theirs = await seedConv(t, b);
      const ids = [mine.id, theirs.id];
      expect(await a.owner.client.code(BULK_RESOLVE, { input: { conversationIds: ids } })).toBe('NOT_FOUND');
      expect(await a.owner.client.code(BULK_TAG, { input: { conversationIds: ids, tags: ['x'] } })).toBe(
        'NOT_FOUND',
      );
      expect(
        await a.owner.client.code(BULK_ASSIGN, { input: { conversationIds: ids, userId: agent.userId } }),
      ).toBe('NOT_FOUND');
      expect(await row(mine.id)).toMatchObject({ status: 'OPEN', assignee_user_id: null });
      expect(await t.count('conversation_tags WHERE conversation_id = $1', [mine.id])).toBe(0);
    });

    it("chosen as a deadlock's victim, a bulk action runs again and succeeds (audited once)", async () => {
      const [lo, hi] = [await seedConv(t, a), await seedConv(t, a)].map((c) => c.id).sort();
      // Another transaction (ingest folding conversations does this) holds the higher id and then
      // wants the lower one, which the bulk action locked first (it locks in id order).
      const other = new Client({ connectionString: t.ownerUrl });
      await other.connect();
      try {
        await other.query('BEGIN');
        await other.query(`SELECT set_config('app.agency_id', $1, true)`, [a.owner.agencyId]);
        const held = await other.query(`SELECT 1 FROM conversations WHERE id = $1 FOR UPDATE`, [hi]);
        expect(held.rowCount).toBe(1);
        const bulk = a.owner.client.request(BULK_RESOLVE, { input: { conversationIds: [lo, hi] } });
        await eventually(async () => {
          const waiting = await t.ownerQuery(
            `SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%FROM conversations%FOR UPDATE%'`,
          );
          return waiting.length === 1 ? true : undefined;
        });
        // The bulk action waited first, so its deadlock check (deadlock_timeout, 1 s) finds the cycle.
        await other.query(`SELECT 1 FROM conversations WHERE id = $1 FOR UPDATE`, [lo]);
        await other.query('COMMIT');
        const r = await bulk;
        expect(r.errors).toBeUndefined();
        expect(r.data.bulkResolve.map((n: any) => n.status)).toEqual(['RESOLVED', 'RESOLVED']);
      } finally {
        await other.end();
      }
      expect(await row(lo)).toMatchObject({ status: 'RESOLVED' });
      const audits = await t.ownerQuery(
        `SELECT 1 FROM audit_events WHERE action = 'conversation.status' AND changes->'conversationIds' ? $1`,
        [lo],
      );
      expect(audits).toHaveLength(1);
    });

    it('more than 500 ids, or none → BAD_USER_INPUT', async () => {
      const ids = Array.from({ length: 501 }, () => randomUUID());
      expect(await a.owner.client.code(BULK_RESOLVE, { input: { conversationIds: ids } })).toBe(
        'BAD_USER_INPUT',
      );
      expect(await a.owner.client.code(BULK_RESOLVE, { input: { conversationIds: [] } })).toBe(
        'BAD_USER_INPUT',
      );
    });
  });

  describe('conversation(id)', () => {
    it('takes the same number of SQL statements however many messages, notes and earlier conversations', async () => {
      const bare = await seedConv(t, a);
      const earlier = await seedConv(t, a, { status: 'RESOLVED', at: new Date(Date.now() - 86400e3) });
      await seedConv(t, a, {
        contactId: earlier.contactId,
        status: 'RESOLVED',
        at: new Date(Date.now() - 2 * 86400e3),
      });
      const busy = await seedConv(t, a, { contactId: earlier.contactId });
      for (let i = 0; i < 20; i++) {
        await t.ownerQuery(
          `INSERT INTO messages (agency_id, id, brand_id, channel_id, conversation_id, direction, body, created_at)
           VALUES ($1, $2, $3, $4, $5, 'OUTBOUND', $6, now() + make_interval(secs => $7))`,
          [
            a.owner.agencyId,
            randomUUID(),
            a.brands[0].id,
            a.brands[0].channelId,
            busy.id,
            `reply ${i}`,
            i + 1,
          ],
        );
      }
      for (let i = 0; i < 3; i++) {
        await a.owner.client.ok(ADD_NOTE, {
          input: { conversationId: busy.id, body: `note ${i} @${agent.email.split('@')[0]}` },
        });
      }
      const counter = statementCounter();
      try {
        const few = await counter.measure(() => a.owner.client.ok(CONVERSATION, { id: bare.id, first: 25 }));
        const many = await counter.measure(() => a.owner.client.ok(CONVERSATION, { id: busy.id, first: 25 }));
        expect(many.result.conversation.messages.edges).toHaveLength(21);
        expect(many.result.conversation.notes).toHaveLength(3);
        expect(many.result.conversation.earlierConversations).toHaveLength(2);
        expect(few.result.conversation.messages.edges).toHaveLength(1);
        expect(many.all.length).toBe(few.all.length);
        expect(many.data.length).toBe(few.data.length);
      } finally {
        counter.restore();
      }
    });

    it('messages newest first with cursor paging, contact identities and earlier conversations', async () => {
      const first = await seedConv(t, a, { status: 'RESOLVED', at: new Date(Date.now() - 86400e3) });
      const c = await seedConv(t, a, { contactId: first.contactId });
      for (let i = 0; i < 4; i++) {
        await t.ownerQuery(
          `INSERT INTO messages (agency_id, id, brand_id, channel_id, conversation_id, direction, body, created_at)
           VALUES ($1, $2, $3, $4, $5, 'OUTBOUND', $6, now() + make_interval(secs => $7))`,
          [a.owner.agencyId, randomUUID(), a.brands[0].id, a.brands[0].channelId, c.id, `reply ${i}`, i + 1],
        );
      }
      const page1 = (await agent.client.ok(CONVERSATION, { id: c.id, first: 3 })).conversation;
      expect(page1.messages.edges.map((e: any) => e.node.body)).toEqual(['reply 3', 'reply 2', 'reply 1']);
      expect(page1.messages.pageInfo.hasNextPage).toBe(true);
      const page2 = (
        await agent.client.ok(CONVERSATION, { id: c.id, first: 3, after: page1.messages.pageInfo.endCursor })
      ).conversation;
      expect(page2.messages.edges.map((e: any) => e.node.body)).toEqual(['reply 0', 'Where is my order?']);
      expect(page2.messages.pageInfo.hasNextPage).toBe(false);
      expect(page1.contact.identities).toHaveLength(1);
      expect(page1.earlierConversations).toEqual([{ id: first.id, status: 'RESOLVED' }]);
    });
  });

  it('publishes "conversation changed" on the agency live channel after commit', async () => {
    const c = await seedConv(t, a);
    const prefix = t.app.get<AppConfig>(APP_CONFIG).redis.queuePrefix;
    const sub = new Redis(t.app.get<AppConfig>(APP_CONFIG).redis.url);
    const events: any[] = [];
    try {
      await sub.subscribe(agencyChannel(prefix, a.owner.agencyId));
      sub.on('message', (_ch, msg) => events.push(JSON.parse(msg)));
      await agent.client.ok(PRIORITY, { input: { conversationId: c.id, priority: 'HIGH' } });
      const e = await eventually(async () => events.find((x) => x.conversationId === c.id), 5000);
      expect(e).toEqual({
        kind: 'CONVERSATION_CHANGED',
        brandId: a.brands[0].id,
        conversationId: c.id,
        change: 'PRIORITY',
      });
    } finally {
      sub.disconnect();
    }
  });

  describe('teams', () => {
    it('createTeam is ADMIN+ and names are unique case-insensitively; teams lists them', async () => {
      const { createTeam } = await a.owner.client.ok(CREATE_TEAM, { input: { name: 'Nordics' } });
      expect(createTeam.name).toBe('Nordics');
      expect(await a.owner.client.code(CREATE_TEAM, { input: { name: 'NORDICS' } })).toBe('CONFLICT');
      expect(await agent.client.code(CREATE_TEAM, { input: { name: 'Agents' } })).toBe('FORBIDDEN');
      expect((await agent.client.ok(TEAMS)).teams).toEqual([createTeam]);
      expect((await b.owner.client.ok(TEAMS)).teams).toEqual([]);
    });

    it('setConversationTeam hands a conversation to a team (the team filter finds it) and back to none', async () => {
      const { createTeam: team } = await a.owner.client.ok(CREATE_TEAM, { input: { name: 'Escalations' } });
      const c = await seedConv(t, a);
      const { setConversationTeam } = await agent.client.ok(SET_TEAM, {
        input: { conversationId: c.id, teamId: team.id },
      });
      expect(setConversationTeam.team).toEqual({ id: team.id, name: 'Escalations' });
      const found = await agent.client.ok(BY_TEAM, { teamIds: [team.id] });
      expect(found.conversations.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([c.id]);

      // A team of another agency is no team here: BAD_USER_INPUT, and nothing changes.
      const { createTeam: foreign } = await b.owner.client.ok(CREATE_TEAM, { input: { name: 'Elsewhere' } });
      expect(await agent.client.code(SET_TEAM, { input: { conversationId: c.id, teamId: foreign.id } })).toBe(
        'BAD_USER_INPUT',
      );
      const cleared = await agent.client.ok(SET_TEAM, { input: { conversationId: c.id, teamId: null } });
      expect(cleared.setConversationTeam.team).toBeNull();
      expect((await agent.client.ok(BY_TEAM, { teamIds: [team.id] })).conversations.edges).toEqual([]);
    });
  });

  /**
   * Every id-taking operation: a conversation of another agency, and one of a brand outside a
   * limited agent's scope, both answer NOT_FOUND and change nothing.
   */
  const idOperations: Array<[string, string, (id: string) => Record<string, unknown>]> = [
    [crossTenant('conversation'), CONVERSATION, (id) => ({ id })],
    [crossTenant('assignConversation'), ASSIGN, (id) => ({ input: { conversationId: id, userId: null } })],
    [crossTenant('setConversationTeam'), SET_TEAM, (id) => ({ input: { conversationId: id, teamId: null } })],
    [
      crossTenant('setConversationStatus'),
      STATUS,
      (id) => ({ input: { conversationId: id, status: 'RESOLVED' } }),
    ],
    [
      crossTenant('setConversationPriority'),
      PRIORITY,
      (id) => ({ input: { conversationId: id, priority: 'LOW' } }),
    ],
    [
      crossTenant('addConversationTags'),
      ADD_TAGS,
      (id) => ({ input: { conversationId: id, tags: ['leak'] } }),
    ],
    [
      crossTenant('removeConversationTags'),
      REMOVE_TAGS,
      (id) => ({ input: { conversationId: id, tags: ['seed'] } }),
    ],
    [crossTenant('markNoReplyNeeded'), NO_REPLY, (id) => ({ input: { conversationId: id, reason: 'SPAM' } })],
    [crossTenant('clearNoReplyNeeded'), CLEAR_NO_REPLY, (id) => ({ id })],
    [crossTenant('addNote'), ADD_NOTE, (id) => ({ input: { conversationId: id, body: 'sneaky' } })],
    [crossTenant('bulkAssign'), BULK_ASSIGN, (id) => ({ input: { conversationIds: [id], userId: null } })],
    [crossTenant('bulkResolve'), BULK_RESOLVE, (id) => ({ input: { conversationIds: [id] } })],
    [crossTenant('bulkTag'), BULK_TAG, (id) => ({ input: { conversationIds: [id], tags: ['leak'] } })],
  ];
  for (const [title, op, vars] of idOperations) {
    describe(title, () => {
      it('another agency → NOT_FOUND; a brand outside the caller scope → NOT_FOUND; nothing changes', async () => {
        const theirs = await seedConv(t, b, { priority: 'HIGH' });
        const outOfScope = await seedConv(t, a, { brand: 0, priority: 'HIGH' });
        expect(await a.owner.client.code(op, vars(theirs.id))).toBe('NOT_FOUND');
        expect(await limited.client.code(op, vars(outOfScope.id))).toBe('NOT_FOUND');
        expect(await a.owner.client.code(op, vars(randomUUID()))).toBe('NOT_FOUND');
        for (const id of [theirs.id, outOfScope.id]) {
          expect(await row(id)).toMatchObject({
            status: 'OPEN',
            priority: 'HIGH',
            no_reply_needed_reason: null,
          });
          expect(await t.count('notes WHERE conversation_id = $1', [id])).toBe(0);
          expect(await t.count('conversation_tags WHERE conversation_id = $1', [id])).toBe(0);
        }
      });
    });
  }
});

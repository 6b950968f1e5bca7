import { DISCONNECT, insertBrand } from '../channels/channel-helpers';
import { crossTenant } from '../support/cross-tenant';
import { createMember } from '../support/members';
import {
  MODERATE,
  OutboundStack,
  REPLY,
  reply,
  seedAgency,
  seedConversation,
  Seeded,
  startOutboundStack,
  waitFor,
  waitForFinalStatus,
  withNewCustomer,
} from './outbound-support';

/** replyToConversation and moderateMessage through GraphQL: routing, validation, access. */
describe('replies and moderation', () => {
  let s: OutboundStack;
  let a: Seeded;
  let b: Seeded;

  beforeAll(async () => {
    s = await startOutboundStack();
    a = await seedAgency(s.t);
    b = await seedAgency(s.t);
  });
  afterAll(() => s?.close());

  const written = async () => ({
    messages: await s.t.count('messages'),
    outbound: await s.t.count('outbound_messages'),
    conversations: await s.t.count('conversations'),
  });

  describe('PRIVATE on a public comment', () => {
    it("sends the platform's private reply to the author and links the DM conversation both ways", async () => {
      const c = await seedConversation(s.t, a, 'COMMENT');
      const queued = await reply(a.agency.client, c.conversationId, 'We sent you a DM', 'PRIVATE');
      expect(queued).toMatchObject({
        visibility: 'PRIVATE',
        status: 'QUEUED',
        conversationId: c.conversationId,
      });
      expect((await waitForFinalStatus(s.t, queued.id)).status).toBe('SENT');
      const post = s.fake.posts(/\/messages$/).find((r) => r.body.text === 'We sent you a DM')!;
      expect(post.body).toMatchObject({
        action: 'PRIVATE_REPLY',
        target: c.externalId,
        recipient_id: a.authorId,
      });

      const [pub] = await s.t.ownerQuery(`SELECT * FROM conversations WHERE id = $1`, [c.conversationId]);
      const [dm] = await s.t.ownerQuery(`SELECT * FROM conversations WHERE id = $1`, [
        pub.linked_conversation_id,
      ]);
      expect(dm).toMatchObject({
        kind: 'DM',
        thread_key: `dm:${a.authorId}`,
        contact_id: a.contactId,
        channel_id: a.channelId,
        linked_conversation_id: c.conversationId,
      });
    });

    it("links to the author's existing open DM conversation instead of opening another", async () => {
      const carl = await withNewCustomer(s.t, a);
      const dm = await seedConversation(s.t, carl, 'DM');
      const c = await seedConversation(s.t, carl, 'COMMENT');
      await reply(a.agency.client, c.conversationId, 'Check your inbox', 'PRIVATE');
      const [pub] = await s.t.ownerQuery(`SELECT linked_conversation_id FROM conversations WHERE id = $1`, [
        c.conversationId,
      ]);
      expect(pub.linked_conversation_id).toBe(dm.conversationId);
      const [back] = await s.t.ownerQuery(`SELECT linked_conversation_id FROM conversations WHERE id = $1`, [
        dm.conversationId,
      ]);
      expect(back.linked_conversation_id).toBe(c.conversationId);
    });

    it('PRIVATE on a review is refused with BAD_USER_INPUT and nothing is written', async () => {
      const c = await seedConversation(s.t, a, 'REVIEW');
      const before = await written();
      const r = await a.agency.client.request(REPLY, {
        input: { conversationId: c.conversationId, body: 'Hi', visibility: 'PRIVATE' },
      });
      expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'visibility' });
      expect(await written()).toEqual(before);
    });
  });

  describe('PRIVATE where the platform has no private reply', () => {
    it.each(['LINKEDIN', 'TIKTOK'])(
      'PRIVATE on a %s comment → BAD_USER_INPUT before anything is written (no DM conversation, no send)',
      async (platform) => {
        const p = await seedAgency(s.t, platform);
        const c = await seedConversation(s.t, p, 'COMMENT');
        const before = await written();
        const r = await p.agency.client.request(REPLY, {
          input: { conversationId: c.conversationId, body: 'We sent you a DM', visibility: 'PRIVATE' },
        });
        expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'visibility' });
        expect(await written()).toEqual(before);
        const [pub] = await s.t.ownerQuery(`SELECT linked_conversation_id FROM conversations WHERE id = $1`, [
          c.conversationId,
        ]);
        expect(pub.linked_conversation_id).toBeNull();
      },
    );
  });

  describe('visibility of a reply that can only be private', () => {
    it.each(['DM', 'EMAIL'] as const)('a %s answered without visibility is stored PRIVATE', async (kind) => {
      const c = await seedConversation(s.t, await withNewCustomer(s.t, a), kind);
      const queued = await reply(a.agency.client, c.conversationId, 'Happy to help');
      expect(queued.visibility).toBe('PRIVATE');
      const [row] = await s.t.ownerQuery(`SELECT visibility FROM messages WHERE id = $1`, [queued.id]);
      expect(row.visibility).toBe('PRIVATE');
    });

    it('a public comment answered without visibility stays PUBLIC', async () => {
      const c = await seedConversation(s.t, a, 'COMMENT');
      expect((await reply(a.agency.client, c.conversationId, 'Thanks!')).visibility).toBe('PUBLIC');
    });
  });

  describe('a disconnected channel', () => {
    it('replying → BAD_USER_INPUT, nothing written; moderating → BAD_USER_INPUT', async () => {
      const d = await seedAgency(s.t);
      const c = await seedConversation(s.t, d, 'COMMENT');
      await d.agency.client.ok(DISCONNECT, { id: d.channelId });
      const before = await written();
      const r = await d.agency.client.request(REPLY, {
        input: { conversationId: c.conversationId, body: 'Hello?' },
      });
      expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'conversationId' });
      expect(r.errors?.[0].message).toMatch(/disconnected/);
      const m = await d.agency.client.request(MODERATE, {
        input: { messageId: c.messageId, action: 'HIDE' },
      });
      expect(m.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'messageId' });
      expect(m.errors?.[0].message).toBe('The channel Acme on Facebook is disconnected; reconnect it first');
      expect(await written()).toEqual(before);
    });
  });

  describe('input validation', () => {
    it.each([
      ['an empty body', ''],
      ['a blank body', '   \n '],
      ['a 1 MB body', 'x'.repeat(1024 * 1024)],
    ])('%s → BAD_USER_INPUT, nothing written', async (_what, body) => {
      const c = await seedConversation(s.t, a, 'COMMENT');
      const before = await written();
      expect(await a.agency.client.code(REPLY, { input: { conversationId: c.conversationId, body } })).toBe(
        'BAD_USER_INPUT',
      );
      expect(await written()).toEqual(before);
    });

    it('a CLIENT_VIEWER may not reply (FORBIDDEN)', async () => {
      const viewer = await createMember(s.t, a.agency.agencyId, 'CLIENT_VIEWER');
      const c = await seedConversation(s.t, a, 'COMMENT');
      expect(
        await viewer.client.code(REPLY, { input: { conversationId: c.conversationId, body: 'Hi' } }),
      ).toBe('FORBIDDEN');
    });
  });

  describe(crossTenant('replyToConversation'), () => {
    it("another agency's conversation → NOT_FOUND, nothing written", async () => {
      const c = await seedConversation(s.t, b, 'COMMENT');
      const before = await written();
      expect(
        await a.agency.client.code(REPLY, { input: { conversationId: c.conversationId, body: 'Hi' } }),
      ).toBe('NOT_FOUND');
      expect(await written()).toEqual(before);
    });

    it('an agent scoped to another brand → NOT_FOUND, nothing written', async () => {
      const otherBrand = await insertBrand(s.t, a.agency.agencyId, 'Other');
      const agent = await createMember(s.t, a.agency.agencyId, 'AGENT', [otherBrand]);
      const c = await seedConversation(s.t, a, 'COMMENT');
      const before = await written();
      expect(
        await agent.client.code(REPLY, { input: { conversationId: c.conversationId, body: 'Hi' } }),
      ).toBe('NOT_FOUND');
      expect(await written()).toEqual(before);
    });
  });

  describe('moderateMessage', () => {
    it('hides a Facebook comment on the platform, records hidden_at once sent, and audits it', async () => {
      const manager = await createMember(s.t, a.agency.agencyId, 'MANAGER');
      const c = await seedConversation(s.t, a, 'COMMENT');
      const { moderateMessage } = await manager.client.ok(MODERATE, {
        input: { messageId: c.messageId, action: 'HIDE' },
      });
      expect(moderateMessage).toMatchObject({ id: c.messageId, hiddenAt: null });
      const hidden = await waitFor('hidden_at', async () => {
        const [m] = await s.t.ownerQuery(`SELECT hidden_at FROM messages WHERE id = $1`, [c.messageId]);
        return m.hidden_at;
      });
      expect(hidden).toBeInstanceOf(Date);
      const post = s.fake.posts(/\/moderation$/).find((r) => r.path === `/v1/${c.externalId}/moderation`)!;
      expect(post.body).toEqual({ action: 'HIDE' });
      const [audit] = await s.t.ownerQuery(
        `SELECT * FROM audit_events WHERE agency_id = $1 AND action = 'message.moderate' AND entity_id = $2`,
        [a.agency.agencyId, c.messageId],
      );
      expect(audit.changes).toEqual({ action: 'HIDE' });

      await manager.client.ok(MODERATE, { input: { messageId: c.messageId, action: 'UNHIDE' } });
      await waitFor('hidden_at cleared', async () => {
        const [m] = await s.t.ownerQuery(`SELECT hidden_at FROM messages WHERE id = $1`, [c.messageId]);
        return m.hidden_at === null;
      });

      await manager.client.ok(MODERATE, { input: { messageId: c.messageId, action: 'DELETE' } });
      await waitFor('deleted_at', async () => {
        const [m] = await s.t.ownerQuery(`SELECT deleted_at FROM messages WHERE id = $1`, [c.messageId]);
        return m.deleted_at;
      });
    });

    it('an agent may not moderate (FORBIDDEN)', async () => {
      const agent = await createMember(s.t, a.agency.agencyId, 'AGENT');
      const c = await seedConversation(s.t, a, 'COMMENT');
      expect(await agent.client.code(MODERATE, { input: { messageId: c.messageId, action: 'HIDE' } })).toBe(
        'FORBIDDEN',
      );
    });

    it('a DM, or a comment on another platform, → BAD_USER_INPUT, nothing written', async () => {
      const dm = await seedConversation(s.t, await withNewCustomer(s.t, a), 'DM');
      const x = await seedAgency(s.t, 'X');
      const xComment = await seedConversation(s.t, x, 'COMMENT');
      const before = await written();
      for (const [client, messageId] of [
        [a.agency.client, dm.messageId],
        [x.agency.client, xComment.messageId],
      ] as const) {
        const r = await client.request(MODERATE, { input: { messageId, action: 'HIDE' } });
        expect(r.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
        expect(r.errors?.[0].message).toMatch(/not supported on this platform/);
      }
      expect(await written()).toEqual(before);
    });
  });

  describe(crossTenant('moderateMessage'), () => {
    it("another agency's message → NOT_FOUND, nothing written", async () => {
      const c = await seedConversation(s.t, b, 'COMMENT');
      const before = await written();
      expect(
        await a.agency.client.code(MODERATE, { input: { messageId: c.messageId, action: 'HIDE' } }),
      ).toBe('NOT_FOUND');
      expect(await written()).toEqual(before);
    });

    it('a manager scoped to another brand → NOT_FOUND, nothing written', async () => {
      const otherBrand = await insertBrand(s.t, a.agency.agencyId, 'Other');
      const manager = await createMember(s.t, a.agency.agencyId, 'MANAGER', [otherBrand]);
      const c = await seedConversation(s.t, a, 'COMMENT');
      const before = await written();
      expect(
        await manager.client.code(MODERATE, { input: { messageId: c.messageId, action: 'DELETE' } }),
      ).toBe('NOT_FOUND');
      expect(await written()).toEqual(before);
    });
  });
});

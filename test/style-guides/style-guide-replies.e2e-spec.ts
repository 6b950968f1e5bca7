import { seedAgency, seedConversation, Seeded, withNewCustomer } from '../outbound/outbound-support';
import { insertBrand } from '../channels/channel-helpers';
import { crossTenant } from '../support/cross-tenant';
import { createMember, Member } from '../support/members';
import { startTestApp, TestApp } from '../support/test-app';
import { CHECK, REPLY, saveRules } from './style-guide-support';

const RULES = {
  neverPromise: [{ phrase: 'full refund' }, { phrase: 'hoàn tiền', languages: ['vi'] }],
  bannedPhrases: [{ phrase: 'cheap', replacement: 'affordable', severity: 'WARN' }],
  greeting: { templates: [{ template: 'Hi {{contact.firstName}},' }] },
  customerNameInDirectMessages: { required: true },
  maxLength: [
    { platform: 'FACEBOOK_PAGE', max: 500 },
    { platform: 'FACEBOOK_PAGE', scope: 'PRIVATE', max: 500 },
  ],
};

/** checkReply and the style guide check inside replyToConversation. */
describe('style guide check on replies', () => {
  let t: TestApp;
  let a: Seeded;
  let b: Seeded;
  let manager: Member;
  let agent: Member;
  let viewer: Member;
  let versionId: string;

  beforeAll(async () => {
    t = await startTestApp();
    a = await seedAgency(t);
    b = await seedAgency(t);
    manager = await createMember(t, a.agency.agencyId, 'MANAGER');
    agent = await createMember(t, a.agency.agencyId, 'AGENT');
    viewer = await createMember(t, a.agency.agencyId, 'CLIENT_VIEWER', [a.brandId]);
    versionId = (await saveRules(manager.client, a.brandId, RULES)).id;
  });
  afterAll(() => t?.close());

  const written = async () => ({
    messages: await t.count('messages'),
    outbound: await t.count('outbound_messages'),
    audits: await t.count(`audit_events WHERE action = 'reply.style_guide_override'`),
  });

  describe('checkReply', () => {
    it('by brand: violations with spans, score and version; any role that sees the brand', async () => {
      const body = 'Hello! A cheap fix and a full refund.';
      const { checkReply } = await viewer.client.ok(CHECK, {
        input: { brandId: a.brandId, body, language: 'en' },
      });
      expect(checkReply).toMatchObject({ blocked: true, versionId, score: 100 - 25 - 10 - 10 });
      expect(checkReply.violations.map((v: any) => [v.rule, v.severity, body.slice(v.start, v.end)])).toEqual(
        [
          ['GREETING', 'WARN', body],
          ['BANNED_PHRASE', 'WARN', 'cheap'],
          ['NEVER_PROMISE', 'BLOCK', 'full refund'],
        ],
      );
      expect(checkReply.violations[1].suggestion).toBe('Write "affordable" instead');
    });

    it('by brand with platform, kind and language: X length by kind, Vietnamese never-promise', async () => {
      // Typed on a Vietnamese Windows keyboard: precomposed "Ê" and a separate tone mark.
      const body = 'Hi Lan, chúng tôi sẽ HOÀN TI\u00CA\u0300N. ' + 'x'.repeat(300);
      const check = async (kind: string) =>
        (
          await agent.client.ok(CHECK, {
            input: { brandId: a.brandId, body, language: 'vi', platform: 'X', kind, contactName: 'Lan Pham' },
          })
        ).checkReply;
      const reply = await check('COMMENT');
      expect(reply.violations.map((v: any) => v.rule)).toEqual(['NEVER_PROMISE', 'MAX_LENGTH']);
      expect(body.slice(reply.violations[0].start, reply.violations[0].end)).toBe('HOÀN TI\u00CA\u0300N');
      // An X DM may be 10,000 characters.
      expect((await check('DM')).violations.map((v: any) => v.rule)).toEqual(['NEVER_PROMISE']);
    });

    it("by conversation: the conversation's platform, kind and contact name apply", async () => {
      const dm = await seedConversation(t, a, 'DM');
      const check = async (body: string) =>
        (await agent.client.ok(CHECK, { input: { conversationId: dm.conversationId, body } })).checkReply;
      // Contact "Carla Customer": "Hi Carla," satisfies both the greeting and the name rule.
      expect(await check('Hi Carla, on it.')).toEqual({
        blocked: false,
        score: 100,
        versionId,
        violations: [],
      });
      const r = await check('Hi there, on it.');
      expect(r.violations.map((v: any) => v.rule)).toEqual(['CUSTOMER_NAME']);
      const long = await check(`Hi Carla, ${'x'.repeat(600)}`);
      expect(long.violations.map((v: any) => [v.rule, v.severity])).toEqual([['MAX_LENGTH', 'BLOCK']]);
    });

    it('needs exactly one of conversationId and brandId', async () => {
      const c = await seedConversation(t, a, 'COMMENT');
      for (const input of [
        { body: 'Hi' },
        { body: 'Hi', brandId: a.brandId, conversationId: c.conversationId },
      ]) {
        const r = await agent.client.request(CHECK, { input });
        expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'conversationId' });
      }
    });

    it('a brand without a style guide: no violations, no version', async () => {
      const brand = await insertBrand(t, a.agency.agencyId);
      const { checkReply } = await agent.client.ok(CHECK, {
        input: { brandId: brand, body: 'cheap full refund!!! 😀😀😀', platform: 'X' },
      });
      expect(checkReply).toEqual({ blocked: false, score: 100, versionId: null, violations: [] });
    });
  });

  describe('replyToConversation', () => {
    it('a BLOCK violation rejects the reply with STYLE_GUIDE_VIOLATION and its violations; nothing written', async () => {
      const c = await seedConversation(t, a, 'COMMENT');
      const before = await written();
      const body = 'Hi Carla, you get a full refund.';
      const r = await agent.client.request(REPLY, { input: { conversationId: c.conversationId, body } });
      expect(r.errors?.[0].extensions).toMatchObject({
        code: 'STYLE_GUIDE_VIOLATION',
        styleGuideVersionId: versionId,
        violations: [
          {
            rule: 'NEVER_PROMISE',
            severity: 'BLOCK',
            start: body.indexOf('full refund'),
            end: body.indexOf('full refund') + 'full refund'.length,
            message: expect.any(String),
            suggestion: expect.any(String),
          },
        ],
      });
      expect(await written()).toEqual(before);
    });

    it('WARN never blocks; the message records the version it was checked against', async () => {
      const c = await seedConversation(t, a, 'COMMENT');
      const { replyToConversation } = await agent.client.ok(REPLY, {
        input: { conversationId: c.conversationId, body: 'Hello, a cheap fix is on its way.' },
      });
      expect(replyToConversation.styleGuideVersionId).toBe(versionId);
      const [row] = await t.ownerQuery(`SELECT style_guide_version_id FROM messages WHERE id = $1`, [
        replyToConversation.id,
      ]);
      expect(row.style_guide_version_id).toBe(versionId);
      // And when the inbox reads the conversation back: its messages and its last message.
      const { conversation } = await agent.client.ok(
        `query ($id: ID!) { conversation(id: $id) {
            lastMessage { id styleGuideVersionId } messages(first: 5) { edges { node { id styleGuideVersionId } } } } }`,
        { id: c.conversationId },
      );
      expect(conversation.lastMessage).toEqual({
        id: replyToConversation.id,
        styleGuideVersionId: versionId,
      });
      expect(conversation.messages.edges.map((e: { node: unknown }) => e.node)).toContainEqual({
        id: replyToConversation.id,
        styleGuideVersionId: versionId,
      });
    });

    it('a MANAGER overrides a BLOCK with a reason: sent, and audited with the reason and violations', async () => {
      const c = await seedConversation(t, a, 'COMMENT');
      const { replyToConversation } = await manager.client.ok(REPLY, {
        input: {
          conversationId: c.conversationId,
          body: 'Hi Carla, you get a full refund.',
          styleGuideOverride: { reason: 'Approved by the client, ticket 4711' },
        },
      });
      expect(replyToConversation).toMatchObject({ status: 'QUEUED', styleGuideVersionId: versionId });
      const [audit] = await t.ownerQuery(
        `SELECT * FROM audit_events WHERE action = 'reply.style_guide_override' AND entity_id = $1`,
        [replyToConversation.id],
      );
      expect(audit).toMatchObject({
        entity_type: 'message',
        brand_id: a.brandId,
        actor_user_id: manager.userId,
      });
      expect(audit.changes).toMatchObject({
        reason: 'Approved by the client, ticket 4711',
        conversationId: c.conversationId,
        styleGuideVersionId: versionId,
        violations: [expect.objectContaining({ rule: 'NEVER_PROMISE', severity: 'BLOCK' })],
      });
      expect(await t.count('outbound_messages WHERE message_id = $1', [replyToConversation.id])).toBe(1);
    });

    it('an AGENT passing an override is FORBIDDEN (even for a clean reply); a blank reason is BAD_USER_INPUT', async () => {
      const c = await seedConversation(t, a, 'COMMENT');
      const before = await written();
      for (const body of ['Hi Carla, you get a full refund.', 'Hi Carla, thanks.']) {
        expect(
          await agent.client.code(REPLY, {
            input: { conversationId: c.conversationId, body, styleGuideOverride: { reason: 'please' } },
          }),
        ).toBe('FORBIDDEN');
      }
      const r = await manager.client.request(REPLY, {
        input: { conversationId: c.conversationId, body: 'Hi Carla', styleGuideOverride: { reason: '  ' } },
      });
      expect(r.errors?.[0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'styleGuideOverride.reason',
      });
      expect(await written()).toEqual(before);
    });

    it("the reply's language picks language-specific rules", async () => {
      const c = await seedConversation(t, a, 'COMMENT');
      const body = 'Hi Carla, chúng tôi sẽ hoàn tiền.';
      expect(
        await agent.client.code(REPLY, { input: { conversationId: c.conversationId, body, language: 'vi' } }),
      ).toBe('STYLE_GUIDE_VIOLATION');
      const { replyToConversation } = await agent.client.ok(REPLY, {
        input: { conversationId: c.conversationId, body, language: 'en' },
      });
      expect(replyToConversation.status).toBe('QUEUED');
    });

    it("without a language, the reply is checked in the conversation's detected language", async () => {
      const body = 'Hi Carla, chúng tôi sẽ hoàn tiền.';
      const vi = await seedConversation(t, a, 'COMMENT');
      await t.ownerQuery(`UPDATE conversations SET language = 'vi' WHERE id = $1`, [vi.conversationId]);
      expect(await agent.client.code(REPLY, { input: { conversationId: vi.conversationId, body } })).toBe(
        'STYLE_GUIDE_VIOLATION',
      );
      const en = await seedConversation(t, a, 'COMMENT');
      await t.ownerQuery(`UPDATE conversations SET language = 'en' WHERE id = $1`, [en.conversationId]);
      const { replyToConversation } = await agent.client.ok(REPLY, {
        input: { conversationId: en.conversationId, body },
      });
      expect(replyToConversation.status).toBe('QUEUED');
    });

    it('a brand without a style guide: replies pass unchecked, no version recorded', async () => {
      const c = await seedConversation(t, b, 'COMMENT');
      const { replyToConversation } = await b.agency.client.ok(REPLY, {
        input: { conversationId: c.conversationId, body: 'full refund!!! 😀' },
      });
      expect(replyToConversation.styleGuideVersionId).toBeNull();
    });
  });

  describe(crossTenant('checkReply'), () => {
    it("another agency's conversation and one of an out-of-scope brand → NOT_FOUND", async () => {
      const theirs = await seedConversation(t, b, 'DM');
      expect(
        await agent.client.code(CHECK, { input: { conversationId: theirs.conversationId, body: 'Hi' } }),
      ).toBe('NOT_FOUND');
      const otherBrand = await insertBrand(t, a.agency.agencyId);
      const scoped = await createMember(t, a.agency.agencyId, 'AGENT', [otherBrand]);
      const ours = await seedConversation(t, await withNewCustomer(t, a), 'COMMENT');
      expect(
        await scoped.client.code(CHECK, { input: { conversationId: ours.conversationId, body: 'Hi' } }),
      ).toBe('NOT_FOUND');
    });
  });
});

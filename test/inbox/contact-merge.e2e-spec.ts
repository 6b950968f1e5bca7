import { randomUUID } from 'node:crypto';
import { crossTenant } from '../support/cross-tenant';
import { createMember, Member } from '../support/members';
import { startTestApp, TestApp } from '../support/test-app';
import { CONVERSATION, InboxAgency, seedConv, seedInboxAgency } from './conversations.support';

const MERGE = `mutation($input: MergeContactsInput!) { mergeContacts(input: $input) {
  id displayName identities { platform externalUserId username } } }`;

/**
 * mergeContacts: one customer who wrote on two platforms (two contacts, as ingest keys them) becomes
 * one contact with both identities and every conversation.
 */
describe('mergeContacts', () => {
  let t: TestApp;
  let a: InboxAgency;
  let b: InboxAgency;
  let agent: Member;
  let limited: Member; // an agent of agency a, limited to brand 1

  beforeAll(async () => {
    t = await startTestApp();
    a = await seedInboxAgency(t);
    b = await seedInboxAgency(t);
    agent = await createMember(t, a.owner.agencyId, 'AGENT');
    limited = await createMember(t, a.owner.agencyId, 'AGENT', [a.brands[1].id]);
  });
  afterAll(() => t?.close());

  const contact = async (id: string) =>
    (await t.ownerQuery(`SELECT * FROM contacts WHERE id = $1`, [id]))[0] ?? null;
  /** A second contact of brand 0 who wrote on Instagram (no display name). */
  const instagramCustomer = async (agency: InboxAgency, brand = 0) => {
    const c = await seedConv(t, agency, { brand, status: 'RESOLVED' });
    await t.ownerQuery(
      `UPDATE contacts SET display_name = NULL, avatar_url = 'https://cdn.example/c.png' WHERE id = $1`,
      [c.contactId],
    );
    await t.ownerQuery(
      `INSERT INTO contact_identities (agency_id, id, brand_id, contact_id, platform, external_user_id, username)
       VALUES ($1, $2, $3, $4, 'INSTAGRAM', $5, 'carla.ig')`,
      [agency.owner.agencyId, randomUUID(), agency.brands[brand].id, c.contactId, `ig-${randomUUID()}`],
    );
    return c;
  };

  it("moves the other contact's identities and conversations, keeps what this one lacks, deletes it; audited (MANAGER+)", async () => {
    const fb = await seedConv(t, a);
    const ig = await instagramCustomer(a);
    const { mergeContacts } = await a.owner.client.ok(MERGE, {
      input: { contactId: fb.contactId, mergeContactId: ig.contactId },
    });
    expect(mergeContacts.id).toBe(fb.contactId);
    expect(mergeContacts.displayName).toBe('Carla Customer');
    expect(mergeContacts.identities.map((i: { platform: string }) => i.platform).sort()).toEqual([
      'FACEBOOK_PAGE',
      'FACEBOOK_PAGE',
      'INSTAGRAM',
    ]);
    expect(await contact(ig.contactId)).toBeNull();
    expect((await contact(fb.contactId)).avatar_url).toBe('https://cdn.example/c.png');

    // The inbox now shows one customer: every platform's identity and the other conversation.
    const { conversation } = await agent.client.ok(CONVERSATION, { id: fb.id, first: 5 });
    expect(conversation.contact.identities).toHaveLength(3);
    expect(conversation.earlierConversations).toEqual([{ id: ig.id, status: 'RESOLVED' }]);
    const [other] = await t.ownerQuery(`SELECT contact_id FROM conversations WHERE id = $1`, [ig.id]);
    expect(other.contact_id).toBe(fb.contactId);

    const [audit] = await t.ownerQuery(
      `SELECT changes, actor_user_id FROM audit_events WHERE action = 'contact.merge' AND entity_id = $1`,
      [fb.contactId],
    );
    expect(audit.changes).toMatchObject({ mergedContactId: ig.contactId, conversationIds: [ig.id] });
    expect(audit.changes.identityIds).toHaveLength(2);
  });

  it('the same contact twice, or contacts of two brands → BAD_USER_INPUT and nothing changes', async () => {
    const one = await seedConv(t, a, { brand: 0 });
    const other = await seedConv(t, a, { brand: 1 });
    const same = await agent.client.request(MERGE, {
      input: { contactId: one.contactId, mergeContactId: one.contactId },
    });
    expect(same.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'mergeContactId' });
    const across = await agent.client.request(MERGE, {
      input: { contactId: one.contactId, mergeContactId: other.contactId },
    });
    expect(across.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'mergeContactId' });
    expect(await contact(other.contactId)).not.toBeNull();
    expect(await t.count('contact_identities WHERE contact_id = $1', [other.contactId])).toBe(1);
  });

  it('a CLIENT_VIEWER may not merge (FORBIDDEN); an AGENT may', async () => {
    const viewer = await createMember(t, a.owner.agencyId, 'CLIENT_VIEWER', [a.brands[0].id]);
    const one = await seedConv(t, a);
    const two = await seedConv(t, a);
    expect(
      await viewer.client.code(MERGE, { input: { contactId: one.contactId, mergeContactId: two.contactId } }),
    ).toBe('FORBIDDEN');
    expect(await contact(two.contactId)).not.toBeNull();
    await agent.client.ok(MERGE, { input: { contactId: one.contactId, mergeContactId: two.contactId } });
    expect(await contact(two.contactId)).toBeNull();
  });

  describe(crossTenant('mergeContacts'), () => {
    it('a contact of another agency or outside the caller’s brands, on either side → NOT_FOUND; nothing changes', async () => {
      const ours = await seedConv(t, a, { brand: 1 });
      const mine = await seedConv(t, a, { brand: 1 });
      const theirs = await seedConv(t, b, { brand: 1 });
      const outOfScope = await seedConv(t, a, { brand: 0 });
      const code = (m: Member | InboxAgency['owner'], contactId: string, mergeContactId: string) =>
        m.client.code(MERGE, { input: { contactId, mergeContactId } });
      expect(await code(a.owner, ours.contactId, theirs.contactId)).toBe('NOT_FOUND');
      expect(await code(a.owner, theirs.contactId, ours.contactId)).toBe('NOT_FOUND');
      expect(await code(limited, mine.contactId, outOfScope.contactId)).toBe('NOT_FOUND');
      expect(await code(limited, outOfScope.contactId, mine.contactId)).toBe('NOT_FOUND');
      expect(await code(a.owner, ours.contactId, randomUUID())).toBe('NOT_FOUND');
      for (const c of [ours, mine, theirs, outOfScope]) {
        expect(await contact(c.contactId)).not.toBeNull();
        expect(await t.count('contact_identities WHERE contact_id = $1', [c.contactId])).toBe(1);
        expect(
          (await t.ownerQuery(`SELECT contact_id FROM conversations WHERE id = $1`, [c.id]))[0].contact_id,
        ).toBe(c.contactId);
      }
    });
  });
});

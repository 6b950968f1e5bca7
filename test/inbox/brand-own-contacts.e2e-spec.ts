import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { ownerDataSource } from '../../libs/core/src/database/migrate';
import { BrandOwnContacts1764320000000 } from '../../libs/core/src/database/migrations/1764320000000-brand-own-contacts';
import { createTestDatabase } from '../support/test-env';

const PAGE_A = '104857600112233';
const IG_A = '17841400000000001';
const TT_OPENID = '-000Rq8ZPbQ3tWbY9g0s7yUuV4nXkLm2aB1c';
/** The business's TikTok user id, as an `owner: true` comment names it: not the account's open id. */
const TT_OWNER = '6800000000000000001';
const PAGE_B = '209715200445566';
const at = (minute: number) => new Date(Date.UTC(2026, 10, 20, 9, minute));

/**
 * Migration 1764320000000 against data in the shape ingest wrote before "the brand is never its own
 * contact": rows inserted directly, then the migration's `up` run again on them (the file's database
 * is cloned from the migrated template, where it ran on nothing).
 */
describe('migration 1764320000000: the brand is never its own contact (backfill)', () => {
  let db: Client;
  let ds: DataSource;
  const q = async <R = any>(sql: string, params: unknown[] = []): Promise<R[]> =>
    (await db.query(sql, params)).rows as R[];

  beforeAll(async () => {
    const { ownerUrl } = await createTestDatabase();
    db = new Client({ connectionString: ownerUrl });
    await db.connect();
    ds = ownerDataSource(ownerUrl);
    await ds.initialize();
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.end();
  });

  const migrate = async (direction: 'up' | 'down') => {
    const runner = ds.createQueryRunner();
    await runner.startTransaction();
    try {
      await new BrandOwnContacts1764320000000()[direction](runner);
      await runner.commitTransaction();
    } catch (e) {
      await runner.rollbackTransaction();
      throw e;
    } finally {
      await runner.release();
    }
  };

  // --- the old shape, one helper per row kind -------------------------------------------------
  const agency = async () => {
    const id = randomUUID();
    await q(`INSERT INTO agencies (id, name) VALUES ($1, 'Agency')`, [id]);
    return id;
  };
  const brand = async (agencyId: string) => {
    const id = randomUUID();
    await q(`INSERT INTO brands (agency_id, id, name, slug, timezone) VALUES ($1, $2, 'Skates', $3, 'UTC')`, [
      agencyId,
      id,
      `skates-${id.slice(0, 8)}`,
    ]);
    return id;
  };
  const channel = async (
    agencyId: string,
    brandId: string,
    platform: string,
    account: string,
    status = 'ACTIVE',
  ) => {
    const id = randomUUID();
    await q(
      `INSERT INTO channels (agency_id, id, brand_id, platform, external_account_id, display_name, credentials_sealed, status)
       VALUES ($1, $2, $3, $4, $5, 'Skates Co', 'sealed', $6)`,
      [agencyId, id, brandId, platform, account, status],
    );
    return id;
  };
  /** A contact with its identities, as resolveIdentities (and mergeContacts) wrote them. */
  const contact = async (
    agencyId: string,
    brandId: string,
    displayName: string | null,
    identities: { platform: string; externalUserId: string; name?: string; username?: string }[],
  ) => {
    const id = randomUUID();
    await q(`INSERT INTO contacts (agency_id, id, brand_id, display_name) VALUES ($1, $2, $3, $4)`, [
      agencyId,
      id,
      brandId,
      displayName,
    ]);
    const identityIds: string[] = [];
    for (const [n, i] of identities.entries()) {
      identityIds.push(randomUUID());
      await q(
        `INSERT INTO contact_identities
           (agency_id, id, brand_id, contact_id, platform, external_user_id, display_name, username, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          agencyId,
          identityIds[n],
          brandId,
          id,
          i.platform,
          i.externalUserId,
          i.name ?? null,
          i.username ?? null,
          at(n),
        ],
      );
    }
    return { id, identityIds };
  };
  /** Each seeded conversation's agency, brand and channel, which its messages share. */
  const scopes = new Map<string, [string, string, string]>();
  const conversation = async (agencyId: string, brandId: string, channelId: string, contactId: string) => {
    const id = randomUUID();
    await q(
      `INSERT INTO conversations (agency_id, id, brand_id, channel_id, contact_id, kind, thread_key)
       VALUES ($1, $2, $3, $4, $5, 'COMMENT', $6)`,
      [agencyId, id, brandId, channelId, contactId, `comment:post:${id}`],
    );
    scopes.set(id, [agencyId, brandId, channelId]);
    return id;
  };
  /** A message written on the platform at `minute`, ingested (created_at) at `receivedMinute`. */
  const message = async (
    conversationId: string,
    author: string | null,
    minute: number,
    receivedMinute = minute,
  ) => {
    const [agencyId, brandId, channelId] = scopes.get(conversationId)!;
    await q(
      `INSERT INTO messages (agency_id, id, brand_id, channel_id, conversation_id, direction, external_id,
                             author_identity_id, body, platform_created_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'text', $9, $10)`,
      [
        agencyId,
        randomUUID(),
        brandId,
        channelId,
        conversationId,
        author ? 'INBOUND' : 'OUTBOUND',
        randomUUID(),
        author,
        at(minute),
        at(receivedMinute),
      ],
    );
  };
  /** An INBOUND message by that identity. */
  const said = (conversationId: string, identityId: string, minute: number, receivedMinute?: number) =>
    message(conversationId, identityId, minute, receivedMinute);
  /** The brand's own comment, ingested OUTBOUND with no author. */
  const brandWrote = (conversationId: string, minute: number) => message(conversationId, null, minute);
  const tiktokEvent = async (agencyId: string, brandId: string, channelId: string, content: object) => {
    await q(
      `INSERT INTO inbound_events (agency_id, id, brand_id, channel_id, platform, event_key, payload, status)
       VALUES ($1, $2, $3, $4, 'TIKTOK', $5, $6, 'PROCESSED')`,
      [
        agencyId,
        randomUUID(),
        brandId,
        channelId,
        randomUUID(),
        JSON.stringify({ event: 'comment.update', create_time: 1764061801, user_openid: TT_OPENID, content }),
      ],
    );
  };

  const contactOf = async (conversationId: string) =>
    (await q(`SELECT contact_id FROM conversations WHERE id = $1`, [conversationId]))[0].contact_id as
      string | null;
  const contactRow = async (id: string) =>
    (await q(`SELECT display_name FROM contacts WHERE id = $1`, [id]))[0] ?? null;
  const identitiesOf = async (contactId: string) =>
    (
      await q<{ external_user_id: string }>(
        `SELECT external_user_id FROM contact_identities WHERE contact_id = $1 ORDER BY created_at`,
        [contactId],
      )
    ).map((r) => r.external_user_id);
  /** Every contact, identity, conversation's contact and message author, for "nothing else changed". */
  const snapshot = async () => [
    await q(`SELECT id, display_name FROM contacts ORDER BY id`),
    await q(`SELECT id, contact_id FROM contact_identities ORDER BY id`),
    await q(`SELECT id, contact_id FROM conversations ORDER BY id`),
    await q(`SELECT id, direction, author_identity_id FROM messages ORDER BY id`),
  ];

  it("removes the brand's own contacts and gives their conversations the first customer, touching nothing else", async () => {
    const A = await agency();
    const a1 = await brand(A);
    const a2 = await brand(A);
    const fb = await channel(A, a1, 'FACEBOOK_PAGE', PAGE_A);
    // Disconnected: the account is still the brand's, and so are the contacts ingest made of it.
    const ig = await channel(A, a1, 'INSTAGRAM', IG_A, 'DISCONNECTED');
    const tt = await channel(A, a1, 'TIKTOK', TT_OPENID);
    const fbA2 = await channel(A, a2, 'FACEBOOK_PAGE', '300000000000001');

    // Brand a1's Page as a contact: a thread it started that a customer answered, one nobody answered.
    const pageContact = await contact(A, a1, 'Skates Co', [
      { platform: 'FACEBOOK_PAGE', externalUserId: PAGE_A, name: 'Skates Co' },
    ]);
    const lena = await contact(A, a1, 'Lena', [
      { platform: 'FACEBOOK_PAGE', externalUserId: '1001', name: 'Lena' },
    ]);
    // A real customer who happens to carry the brand's name.
    const namesake = await contact(A, a1, 'Skates Co', [
      { platform: 'FACEBOOK_PAGE', externalUserId: '1002', name: 'Skates Co' },
    ]);
    const answered = await conversation(A, a1, fb, pageContact.id);
    await brandWrote(answered, 0);
    // Ingested first, written later: the first customer is who wrote first.
    await said(answered, namesake.identityIds[0], 20, 21);
    await said(answered, lena.identityIds[0], 10, 30);
    const unanswered = await conversation(A, a1, fb, pageContact.id);
    await brandWrote(unanswered, 1);
    const namesakeThread = await conversation(A, a1, fb, namesake.id);
    await said(namesakeThread, namesake.identityIds[0], 2);

    // TikTok: the business's `owner: true` comment named it by its user id, not the channel's open id.
    const ttOwner = await contact(A, a1, 'brand.official', [
      { platform: 'TIKTOK', externalUserId: TT_OWNER, username: 'brand.official' },
    ]);
    await tiktokEvent(A, a1, tt, {
      comment_id: '7441941123344556677',
      video_id: '7440129384756102938',
      comment_action: 'insert',
      unique_identifier: TT_OWNER,
      owner: true,
    });
    // Before the connector knew its open id, the business's reply without `owner` was a customer's
    // (INBOUND, authored by the open-id identity): that identity keeps its message and its contact.
    const ttOpenid = await contact(A, a1, null, [{ platform: 'TIKTOK', externalUserId: TT_OPENID }]);
    const ttCustomer = await contact(A, a1, 'Lena ⛸️', [
      { platform: 'TIKTOK', externalUserId: '6893441123458765825', name: 'Lena ⛸️' },
    ]);
    await tiktokEvent(A, a1, tt, {
      comment_id: '7441938475610294817',
      video_id: '7440129384756102938',
      comment_action: 'insert',
      unique_identifier: '6893441123458765825',
    });
    const ttThread = await conversation(A, a1, tt, ttOwner.id);
    await brandWrote(ttThread, 0);
    await said(ttThread, ttOpenid.identityIds[0], 1);
    await said(ttThread, ttCustomer.identityIds[0], 2);
    const ttOpenidThread = await conversation(A, a1, tt, ttOpenid.id);
    await said(ttOpenidThread, ttOpenid.identityIds[0], 3);

    // A customer merged by hand with the brand's Instagram contact (the brand's contact kept).
    const merged = await contact(A, a1, 'Skates Co', [
      { platform: 'INSTAGRAM', externalUserId: IG_A, username: 'Skates Co' },
      { platform: 'INSTAGRAM', externalUserId: '17841499999', username: 'maja.rides' },
    ]);
    const mergedThread = await conversation(A, a1, ig, merged.id);
    await brandWrote(mergedThread, 4);

    // Brand a2's customer is a1's Page (it commented on a2's post): another brand, a customer there.
    const pageOnA2 = await contact(A, a2, 'Skates Co', [
      { platform: 'FACEBOOK_PAGE', externalUserId: PAGE_A, name: 'Skates Co' },
    ]);
    const a2Thread = await conversation(A, a2, fbA2, pageOnA2.id);
    await said(a2Thread, pageOnA2.identityIds[0], 5);

    // Agency B: the same external ids are its customers; only its own Page's contact goes.
    const B = await agency();
    const b1 = await brand(B);
    const fbB = await channel(B, b1, 'FACEBOOK_PAGE', PAGE_B);
    const ttB = await channel(B, b1, 'TIKTOK', 'b-open-id');
    const pageAOnB = await contact(B, b1, 'Skates Co', [
      { platform: 'FACEBOOK_PAGE', externalUserId: PAGE_A, name: 'Skates Co' },
    ]);
    const ttOwnerOnB = await contact(B, b1, 'brand.official', [
      { platform: 'TIKTOK', externalUserId: TT_OWNER },
    ]);
    const pageB = await contact(B, b1, 'B Page', [{ platform: 'FACEBOOK_PAGE', externalUserId: PAGE_B }]);
    const bThreads = {
      pageA: await conversation(B, b1, fbB, pageAOnB.id),
      tt: await conversation(B, b1, ttB, ttOwnerOnB.id),
      own: await conversation(B, b1, fbB, pageB.id),
    };
    await said(bThreads.pageA, pageAOnB.identityIds[0], 6);
    await brandWrote(bThreads.tt, 7);
    await brandWrote(bThreads.own, 8);
    await said(bThreads.own, pageAOnB.identityIds[0], 9);

    const messagesBefore = (await snapshot())[3];
    await migrate('up');

    // Conversations: the first customer who wrote (not who was ingested first, not the brand), else none.
    expect(await contactOf(answered)).toBe(lena.id);
    expect(await contactOf(unanswered)).toBeNull();
    expect(await contactOf(namesakeThread)).toBe(namesake.id);
    expect(await contactOf(ttThread)).toBe(ttCustomer.id);
    expect(await contactOf(ttOpenidThread)).toBeNull();
    expect(await contactOf(mergedThread)).toBe(merged.id);
    expect(await contactOf(a2Thread)).toBe(pageOnA2.id);
    expect(await contactOf(bThreads.pageA)).toBe(pageAOnB.id);
    expect(await contactOf(bThreads.tt)).toBe(ttOwnerOnB.id);
    expect(await contactOf(bThreads.own)).toBe(pageAOnB.id);

    // The brand's contacts are gone with their identities; every customer stays.
    for (const gone of [pageContact, ttOwner, pageB]) {
      expect(await contactRow(gone.id)).toBeNull();
      expect(await identitiesOf(gone.id)).toEqual([]);
    }
    expect(await contactRow(namesake.id)).toEqual({ display_name: 'Skates Co' });
    expect(await identitiesOf(namesake.id)).toEqual(['1002']);
    expect(await identitiesOf(lena.id)).toEqual(['1001']);
    expect(await identitiesOf(ttCustomer.id)).toEqual(['6893441123458765825']);
    expect(await identitiesOf(pageOnA2.id)).toEqual([PAGE_A]);
    expect(await identitiesOf(pageAOnB.id)).toEqual([PAGE_A]);
    expect(await identitiesOf(ttOwnerOnB.id)).toEqual([TT_OWNER]);
    // Still named as a message's author: kept, so no message loses it (and no conversation names it).
    expect(await identitiesOf(ttOpenid.id)).toEqual([TT_OPENID]);
    // The merged customer keeps the contact and its own identity, loses the brand's and its name.
    expect(await identitiesOf(merged.id)).toEqual(['17841499999']);
    expect(await contactRow(merged.id)).toEqual({ display_name: 'maja.rides' });

    // Messages are untouched, and every author still resolves to an identity.
    expect((await snapshot())[3]).toEqual(messagesBefore);
    expect(
      await q(`SELECT m.id FROM messages m WHERE m.author_identity_id IS NOT NULL
                 AND NOT EXISTS (SELECT 1 FROM contact_identities ci WHERE ci.id = m.author_identity_id)`),
    ).toEqual([]);

    // Run again (or reverted): nothing more changes.
    const after = await snapshot();
    await migrate('up');
    await migrate('down');
    expect(await snapshot()).toEqual(after);
  });
});

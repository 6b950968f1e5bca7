import { randomUUID } from 'node:crypto';
import { CONNECT, connectInput, insertBrand } from '../channels/channel-helpers';
import { crossTenant } from '../support/cross-tenant';
import { signUpAgency, SignedUp } from '../support/fixtures';
import { GqlClient } from '../support/graphql-client';
import { createMember } from '../support/members';
import { startTestApp, TestApp } from '../support/test-app';
import { ingestQueue } from './pipeline-helpers';

const FIELDS = `id platform channelId brandId status receivedAt attempts lastError payload`;
const FAILED = `query($brandId: ID, $channelId: ID, $status: HeldInboundEventStatus, $first: Int, $after: String) {
  failedInboundEvents(brandId: $brandId, channelId: $channelId, status: $status, first: $first, after: $after) {
    nodes { ${FIELDS} } pageInfo { endCursor hasNextPage }
  }
}`;
const RETRY = `mutation($id: ID!) { retryInboundEvent(id: $id) { ${FIELDS} } }`;
const DISMISS = `mutation($id: ID!) { dismissInboundEvent(id: $id) { ${FIELDS} } }`;

describe('failed inbound events: list and retry (admin)', () => {
  let t: TestApp;
  let a: SignedUp;
  let b: SignedUp;
  let inScope: string;
  let outOfScope: string;
  let brandB: string;
  let scopedAdmin: GqlClient;
  let agent: GqlClient;
  const channels: Record<string, string> = {};

  /** A FAILED row as ingest leaves it, written with the owner connection. */
  async function failedEvent(
    agencyId: string,
    brandId: string,
    minutesAgo = 1,
    status = 'FAILED',
  ): Promise<string> {
    const id = randomUUID();
    await t.ownerQuery(
      `INSERT INTO inbound_events (agency_id, id, brand_id, channel_id, platform, event_key, payload, status, attempts, last_error, received_at)
       VALUES ($1, $2, $3, $4, 'FACEBOOK_PAGE', $5, $6, $7, 3, 'no such conversation', now() - make_interval(mins => $8))`,
      [
        agencyId,
        id,
        brandId,
        channels[brandId],
        `key-${id}`,
        { id: 'page', changes: [{ field: 'feed' }] },
        status,
        minutesAgo,
      ],
    );
    return id;
  }

  const snapshot = async () =>
    (
      await t.ownerQuery(`SELECT
        (SELECT string_agg(id || status || attempts, ',' ORDER BY id) FROM inbound_events) AS events,
        (SELECT count(*) FROM audit_events)::int AS audit`)
    )[0];

  beforeAll(async () => {
    t = await startTestApp();
    [a, b] = await Promise.all([signUpAgency(t.gql, 'A'), signUpAgency(t.gql, 'B')]);
    inScope = await insertBrand(t, a.agencyId, 'In scope');
    outOfScope = await insertBrand(t, a.agencyId, 'Out of scope');
    brandB = await insertBrand(t, b.agencyId, 'B brand');
    for (const [client, brand] of [
      [a.client, inScope],
      [a.client, outOfScope],
      [b.client, brandB],
    ] as const) {
      channels[brand] = (await client.ok(CONNECT, { input: connectInput(brand) })).connectChannel.id;
    }
    scopedAdmin = (await createMember(t, a.agencyId, 'ADMIN', [inScope])).client;
    agent = (await createMember(t, a.agencyId, 'AGENT', null)).client;
  });
  afterAll(() => t.close());

  it('lists failed events newest first with their error and payload, page by page', async () => {
    const older = await failedEvent(a.agencyId, inScope, 10);
    const newer = await failedEvent(a.agencyId, outOfScope, 5);
    const newest = await failedEvent(a.agencyId, inScope, 1);
    await failedEvent(a.agencyId, inScope, 1, 'PROCESSED');
    await failedEvent(b.agencyId, brandB, 1);

    const first = (await a.client.ok(FAILED, { first: 2 })).failedInboundEvents;
    expect(first.nodes.map((n: any) => n.id)).toEqual([newest, newer]);
    expect(first.pageInfo.hasNextPage).toBe(true);
    expect(first.nodes[0]).toMatchObject({
      platform: 'FACEBOOK_PAGE',
      brandId: inScope,
      channelId: channels[inScope],
      status: 'FAILED',
      attempts: 3,
      lastError: 'no such conversation',
      payload: { id: 'page', changes: [{ field: 'feed' }] },
    });
    const second = (await a.client.ok(FAILED, { first: 2, after: first.pageInfo.endCursor }))
      .failedInboundEvents;
    expect(second.nodes.map((n: any) => n.id)).toEqual([older]);
    expect(second.pageInfo.hasNextPage).toBe(false);

    const oneBrand = (await a.client.ok(FAILED, { brandId: inScope })).failedInboundEvents;
    expect(oneBrand.nodes.map((n: any) => n.id)).toEqual([newest, older]);
    // A brand-scoped admin sees only their brands' events.
    const scoped = (await scopedAdmin.ok(FAILED, {})).failedInboundEvents;
    expect(scoped.nodes.map((n: any) => n.id)).toEqual([newest, older]);
  });

  it('lists the events waiting for their channel’s reconnect (status: WAITING_FOR_RECONNECT), per channel too', async () => {
    const waitingOld = await failedEvent(a.agencyId, inScope, 30, 'WAITING_FOR_RECONNECT');
    const waitingNew = await failedEvent(a.agencyId, inScope, 20, 'WAITING_FOR_RECONNECT');
    const elsewhere = await failedEvent(a.agencyId, outOfScope, 25, 'WAITING_FOR_RECONNECT');
    const failed = await failedEvent(a.agencyId, inScope, 20);

    const WAITING = 'WAITING_FOR_RECONNECT';
    const ids = (r: any) => r.failedInboundEvents.nodes.map((n: any) => n.id);
    expect(ids(await a.client.ok(FAILED, { status: WAITING }))).toEqual([waitingNew, elsewhere, waitingOld]);
    const one = await a.client.ok(FAILED, { status: WAITING, channelId: channels[inScope], first: 1 });
    expect(ids(one)).toEqual([waitingNew]);
    expect(one.failedInboundEvents.nodes[0].status).toBe(WAITING);
    const after = one.failedInboundEvents.pageInfo.endCursor;
    expect(ids(await a.client.ok(FAILED, { status: WAITING, channelId: channels[inScope], after }))).toEqual([
      waitingOld,
    ]);
    expect(ids(await scopedAdmin.ok(FAILED, { status: WAITING }))).toEqual([waitingNew, waitingOld]);
    // The default list is FAILED only; a channel filter applies there too.
    const failedOnes = ids(await a.client.ok(FAILED, { channelId: channels[inScope], first: 200 }));
    expect(failedOnes).toContain(failed);
    expect(failedOnes).not.toContain(waitingNew);
    expect(await a.client.code(FAILED, { status: 'PROCESSED' })).toBe('BAD_USER_INPUT');

    // Retrying is for FAILED events: a waiting one goes through when its channel is reconnected.
    const before = await snapshot();
    const r = await a.client.request(RETRY, { id: waitingNew });
    expect(r.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect(r.errors?.[0].message).toMatch(/reconnecting the channel/);
    expect(await snapshot()).toEqual(before);
  });

  it('is for admins: an agent is FORBIDDEN', async () => {
    expect(await agent.code(FAILED, {})).toBe('FORBIDDEN');
    const id = await failedEvent(a.agencyId, inScope);
    const before = await snapshot();
    expect(await agent.code(RETRY, { id })).toBe('FORBIDDEN');
    expect(await snapshot()).toEqual(before);
  });

  it('rejects bad paging input with BAD_USER_INPUT', async () => {
    expect(await a.client.code(FAILED, { first: 0 })).toBe('BAD_USER_INPUT');
    expect(await a.client.code(FAILED, { first: 201 })).toBe('BAD_USER_INPUT');
    expect(await a.client.code(FAILED, { after: 'not-a-cursor' })).toBe('BAD_USER_INPUT');
  });

  describe(crossTenant('failedInboundEvents'), () => {
    it('answers NOT_FOUND for another agency’s brand, an out-of-scope brand and an unknown one', async () => {
      await failedEvent(b.agencyId, brandB);
      expect(await a.client.code(FAILED, { brandId: brandB })).toBe('NOT_FOUND');
      expect(await scopedAdmin.code(FAILED, { brandId: outOfScope })).toBe('NOT_FOUND');
      expect(await a.client.code(FAILED, { brandId: randomUUID() })).toBe('NOT_FOUND');
      expect(await a.client.code(FAILED, { brandId: 'not-a-uuid' })).toBe('NOT_FOUND');
      // By channel: another agency's, one of an out-of-scope brand, an unknown one.
      expect(await a.client.code(FAILED, { channelId: channels[brandB] })).toBe('NOT_FOUND');
      expect(await scopedAdmin.code(FAILED, { channelId: channels[outOfScope] })).toBe('NOT_FOUND');
      expect(await a.client.code(FAILED, { channelId: randomUUID() })).toBe('NOT_FOUND');
      expect(await a.client.code(FAILED, { channelId: 'nope', status: 'WAITING_FOR_RECONNECT' })).toBe(
        'NOT_FOUND',
      );
      // And B's events never appear in A's unfiltered list.
      const all = (await a.client.ok(FAILED, { first: 200 })).failedInboundEvents.nodes;
      expect(all.every((n: any) => n.brandId !== brandB)).toBe(true);
    });
  });

  it('retries a failed event: PENDING again with fresh attempts, the failed count audited, enqueued after commit', async () => {
    const id = await failedEvent(a.agencyId, inScope);
    const queue = ingestQueue(t);
    const retried = (await a.client.ok(RETRY, { id })).retryInboundEvent;
    expect(retried).toMatchObject({ id, status: 'PENDING', attempts: 0 });
    const [row] = await t.ownerQuery(`SELECT status, attempts FROM inbound_events WHERE id = $1`, [id]);
    expect(row).toEqual({ status: 'PENDING', attempts: 0 });
    const [audit] = await t.ownerQuery(
      `SELECT action, entity_id, brand_id, actor_user_id, changes->'failedAttempts' AS failed
         FROM audit_events WHERE entity_id = $1`,
      [id],
    );
    expect(audit).toEqual({
      action: 'inbound_event.retry',
      entity_id: id,
      brand_id: inScope,
      actor_user_id: a.userId,
      failed: 3,
    });
    expect((await queue.getJob(id))?.data).toEqual({ agencyId: a.agencyId, eventId: id });

    // Retrying again while it is PENDING changes nothing; a processed event cannot be retried.
    const done = await failedEvent(a.agencyId, inScope, 1, 'PROCESSED');
    const before = await snapshot();
    expect((await a.client.ok(RETRY, { id })).retryInboundEvent.status).toBe('PENDING');
    expect(await a.client.code(RETRY, { id: done })).toBe('CONFLICT');
    expect(await snapshot()).toEqual(before);
  });

  it('dismisses a failed or waiting event: IGNORED, unlisted, audited; again changes nothing; in flight → CONFLICT', async () => {
    const failed = await failedEvent(a.agencyId, inScope);
    const waiting = await failedEvent(a.agencyId, inScope, 1, 'WAITING_FOR_RECONNECT');
    expect((await a.client.ok(DISMISS, { id: failed })).dismissInboundEvent).toMatchObject({
      id: failed,
      status: 'IGNORED',
      lastError: 'no such conversation',
    });
    expect((await a.client.ok(DISMISS, { id: waiting })).dismissInboundEvent.status).toBe('IGNORED');
    const [row] = await t.ownerQuery(
      `SELECT status, processed_at, payload FROM inbound_events WHERE id = $1`,
      [failed],
    );
    expect(row).toMatchObject({ status: 'IGNORED', payload: { id: 'page', changes: [{ field: 'feed' }] } });
    expect(row.processed_at).not.toBeNull();
    const listed = async (status: string) =>
      (await a.client.ok(FAILED, { status, first: 200 })).failedInboundEvents.nodes.map((n: any) => n.id);
    expect(await listed('FAILED')).not.toContain(failed);
    expect(await listed('WAITING_FOR_RECONNECT')).not.toContain(waiting);
    const [audit] = await t.ownerQuery(
      `SELECT action, brand_id, actor_user_id, changes->'status' AS status FROM audit_events WHERE entity_id = $1`,
      [waiting],
    );
    expect(audit).toEqual({
      action: 'inbound_event.dismiss',
      brand_id: inScope,
      actor_user_id: a.userId,
      status: { from: 'WAITING_FOR_RECONNECT', to: 'IGNORED' },
    });

    const pending = await failedEvent(a.agencyId, inScope, 1, 'PENDING');
    const done = await failedEvent(a.agencyId, inScope, 1, 'PROCESSED');
    const before = await snapshot();
    expect((await a.client.ok(DISMISS, { id: failed })).dismissInboundEvent.status).toBe('IGNORED');
    expect(await a.client.code(DISMISS, { id: pending })).toBe('CONFLICT');
    expect(await a.client.code(DISMISS, { id: done })).toBe('CONFLICT');
    expect(await agent.code(DISMISS, { id: pending })).toBe('FORBIDDEN');
    expect(await snapshot()).toEqual(before);
    // A dismissed event cannot be retried.
    expect(await a.client.code(RETRY, { id: failed })).toBe('CONFLICT');
  });

  describe(crossTenant('dismissInboundEvent'), () => {
    it('answers NOT_FOUND for another agency’s event and one of an out-of-scope brand, changing nothing', async () => {
      const theirs = await failedEvent(b.agencyId, brandB);
      const outside = await failedEvent(a.agencyId, outOfScope);
      const before = await snapshot();
      expect(await a.client.code(DISMISS, { id: theirs })).toBe('NOT_FOUND');
      expect(await scopedAdmin.code(DISMISS, { id: outside })).toBe('NOT_FOUND');
      expect(await a.client.code(DISMISS, { id: randomUUID() })).toBe('NOT_FOUND');
      expect(await a.client.code(DISMISS, { id: 'nope' })).toBe('NOT_FOUND');
      expect(await snapshot()).toEqual(before);
    });
  });

  describe(crossTenant('retryInboundEvent'), () => {
    it('answers NOT_FOUND for another agency’s event and one of an out-of-scope brand, changing nothing', async () => {
      const theirs = await failedEvent(b.agencyId, brandB);
      const outside = await failedEvent(a.agencyId, outOfScope);
      const before = await snapshot();
      expect(await a.client.code(RETRY, { id: theirs })).toBe('NOT_FOUND');
      expect(await scopedAdmin.code(RETRY, { id: outside })).toBe('NOT_FOUND');
      expect(await a.client.code(RETRY, { id: randomUUID() })).toBe('NOT_FOUND');
      expect(await a.client.code(RETRY, { id: 'nope' })).toBe('NOT_FOUND');
      expect(await snapshot()).toEqual(before);
      expect(await ingestQueue(t).getJob(theirs)).toBeNull();
    });
  });
});

import { INestApplication } from '@nestjs/common';
import { graphqlDocuments } from '../../apps/api/src/graphql/jit-executor';
import { createApi } from '../../apps/api/src/bootstrap';
import { crossTenant } from '../support/cross-tenant';
import { GqlClient } from '../support/graphql-client';
import { createMember } from '../support/members';
import { startTestApp, TestApp } from '../support/test-app';
import {
  CONVERSATION,
  CONVERSATIONS,
  COUNTS,
  InboxAgency,
  seedConv,
  seedInboxAgency,
} from '../inbox/conversations.support';

/**
 * HTTP operations run compiled by graphql-jit (apps/api/src/graphql/jit-executor.ts). The same
 * requests, with the same tokens, against a second API on the same database with GRAPHQL_JIT=false
 * (graphql-js's interpreter) must get byte-for-byte the same answers: data, errors (message, code,
 * path, locations) and HTTP status.
 */
describe('graphql-jit answers exactly as graphql-js', () => {
  let t: TestApp;
  let interpreter: INestApplication;
  let interpreterUrl: string;
  let a: InboxAgency;
  let b: InboxAgency;
  let viewerToken: string;
  let scopedToken: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp();
    process.env.GRAPHQL_JIT = 'false';
    try {
      interpreter = await createApi();
    } finally {
      delete process.env.GRAPHQL_JIT;
    }
    await interpreter.listen(0, '127.0.0.1');
    interpreterUrl = `http://127.0.0.1:${interpreter.getHttpServer().address().port}`;

    a = await seedInboxAgency(t, ['FACEBOOK_PAGE', 'X', 'INSTAGRAM']);
    b = await seedInboxAgency(t);
    viewerToken = (await createMember(t, a.owner.agencyId, 'CLIENT_VIEWER')).token;
    scopedToken = (await createMember(t, a.owner.agencyId, 'AGENT', [a.brands[1].id])).token;
    for (let i = 0; i < 12; i++) {
      const c = await seedConv(t, a, {
        brand: i % 3,
        kind: i % 4 === 0 ? 'COMMENT' : 'DM',
        priority: i % 5 === 0 ? 'HIGH' : 'NORMAL',
        language: ['en', 'nb', 'pl'][i % 3],
        sentiment: i % 2 ? 'NEGATIVE' : null,
        at: new Date(Date.now() - i * 60_000),
        body: `Gdzie jest moje zamówienie #${i}? Café ☕`,
      });
      ids[`c${i}`] = c.id;
    }
    ids.other = (await seedConv(t, b, { body: 'Other agency' })).id;
    await a.owner.client.ok(
      `mutation($input: ConversationTagsInput!) { addConversationTags(input: $input) { id } }`,
      { input: { conversationId: ids.c0, tags: ['Refund', 'VIP'] } },
    );
    await a.owner.client.ok(`mutation($input: AddNoteInput!) { addNote(input: $input) { id } }`, {
      input: { conversationId: ids.c0, body: 'Checking with the warehouse' },
    });
  });
  afterAll(async () => {
    await interpreter?.close();
    await t?.close();
  });

  /** Sends the operation to both APIs as `token`'s holder and expects identical answers. */
  async function same(token: string | undefined, query: string, variables?: Record<string, unknown>) {
    const jit = await new GqlClient(t.baseUrl, token).raw(query, variables);
    const js = await new GqlClient(interpreterUrl, token).raw(query, variables);
    expect(jit).toEqual(js);
    return jit;
  }
  const owner = () => a.owner.token;

  it('the inbox page, every page by cursor, filtered and sorted', async () => {
    let after: string | null = null;
    let pages = 0;
    do {
      const r: any = await same(owner(), CONVERSATIONS, { first: 5, after, sort: 'OLDEST' });
      expect(r.status).toBe(200);
      after = r.body.data.conversations.pageInfo.hasNextPage
        ? r.body.data.conversations.pageInfo.endCursor
        : null;
      pages++;
    } while (after);
    expect(pages).toBe(3);
    const filtered = await same(owner(), CONVERSATIONS, {
      first: 50,
      filter: { kinds: ['COMMENT'], search: 'zamówienie' },
      sort: 'LONGEST_WAITING',
    });
    expect(filtered.body.data.conversations.edges.length).toBe(3);
    await same(owner(), COUNTS, {});
    await same(scopedToken, CONVERSATIONS, { first: 50 });
  });

  it('a conversation with messages, notes, tags and earlier conversations', async () => {
    const r = await same(owner(), CONVERSATION, { id: ids.c0, first: 10 });
    expect(r.body.data.conversation.tags.map((x: any) => x.name).sort()).toEqual(['Refund', 'VIP']);
    expect(r.body.data.conversation.notes).toHaveLength(1);
  });

  it('fragments, aliases, @include / @skip and __typename', async () => {
    const r = await same(
      owner(),
      `query($id: ID!, $withTags: Boolean!, $noContact: Boolean!) {
        first: conversation(id: $id) { ...C tags @include(if: $withTags) { name } contact @skip(if: $noContact) { id } }
        again: conversation(id: $id) { __typename id ... on ConversationDetail { status } }
      }
      fragment C on ConversationDetail { __typename id priority lastMessage { body } }`,
      { id: ids.c0, withTags: true, noContact: true },
    );
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.first.tags).toHaveLength(2);
    expect(r.body.data.first.contact).toBeUndefined();
  });

  it('errors: NOT_FOUND across tenants and out of scope, FORBIDDEN, with partial data', async () => {
    const op = `query($id: ID!) { me { role user { email } } conversation(id: $id) { id } }`;
    const other = await same(owner(), op, { id: ids.other });
    expect(other.body.errors[0].extensions.code).toBe('NOT_FOUND');
    const outOfScope = await same(scopedToken, op, { id: ids.c0 });
    expect(outOfScope.body.errors[0].extensions.code).toBe('NOT_FOUND');
    const forbidden = await same(
      viewerToken,
      `mutation($input: ConversationTagsInput!) { addConversationTags(input: $input) { id } }`,
      { input: { conversationId: ids.c1, tags: ['x'] } },
    );
    expect(forbidden.body.errors[0].extensions.code).toBe('FORBIDDEN');
    const anonymous = await same(undefined, op, { id: ids.c0 });
    expect(anonymous.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    await same(owner(), crossTenant('query($id: ID!) { conversation(id: $id) { id } }'), { id: ids.other });
  });

  it('variables that do not coerce: BAD_USER_INPUT with the same message and status', async () => {
    const cases: Array<Record<string, unknown>> = [
      { first: 'many' },
      { first: 2 ** 40 },
      { sort: 'SIDEWAYS' },
      { filter: { statuses: ['NOPE'] } },
      { filter: { unknownField: 1 } },
      { after: 42 },
    ];
    for (const variables of cases) {
      const r = await same(owner(), CONVERSATIONS, variables);
      expect(r.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    }
    const missing = await same(owner(), CONVERSATION, {});
    expect(missing.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  const documents = async (executor: string) =>
    (await graphqlDocuments.get()).values.find((v) => v.labels.executor === executor)?.value ?? 0;

  it('compiles each document once and runs it compiled after that', async () => {
    const before = { jit: await documents('jit'), js: await documents('graphql-js') };
    const op = `query { conversationCounts { total } }`;
    for (let i = 0; i < 3; i++) await same(owner(), op);
    expect(await documents('jit')).toBe(before.jit + 1);
    expect(await documents('graphql-js')).toBe(before.js);
  });

  it('an input field that is non-null with a default, through a variable (graphql-js runs it)', async () => {
    const before = await documents('graphql-js');
    const reply = `mutation($input: ReplyToConversationInput!) { replyToConversation(input: $input) { visibility status } }`;
    for (const url of [t.baseUrl, interpreterUrl]) {
      const r = await new GqlClient(url, owner()).raw(reply, {
        input: { conversationId: ids.c4, body: 'Thanks for waiting, it ships today.' }, // a comment: a DM is always PRIVATE
      });
      expect(r.body.errors).toBeUndefined();
      expect(r.body.data.replyToConversation).toEqual({ visibility: 'PUBLIC', status: 'QUEUED' });
    }
    expect(await documents('graphql-js')).toBe(before + 1);
  });
});

import { STRONG_PASSWORD } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Limits are set low here so that small documents cross them. Each refused mutation is a signUp: if a
 * resolver had run, an agency row would exist.
 */
describe('GraphQL limits and request hardening', () => {
  let t: TestApp;
  let seq = 0;
  const signUpInput = () => ({
    agencyName: 'Limits',
    name: 'Lee Limits',
    email: `limits-${process.pid}-${++seq}@example.com`,
    password: STRONG_PASSWORD,
  });
  const agencies = async () => (await t.ownerQuery('SELECT count(*)::int AS n FROM agencies'))[0].n as number;

  beforeAll(async () => {
    t = await startTestApp({
      GRAPHQL_MAX_DEPTH: '2',
      GRAPHQL_MAX_ALIASES: '2',
      GRAPHQL_MAX_TOKENS: '500',
      GRAPHQL_MAX_COMPLEXITY: '10',
    });
  });
  afterAll(() => t.close());

  async function refused(query: string, variables: Record<string, unknown> | undefined, message: RegExp) {
    const r = await t.gql.request(query, variables);
    expect(r.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(r.errors?.[0].message).toMatch(message);
    expect(r.data?.signUp ?? null).toBeNull();
  }

  it('accepts a document within every limit', async () => {
    const data = await t.gql.ok(`mutation($input: SignUpInput!) { signUp(input: $input) { accessToken } }`, {
      input: signUpInput(),
    });
    expect(typeof data.signUp.accessToken).toBe('string');
  });

  it('refuses a document deeper than GRAPHQL_MAX_DEPTH before the resolver runs', async () => {
    const before = await agencies();
    await refused(
      `mutation($input: SignUpInput!) { signUp(input: $input) { user { id } } }`,
      { input: signUpInput() },
      /depth/i,
    );
    expect(await agencies()).toBe(before);
  });

  it('refuses more aliases than GRAPHQL_MAX_ALIASES before any resolver runs', async () => {
    const before = await agencies();
    await refused(
      `mutation($a: SignUpInput!, $b: SignUpInput!, $c: SignUpInput!) {
        a: signUp(input: $a) { accessToken } b: signUp(input: $b) { accessToken } c: signUp(input: $c) { accessToken }
      }`,
      { a: signUpInput(), b: signUpInput(), c: signUpInput() },
      /alias/i,
    );
    expect(await agencies()).toBe(before);
  });

  it('refuses too many directives', async () => {
    const fields = Array.from({ length: 51 }, () => `__typename @include(if: true)`).join(' ');
    await refused(`{ ${fields} }`, undefined, /directive/i);
  });

  it('refuses a document with more tokens than GRAPHQL_MAX_TOKENS', async () => {
    const before = await agencies();
    const padding = Array.from({ length: 500 }, () => 'accessToken').join(' ');
    await refused(
      `mutation($input: SignUpInput!) { signUp(input: $input) { ${padding} } }`,
      { input: signUpInput() },
      /tokens/i,
    );
    expect(await agencies()).toBe(before);
  });

  it('refuses a document costlier than GRAPHQL_MAX_COMPLEXITY before the resolver runs', async () => {
    const before = await agencies();
    const fields = Array.from({ length: 12 }, () => 'accessToken').join(' ');
    await refused(
      `mutation($input: SignUpInput!) { signUp(input: $input) { ${fields} } }`,
      { input: signUpInput() },
      /complex/i,
    );
    expect(await agencies()).toBe(before);
  });

  it('refuses a batched (JSON array) request with a coded error', async () => {
    const before = await agencies();
    const op = { query: `mutation($input: SignUpInput!) { signUp(input: $input) { accessToken } }` };
    const res = await post(
      JSON.stringify([
        { ...op, variables: { input: signUpInput() } },
        { ...op, variables: { input: signUpInput() } },
      ]),
    );
    expect(res.status).toBe(400);
    const body: any = await res.json();
    expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(body.errors[0].message).toMatch(/batching/i);
    expect(await agencies()).toBe(before);
  });

  it('lets a 1 MB string argument reach validation (BAD_USER_INPUT) and writes nothing', async () => {
    const before = await agencies();
    const r = await t.gql.request(
      `mutation($input: SignUpInput!) { signUp(input: $input) { accessToken } }`,
      {
        input: { ...signUpInput(), agencyName: 'x'.repeat(1_000_000) },
      },
    );
    expect(r.status).toBeLessThan(500);
    expect(r.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(await agencies()).toBe(before);
  });

  it('answers an over-limit body in GraphQL shape with BAD_USER_INPUT, not an HTML page', async () => {
    const res = await post(
      JSON.stringify({ query: '{ __typename }', variables: { x: 'x'.repeat(3_000_000) } }),
    );
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const body: any = await res.json();
    expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(body.errors[0].message).toMatch(/larger than/i);
  });

  it('sends no ETag (Express would hash every answer) and no X-Powered-By', async () => {
    const res = await post(JSON.stringify({ query: '{ __typename }' }));
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBeNull();
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('answers malformed JSON in GraphQL shape with BAD_USER_INPUT', async () => {
    const res = await post('{"query": ');
    expect(res.status).toBe(400);
    const body: any = await res.json();
    expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('keeps CSRF prevention: a simple (non-JSON, no preflight header) request is refused', async () => {
    const res = await fetch(`${t.baseUrl}/graphql?query=${encodeURIComponent('{ __typename }')}`);
    expect(res.status).toBe(400);
    const body: any = await res.json();
    expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  function post(body: string) {
    return fetch(`${t.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'apollo-require-preflight': 'true' },
      body,
    });
  }
});

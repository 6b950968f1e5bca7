import { getIntrospectionQuery } from 'graphql';
import { startTestApp, TestApp } from '../support/test-app';

const INTROSPECTION = '{ __schema { queryType { name } } }';

describe('offline GraphQL IDE in development', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ NODE_ENV: 'development' });
  });
  afterAll(() => t.close());

  for (const path of ['/graphql', '/graphiql']) {
    it(`serves GraphiQL at GET ${path} referencing only local assets, each of which loads`, async () => {
      const res = await fetch(`${t.baseUrl}${path}`, { headers: { accept: 'text/html' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      const html = await res.text();
      expect(html).toContain('GraphiQL');
      expect(html).not.toMatch(/https?:\/\//);
      expect(html).not.toMatch(/src="\/\/|href="\/\//);

      const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
      expect(refs.length).toBeGreaterThanOrEqual(4);
      for (const ref of refs) {
        expect(ref).toMatch(/^\/graphiql\/assets\//);
        const asset = await fetch(`${t.baseUrl}${ref}`);
        expect([ref, asset.status]).toEqual([ref, 200]);
        expect(asset.headers.get('content-type')).toMatch(ref.endsWith('.css') ? /text\/css/ : /javascript/);
        expect((await asset.arrayBuffer()).byteLength).toBeGreaterThan(1000);
      }
    });
  }

  it('still answers GraphQL over GET /graphql for non-browser clients', async () => {
    const res = await fetch(`${t.baseUrl}/graphql?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { accept: 'application/json', 'apollo-require-preflight': 'true' },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('answers 404 for an asset name it does not list', async () => {
    const res = await fetch(`${t.baseUrl}/graphiql/assets/package.json`);
    expect(res.status).toBe(404);
  });

  it('allows introspection, including the full query GraphiQL sends, within the default limits', async () => {
    const data = await t.gql.ok(INTROSPECTION);
    expect(data.__schema.queryType.name).toBe('Query');
    const full = await t.gql.ok(getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true }));
    expect(full.__schema.types.length).toBeGreaterThan(10);
  });
});

describe('GraphQL IDE and introspection with NODE_ENV=production', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ NODE_ENV: 'production', GRAPHQL_IDE: 'true' });
  });
  afterAll(() => t.close());

  it('does not serve the IDE or its assets', async () => {
    expect((await fetch(`${t.baseUrl}/graphiql`, { headers: { accept: 'text/html' } })).status).toBe(404);
    expect((await fetch(`${t.baseUrl}/graphiql/assets/graphiql.js`)).status).toBe(404);
    const res = await fetch(`${t.baseUrl}/graphql`, { headers: { accept: 'text/html' } });
    expect(res.headers.get('content-type') ?? '').not.toMatch(/text\/html/);
    expect(await res.text()).not.toContain('GraphiQL');
  });

  it('refuses introspection with a coded error', async () => {
    expect(await t.gql.code(INTROSPECTION)).toBe('BAD_USER_INPUT');
  });

  it('still serves ordinary operations', async () => {
    expect(await t.gql.ok('{ __typename }')).toEqual({ __typename: 'Query' });
  });
});

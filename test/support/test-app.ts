import { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import { createApi } from '../../apps/api/src/bootstrap';
import { GqlClient } from './graphql-client';
import { createTestDatabase, setTestEnv } from './test-env';

export interface TestApp {
  app: INestApplication;
  baseUrl: string;
  gql: GqlClient;
  /** The owner connection to this file's database, for assertions that must see every row. */
  ownerUrl: string;
  ownerQuery<R = any>(sql: string, params?: unknown[]): Promise<R[]>;
  /** `count(*)` of `from` (a table, optionally with WHERE …), read as the owner: what was written. */
  count(from: string, params?: unknown[]): Promise<number>;
  close(): Promise<void>;
}

/** Boots the real API on its own database and a random port. One per test file. */
export async function startTestApp(extraEnv: Record<string, string> = {}): Promise<TestApp> {
  const db = await createTestDatabase();
  setTestEnv(db.ownerUrl, extraEnv);
  const app = await createApi();
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  const baseUrl = `http://127.0.0.1:${address.port}`;
  const owner = new Client({ connectionString: db.ownerUrl });
  await owner.connect();
  // One session, one statement at a time: tests call ownerQuery from Promise.all, and a pg Client
  // given a second query while one runs only queues it by a path pg 9 removes (DeprecationWarning).
  let last: Promise<unknown> = Promise.resolve();
  const query = (sql: string, params?: unknown[]) => {
    const next = last.then(() => owner.query(sql, params as any[]));
    last = next.catch(() => undefined);
    return next;
  };
  return {
    app,
    baseUrl,
    gql: new GqlClient(baseUrl),
    ownerUrl: db.ownerUrl,
    ownerQuery: async (sql, params) => (await query(sql, params)).rows,
    count: async (from, params) =>
      Number((await query(`SELECT count(*)::int AS n FROM ${from}`, params)).rows[0].n),
    close: async () => {
      await owner.end();
      await app.close();
    },
  };
}

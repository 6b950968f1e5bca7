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
  return {
    app,
    baseUrl,
    gql: new GqlClient(baseUrl),
    ownerUrl: db.ownerUrl,
    ownerQuery: async (sql, params) => (await owner.query(sql, params as any[])).rows,
    count: async (from, params) =>
      Number((await owner.query(`SELECT count(*)::int AS n FROM ${from}`, params as any[])).rows[0].n),
    close: async () => {
      await owner.end();
      await app.close();
    },
  };
}

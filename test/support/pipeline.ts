import { randomUUID } from 'node:crypto';
import { SignedUp, signUpAgency } from './fixtures';
import { GqlClient } from './graphql-client';
import { startTestApp, TestApp } from './test-app';
import { startTestWorker, TestWorker } from './test-worker';

/**
 * The whole message pipeline in one test file: the API (webhooks, GraphQL), the worker in-process
 * (ingest, send, sweeper) and whatever fake platform servers the test started, all on this file's
 * database and queue prefix.
 *
 *   const fake = await startFakeMeta();                       // your fake, on 127.0.0.1
 *   const p = await startPipeline({ META_GRAPH_API_URL: fake.url });
 *   const a = await p.signUp();
 *   const brandId = await p.createBrand(a);
 *   const channel = await p.connectChannel(a, brandId, 'FACEBOOK_PAGE', 'page-123');
 *   … POST a signed webhook to `${p.t.baseUrl}/webhooks/meta` …
 *   await p.waitForEvents();                                   // every inbound event done
 *   expect(await p.t.count('messages WHERE agency_id = $1', [a.agencyId])).toBe(1);
 *   await p.close();
 */
export interface Pipeline {
  t: TestApp;
  /** The in-process worker; `restartWorker()` replaces it. Null when started with `{ worker: false }`. */
  worker: TestWorker | null;
  /** A new agency and its owner (a GraphQL client acting as the owner is `.client`). */
  signUp(name?: string): Promise<SignedUp>;
  /** A brand of `owner`'s agency, through GraphQL createBrand; returns its id. */
  createBrand(owner: SignedUp, input?: Record<string, unknown>): Promise<string>;
  /**
   * Connects a channel through GraphQL connectChannel. `externalAccountId` defaults to a unique one
   * (channel routes are global across agencies, so tests must not share ids).
   */
  connectChannel(
    owner: SignedUp,
    brandId: string,
    platform: string,
    externalAccountId?: string,
    credentials?: Record<string, unknown>,
  ): Promise<{ id: string; externalAccountId: string }>;
  /**
   * Resolves when no inbound event (of `agencyId`, if given) is PENDING any more: each is
   * PROCESSED, IGNORED, FAILED or WAITING_FOR_RECONNECT. Polls the owner connection; rejects after `timeoutMs`.
   */
  waitForEvents(opts?: { agencyId?: string; timeoutMs?: number }): Promise<void>;
  /** Closes the worker and starts a fresh one on the same database and queues. */
  restartWorker(): Promise<TestWorker>;
  close(): Promise<void>;
}

const CREATE_BRAND = `mutation($input: CreateBrandInput!) { createBrand(input: $input) { id } }`;
const CONNECT = `mutation($input: ConnectChannelInput!) { connectChannel(input: $input) { id externalAccountId } }`;

let seq = 0;
/** An external account id no other test or run uses. */
export const uniqueAccountId = (prefix = 'acct') =>
  `${prefix}-${process.pid}-${Date.now().toString(36)}-${++seq}`;

/**
 * Boots the API with `env` (platform secrets, `*_API_URL`s of your fakes, SWEEP_* …) and, unless
 * `{ worker: false }`, the worker. Start fakes first so their URLs can go into `env`.
 */
export async function startPipeline(
  env: Record<string, string> = {},
  opts: { worker?: boolean } = {},
): Promise<Pipeline> {
  const t = await startTestApp(env);
  const p: Pipeline = {
    t,
    worker: opts.worker === false ? null : await startTestWorker(),
    signUp: (name = 'Agency') => signUpAgency(t.gql, name),
    createBrand: async (owner, input = {}) => {
      const data = await owner.client.ok(CREATE_BRAND, {
        input: { name: `Brand ${randomUUID().slice(0, 8)}`, timezone: 'UTC', languages: ['en'], ...input },
      });
      return data.createBrand.id;
    },
    connectChannel: async (owner, brandId, platform, externalAccountId = uniqueAccountId(), credentials) => {
      const data = await owner.client.ok(CONNECT, {
        input: {
          brandId,
          platform,
          externalAccountId,
          displayName: `${platform} test channel`,
          credentials: credentials ?? { accessToken: `test-token-${randomUUID()}` },
        },
      });
      return data.connectChannel;
    },
    waitForEvents: async ({ agencyId, timeoutMs = 60_000 } = {}) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const pending = agencyId
          ? await t.count(`inbound_events WHERE status = 'PENDING' AND agency_id = $1`, [agencyId])
          : await t.count(`inbound_events WHERE status = 'PENDING'`);
        if (pending === 0) return;
        if (Date.now() > deadline) throw new Error(`${pending} inbound event(s) still PENDING`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    restartWorker: async () => {
      await p.worker?.close();
      p.worker = await startTestWorker();
      return p.worker;
    },
    close: async () => {
      await p.worker?.close();
      await t.close();
    },
  };
  return p;
}

export type { GqlClient, SignedUp };

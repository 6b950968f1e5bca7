import { randomUUID } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { createApi } from '../../apps/api/src/bootstrap';
import { CONNECT, connectInput, insertBrand } from '../channels/channel-helpers';
import { eventually } from '../support/eventually';
import { SignedUp } from '../support/fixtures';
import { GqlClient } from '../support/graphql-client';
import { TestApp } from '../support/test-app';
import { Seeded, withNewCustomer } from '../outbound/outbound-support';

export const CONVERSATION_EVENTS = `subscription($brandIds: [ID!]) {
  conversationEvents(brandIds: $brandIds) { type conversationId brandId messageId change }
}`;
export const CONVERSATION_PRESENCE = `subscription($id: ID!) {
  conversationPresence(conversationId: $id) { conversationId entries { userId name state since expiresAt } }
}`;
export const PRESENCE = `query($id: ID!) { presence(conversationId: $id) { conversationId entries { userId name state } } }`;
export const SET_PRESENCE = `mutation($id: ID!, $state: PresenceState!) {
  setPresence(conversationId: $id, state: $state) { conversationId entries { userId name state } }
}`;

/** A second API process on the same database, Redis and queue prefix as `t` (started just before). */
export async function startSecondApi(): Promise<{
  app: INestApplication;
  gql: GqlClient;
  close(): Promise<void>;
}> {
  const app = await createApi();
  await app.listen(0, '127.0.0.1');
  const gql = new GqlClient(`http://127.0.0.1:${app.getHttpServer().address().port}`);
  return { app, gql, close: () => app.close() };
}

/** What one subscription received, collected for assertions. */
export class Received<T = any> {
  readonly items: T[] = [];
  errors: any;
  completed = false;

  /** Waits until `count` items (or one matching `match`) arrived; answers them. */
  async until(match: number | ((item: T) => boolean), timeoutMs = 10_000): Promise<T[]> {
    return eventually(async () => {
      if (this.errors) throw new Error(`subscription failed: ${JSON.stringify(this.errors)}`);
      const ok = typeof match === 'number' ? this.items.length >= match : this.items.some(match);
      return ok ? this.items : undefined;
    }, timeoutMs);
  }

  /** Waits for the subscription to end with errors; answers them. */
  async failure(timeoutMs = 10_000): Promise<any[]> {
    return eventually(async () => this.errors ?? undefined, timeoutMs);
  }
}

export interface Socket {
  client: Client;
  /** The close event, once the server (or we) closed the socket. */
  closed: Promise<{ code: number; reason: string }>;
  subscribe<T = any>(query: string, variables?: Record<string, unknown>): Received<T> & { stop(): void };
  /** A query or mutation on this socket. */
  run<T = any>(query: string, variables?: Record<string, unknown>): Promise<{ data?: T; errors?: any[] }>;
  close(): Promise<void>;
}

/** A real graphql-ws client (the `ws` package) on `baseUrl`'s /graphql, authenticated with `token`. */
export function openSocket(baseUrl: string, token: string | null): Socket {
  let onClosed: (e: { code: number; reason: string }) => void = () => undefined;
  const closed = new Promise<{ code: number; reason: string }>((resolve) => (onClosed = resolve));
  const client = createClient({
    url: `${baseUrl.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: token === null ? {} : { authorization: `Bearer ${token}` },
    retryAttempts: 0,
    lazy: false,
    onNonLazyError: () => undefined,
    on: { closed: (e: any) => onClosed({ code: e.code, reason: String(e.reason) }) },
  });
  return {
    client,
    closed,
    subscribe(query, variables) {
      const r = new Received() as Received & { stop(): void };
      r.stop = client.subscribe(
        { query, variables },
        {
          next: (v: any) => (v.errors ? (r.errors = v.errors) : r.items.push(v.data)),
          error: (e: unknown) => (r.errors = e),
          complete: () => (r.completed = true),
        },
      );
      return r;
    },
    run(query, variables) {
      return new Promise((resolve, reject) => {
        let result: any;
        client.subscribe(
          { query, variables },
          {
            next: (v) => (result = v),
            error: (e) => (Array.isArray(e) ? resolve({ errors: e }) : reject(e)),
            complete: () => resolve(result),
          },
        );
      });
    },
    close: async () => {
      await client.dispose();
      await closed;
    },
  };
}

/** Another brand of `owner`'s agency with a connected channel and a customer. */
export async function seedBrand(t: TestApp, owner: SignedUp): Promise<Seeded> {
  const brandId = await insertBrand(t, owner.agencyId);
  const { connectChannel } = await owner.client.ok(CONNECT, { input: connectInput(brandId) });
  return withNewCustomer(t, {
    agency: owner,
    brandId,
    channelId: connectChannel.id,
    accountId: connectChannel.externalAccountId,
  });
}

/**
 * Resolves once `received` is live: a subscription gives no signal when the server has subscribed to
 * Redis, so publish PROBE events (as the worker would) until one arrives. Tests ignore PROBEs.
 */
export async function untilListening(
  live: {
    conversationChanged(
      agencyId: string,
      e: { brandId: string; conversationId: string; change: string },
    ): Promise<void>;
  },
  received: Received,
  agencyId: string,
  brandId: string,
): Promise<void> {
  const probe = randomUUID();
  await eventually(async () => {
    if (received.items.some((i) => i.conversationEvents?.conversationId === probe)) return true;
    await live.conversationChanged(agencyId, { brandId, conversationId: probe, change: 'PROBE' });
    return undefined;
  }, 10_000);
}

/** The conversationEvents a subscription received, without probes. */
export const eventsOf = (r: Received) =>
  r.items.map((i) => i.conversationEvents).filter((e) => e.change !== 'PROBE');

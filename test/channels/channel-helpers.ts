import { randomUUID } from 'node:crypto';
import { PasswordService } from '@caredesk/identity';
import { GqlClient } from '../support/graphql-client';
import { STRONG_PASSWORD } from '../support/fixtures';
import { TestApp } from '../support/test-app';

export const CHANNEL_FIELDS = `id brandId platform externalAccountId displayName status hasCredentials connectedAt disconnectedAt`;

export const CONNECT = `mutation($input: ConnectChannelInput!) { connectChannel(input: $input) { ${CHANNEL_FIELDS} } }`;
export const DISCONNECT = `mutation($id: ID!) { disconnectChannel(id: $id) { ${CHANNEL_FIELDS} } }`;
export const RECONNECT = `mutation($input: ReconnectChannelInput!) { reconnectChannel(input: $input) { ${CHANNEL_FIELDS} } }`;
export const CHANNELS = `query($brandId: ID!, $all: Boolean) { channels(brandId: $brandId, includeDisconnected: $all) { ${CHANNEL_FIELDS} } }`;
export const CHANNEL = `query($id: ID!) { channel(id: $id) { ${CHANNEL_FIELDS} } }`;

let seq = 0;
/** An external account id no other test (or run) uses: routes are global across agencies. */
export const uniqueAccount = (prefix = 'page') =>
  `${prefix}-${process.pid}-${Date.now().toString(36)}-${++seq}`;

/**
 * Inserts a brand with the owner connection. The brands engineer's createBrand is built in parallel;
 * channels only need a brand row to hang off.
 */
export async function insertBrand(t: TestApp, agencyId: string, name = 'Brand'): Promise<string> {
  const id = randomUUID();
  await t.ownerQuery(
    `INSERT INTO brands (agency_id, id, name, slug, timezone) VALUES ($1, $2, $3, $4, 'Europe/Berlin')`,
    [agencyId, id, name, `b-${id.slice(0, 8)}`],
  );
  return id;
}

const LOGIN = `mutation($input: LoginInput!) { login(input: $input) { accessToken } }`;

/** A member of `agencyId` with `role`, limited to `brandIds` (null: every brand), logged in. */
export async function createMember(
  t: TestApp,
  agencyId: string,
  role: string,
  brandIds: string[] | null,
): Promise<GqlClient> {
  const userId = randomUUID();
  const membershipId = randomUUID();
  const email = `member-${userId.slice(0, 8)}@example.com`;
  const hash = await t.app.get(PasswordService).hash(STRONG_PASSWORD);
  await t.ownerQuery(`INSERT INTO users (id, email, name, password_hash) VALUES ($1, $2, 'Member', $3)`, [
    userId,
    email,
    hash,
  ]);
  await t.ownerQuery(
    `INSERT INTO memberships (agency_id, id, user_id, role, all_brands) VALUES ($1, $2, $3, $4, $5)`,
    [agencyId, membershipId, userId, role, brandIds === null],
  );
  for (const brandId of brandIds ?? []) {
    await t.ownerQuery(
      `INSERT INTO membership_brands (agency_id, membership_id, brand_id) VALUES ($1, $2, $3)`,
      [agencyId, membershipId, brandId],
    );
  }
  const { login } = await t.gql.ok(LOGIN, { input: { email, password: STRONG_PASSWORD, agencyId } });
  return t.gql.as(login.accessToken);
}

export function connectInput(brandId: string, overrides: Record<string, unknown> = {}) {
  return {
    brandId,
    platform: 'FACEBOOK_PAGE',
    externalAccountId: uniqueAccount(),
    displayName: 'Acme on Facebook',
    credentials: { accessToken: `EAAG-secret-${randomUUID()}` },
    ...overrides,
  };
}

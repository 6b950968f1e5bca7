import { randomUUID } from 'node:crypto';
import { PasswordService } from '@caredesk/identity';
import { STRONG_PASSWORD } from './fixtures';
import { GqlClient } from './graphql-client';
import { TestApp } from './test-app';

export interface Member {
  userId: string;
  membershipId: string;
  email: string;
  token: string;
  client: GqlClient;
}

const LOGIN = `mutation($input: LoginInput!) { login(input: $input) { accessToken } }`;

/**
 * A member of `agencyId` with `role`, limited to `brandIds` (null: every brand), logged in over HTTP.
 * Rows are written with the owner connection, so suites need not depend on invitations.
 */
export async function createMember(
  t: TestApp,
  agencyId: string,
  role: 'OWNER' | 'ADMIN' | 'MANAGER' | 'AGENT' | 'CLIENT_VIEWER',
  brandIds: string[] | null = null,
): Promise<Member> {
  const userId = randomUUID();
  const membershipId = randomUUID();
  const email = `member-${userId}@example.com`;
  const hash = await t.app.get(PasswordService).hash(STRONG_PASSWORD);
  await t.ownerQuery(`INSERT INTO users (id, email, name, password_hash) VALUES ($1, $2, $3, $4)`, [
    userId,
    email,
    `${role} member`,
    hash,
  ]);
  await t.ownerQuery(
    `INSERT INTO memberships (agency_id, id, user_id, role, all_brands) VALUES ($1, $2, $3, $4, $5)`,
    [agencyId, membershipId, userId, role, brandIds === null],
  );
  if (brandIds?.length) {
    await t.ownerQuery(
      `INSERT INTO membership_brands (agency_id, membership_id, brand_id) SELECT $1, $2, unnest($3::uuid[])`,
      [agencyId, membershipId, brandIds],
    );
  }
  const { login } = await t.gql.ok(LOGIN, { input: { email, password: STRONG_PASSWORD, agencyId } });
  return { userId, membershipId, email, token: login.accessToken, client: t.gql.as(login.accessToken) };
}

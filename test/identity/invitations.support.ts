import { randomUUID } from 'node:crypto';
import { GqlClient } from '../support/graphql-client';
import { SmtpCapture, startSmtpCapture, tokenFromMail } from '../support/smtp-capture';
import { startTestApp, TestApp } from '../support/test-app';
import { startTestWorker, TestWorker } from '../support/test-worker';

/** The API, the worker and an SMTP capture, wired together: mail really goes API → Redis → worker → SMTP. */
export interface MailStack {
  t: TestApp;
  smtp: SmtpCapture;
  worker: TestWorker;
  close(): Promise<void>;
}

export async function startMailStack(): Promise<MailStack> {
  const smtp = await startSmtpCapture();
  const t = await startTestApp({ SMTP_URL: smtp.url, APP_URL: 'http://app.caredesk.test' });
  const stack: MailStack = {
    t,
    smtp,
    worker: await startTestWorker(),
    // Reads stack.worker at close time: a test may have replaced it with a restarted worker.
    close: async () => {
      await stack.worker.close();
      await t.close();
      await smtp.close();
    },
  };
  return stack;
}

let seq = 0;
export const uniqueEmail = (who = 'member') =>
  `${who}-${process.pid}-${Date.now().toString(36)}-${++seq}@example.com`;

/** A brand row written directly (the brands API is another context's; these tests only need ids). */
export async function insertBrand(t: TestApp, agencyId: string, name = 'Brand'): Promise<string> {
  const id = randomUUID();
  await t.ownerQuery(
    `INSERT INTO brands (agency_id, id, name, slug, timezone) VALUES ($1, $2, $3, $4, 'UTC')`,
    [agencyId, id, name, `b-${id.slice(0, 8)}`],
  );
  return id;
}

export const INVITE_MEMBER = `mutation($input: InviteMemberInput!) {
  inviteMember(input: $input) { id email role brandIds expiresAt createdAt }
}`;
export const INVITE_STAKEHOLDER = `mutation($brandId: ID!, $email: String!) {
  inviteStakeholder(brandId: $brandId, email: $email) { id email role brandIds }
}`;
export const ACCEPT = `mutation($token: String!, $name: String!, $password: String!) {
  acceptInvitation(token: $token, name: $name, password: $password) {
    accessToken refreshToken user { id email name } agency { id }
  }
}`;
export const MEMBERS = `{ members { id role brandIds createdAt user { id email name } } }`;

export const MEMBER_PASSWORD = 'a long and unusual passphrase';

export interface Joined {
  client: GqlClient;
  token: string;
  refreshToken: string;
  userId: string;
  email: string;
  membershipId: string;
}

/** Invites someone as `inviter`, reads the token from the mail that arrives, and accepts it. */
export async function inviteAndAccept(
  s: MailStack,
  inviter: GqlClient,
  grant: { role: string; brandIds?: string[] | null; email?: string },
): Promise<Joined> {
  const email = grant.email ?? uniqueEmail(grant.role.toLowerCase());
  await inviter.ok(INVITE_MEMBER, { input: { email, role: grant.role, brandIds: grant.brandIds } });
  const mail = await s.smtp.waitFor((m) => m.to.includes(email));
  const { acceptInvitation: p } = await s.t.gql.ok(ACCEPT, {
    token: tokenFromMail(mail),
    name: 'Mia Member',
    password: MEMBER_PASSWORD,
  });
  const [{ id: membershipId }] = await s.t.ownerQuery(
    `SELECT id FROM memberships WHERE agency_id = $1 AND user_id = $2`,
    [p.agency.id, p.user.id],
  );
  return {
    client: s.t.gql.as(p.accessToken),
    token: p.accessToken,
    refreshToken: p.refreshToken,
    userId: p.user.id,
    email,
    membershipId,
  };
}

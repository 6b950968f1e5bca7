import { randomUUID } from 'node:crypto';
import { ConnectorRegistry } from '@caredesk/channels';
import { CONNECT, connectInput, insertBrand } from '../channels/channel-helpers';
import { GenericTestConnector } from '../fakes/generic-connector';
import { GenericPlatform, startGenericPlatform } from '../fakes/generic-platform';
import { signUpAgency, SignedUp } from '../support/fixtures';
import { GqlClient } from '../support/graphql-client';
import { SmtpCapture, startSmtpCapture } from '../support/smtp-capture';
import { startTestApp, TestApp } from '../support/test-app';
import { startTestWorker, TestWorker } from '../support/test-worker';

export const MESSAGE_FIELDS = `id conversationId direction visibility body status externalId failureCode failureMessage
  attachments { type url } hiddenAt deletedAt createdAt`;
export const REPLY = `mutation($input: ReplyToConversationInput!) { replyToConversation(input: $input) { ${MESSAGE_FIELDS} } }`;
export const MODERATE = `mutation($input: ModerateMessageInput!) { moderateMessage(input: $input) { ${MESSAGE_FIELDS} } }`;

/** API + worker + SMTP capture + the generic fake platform, with the test connector in the worker. */
export interface OutboundStack {
  t: TestApp;
  worker: TestWorker;
  smtp: SmtpCapture;
  fake: GenericPlatform;
  close(): Promise<void>;
}

export async function startOutboundStack(env: Record<string, string> = {}): Promise<OutboundStack> {
  const smtp = await startSmtpCapture();
  const fake = await startGenericPlatform();
  const t = await startTestApp({ SMTP_URL: smtp.url, APP_URL: 'http://app.caredesk.test', ...env });
  const worker = await startTestWorker();
  worker.app.get(ConnectorRegistry).override(new GenericTestConnector(fake.url, 1000));
  return {
    t,
    worker,
    smtp,
    fake,
    close: async () => {
      await worker.close();
      await t.close();
      await fake.close();
      await smtp.close();
    },
  };
}

export interface Seeded {
  agency: SignedUp;
  brandId: string;
  channelId: string;
  accountId: string;
  platform: string;
  contactId: string;
  identityId: string;
  authorId: string;
}

/** An agency with a brand and a connected Facebook page (through the API, so credentials are sealed). */
export async function seedAgency(
  t: TestApp,
  platform = 'FACEBOOK_PAGE',
  channel: Record<string, unknown> = {},
): Promise<Seeded> {
  const agency = await signUpAgency(t.gql, 'Outbound');
  const brandId = await insertBrand(t, agency.agencyId);
  const { connectChannel } = await agency.client.ok(CONNECT, {
    input: connectInput(brandId, { platform, ...channel }),
  });
  return withNewCustomer(t, {
    agency,
    brandId,
    channelId: connectChannel.id,
    accountId: connectChannel.externalAccountId,
    platform,
  });
}

/** Another customer (contact + identity) on the same channel: DM thread keys are per customer. */
export async function withNewCustomer(
  t: TestApp,
  s: Pick<Seeded, 'agency' | 'brandId' | 'channelId' | 'accountId'> & { platform?: string },
): Promise<Seeded> {
  const { agency, brandId } = s;
  const platform = s.platform ?? 'FACEBOOK_PAGE';
  const contactId = randomUUID();
  const identityId = randomUUID();
  const authorId = `user-${randomUUID().slice(0, 8)}`;
  await t.ownerQuery(
    `INSERT INTO contacts (agency_id, id, brand_id, display_name) VALUES ($1, $2, $3, 'Carla Customer')`,
    [agency.agencyId, contactId, brandId],
  );
  await t.ownerQuery(
    `INSERT INTO contact_identities (agency_id, id, brand_id, contact_id, platform, external_user_id, username)
     VALUES ($1, $2, $3, $4, $5, $6, 'carla')`,
    [agency.agencyId, identityId, brandId, contactId, platform, authorId],
  );
  return {
    agency,
    brandId,
    channelId: s.channelId,
    accountId: s.accountId,
    platform,
    contactId,
    identityId,
    authorId,
  };
}

/** A conversation of `kind` with one inbound customer message; answers their ids. */
export async function seedConversation(
  t: TestApp,
  s: Seeded,
  kind: 'COMMENT' | 'DM' | 'MENTION' | 'REVIEW' | 'EMAIL' = 'COMMENT',
): Promise<{ conversationId: string; messageId: string; externalId: string; threadKey: string }> {
  const conversationId = randomUUID();
  const messageId = randomUUID();
  const externalId = `${kind.toLowerCase()}_${randomUUID().slice(0, 12)}`;
  const threadKey =
    kind === 'DM'
      ? `dm:${s.authorId}`
      : kind === 'COMMENT'
        ? `comment:post_1:${externalId}`
        : `${kind.toLowerCase()}:${externalId}`;
  await t.ownerQuery(
    `INSERT INTO conversations (agency_id, id, brand_id, channel_id, contact_id, kind, thread_key, last_inbound_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, now())`,
    [s.agency.agencyId, conversationId, s.brandId, s.channelId, s.contactId, kind, threadKey],
  );
  await t.ownerQuery(
    `INSERT INTO messages (agency_id, id, brand_id, channel_id, conversation_id, direction, visibility, external_id,
                           author_identity_id, body, status)
     VALUES ($1, $2, $3, $4, $5, 'INBOUND', $6, $7, $8, 'My order never arrived!', 'RECEIVED')`,
    [
      s.agency.agencyId,
      messageId,
      s.brandId,
      s.channelId,
      conversationId,
      kind === 'DM' || kind === 'EMAIL' ? 'PRIVATE' : 'PUBLIC',
      externalId,
      s.identityId,
    ],
  );
  return { conversationId, messageId, externalId, threadKey };
}

/** Makes the conversation wait since its customer message, as ingest leaves it; answers that time. */
export async function markWaiting(
  t: TestApp,
  c: { conversationId: string; messageId: string },
): Promise<Date> {
  const [row] = await t.ownerQuery(
    `UPDATE conversations c SET awaiting_reply_since = m.written_at FROM messages m
      WHERE m.id = $2 AND c.id = $1 RETURNING c.awaiting_reply_since`,
    [c.conversationId, c.messageId],
  );
  return row.awaiting_reply_since;
}

/** Polls (owner connection) until `check` answers a value; a wait, not a timing assertion. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | null | undefined | false>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function messageRow(t: TestApp, id: string): Promise<any> {
  const [row] = await t.ownerQuery(`SELECT * FROM messages WHERE id = $1`, [id]);
  return row;
}

/** Waits until the message leaves QUEUED/SENDING and answers the row. */
export function waitForFinalStatus(t: TestApp, id: string, timeoutMs?: number): Promise<any> {
  return waitFor(
    `message ${id} to be SENT or FAILED`,
    async () => {
      const row = await messageRow(t, id);
      return row && (row.status === 'SENT' || row.status === 'FAILED') ? row : null;
    },
    timeoutMs,
  );
}

export async function reply(client: GqlClient, conversationId: string, body: string, visibility?: string) {
  const { replyToConversation } = await client.ok(REPLY, { input: { conversationId, body, visibility } });
  return replyToConversation;
}

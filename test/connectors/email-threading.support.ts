import { eventually } from '../support/eventually';
import { Pipeline, SignedUp } from '../support/pipeline';
import { REPLY } from '../outbound/outbound-support';

/** replyToConversation, as the outbound suites send it. */
export { REPLY };

export interface MailHeaders {
  id: string;
  from: string;
  to: string;
  cc?: string;
  /** Minutes after 09:00 UTC on 24 Nov 2026: the Date header, which orders a thread. */
  minute: number;
  inReplyTo?: string;
  references?: string[];
  subject?: string;
  body?: string;
}

/** An RFC 5322 mail as another mail server delivers it. */
export function rawMail(h: MailHeaders): string {
  return [
    `From: ${h.from}`,
    `To: ${h.to}`,
    ...(h.cc ? [`Cc: ${h.cc}`] : []),
    `Subject: ${h.subject ?? 'Re: Order #20001 has not arrived'}`,
    `Date: ${writtenAt(h.minute).toUTCString()}`,
    `Message-ID: <${h.id}>`,
    ...(h.inReplyTo ? [`In-Reply-To: <${h.inReplyTo}>`] : []),
    ...(h.references?.length ? [`References: ${h.references.map((r) => `<${r}>`).join(' ')}`] : []),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    h.body ?? `Mail ${h.id}`,
    '',
  ].join('\r\n');
}

export const writtenAt = (minute: number) => new Date(Date.UTC(2026, 10, 24, 9, minute));

/** Reads where mails went, as the owner (every row). */
export function threadReads(p: Pipeline) {
  const placed = async (externalId: string, agencyId: string) =>
    (
      await p.t.ownerQuery<{ conversation_id: string; thread_key: string; brand_id: string }>(
        `SELECT m.conversation_id, c.thread_key, c.brand_id
           FROM messages m JOIN conversations c ON c.agency_id = m.agency_id AND c.id = m.conversation_id
          WHERE m.agency_id = $1 AND m.external_id = $2`,
        [agencyId, externalId],
      )
    )[0];
  const messagesIn = async (conversationId: string) =>
    (
      await p.t.ownerQuery<{ external_id: string }>(
        `SELECT external_id FROM messages WHERE conversation_id = $1 ORDER BY written_at, id`,
        [conversationId],
      )
    ).map((r) => r.external_id);
  const conversationExists = async (id: string) =>
    (await p.t.count('conversations WHERE id = $1', [id])) === 1;
  return { placed, messagesIn, conversationExists };
}

/** Replies in `conversationId` through GraphQL and waits for the send: its Message-ID. */
export async function sentReply(p: Pipeline, a: SignedUp, conversationId: string, body: string) {
  const { replyToConversation } = await a.client.ok(REPLY, {
    input: { conversationId, body, visibility: 'PRIVATE' },
  });
  const sent = await eventually(async () => {
    const [m] = await p.t.ownerQuery(`SELECT status, external_id FROM messages WHERE id = $1`, [
      replyToConversation.id,
    ]);
    return m.status === 'SENT' || m.status === 'FAILED' ? m : undefined;
  });
  if (sent.status !== 'SENT') throw new Error(`the reply was not sent: ${JSON.stringify(sent)}`);
  return sent.external_id as string;
}

import type { TenantTx } from '@caredesk/core';
import type { NormalizedMessage } from '@caredesk/channels';
import { EmailItem, FoundThread, personalRecipients, placeEmails, viaOf } from './email-threads.rules';

/** A message being placed, as this file needs it; `msg` is replaced when its thread key changes. */
export interface RepliedItem {
  target: { channelId: string };
  msg: Pick<
    NormalizedMessage,
    | 'kind'
    | 'direction'
    | 'externalId'
    | 'threadKey'
    | 'parentExternalId'
    | 'ancestorExternalIds'
    | 'customer'
    | 'occurredAt'
    | 'replyContext'
  >;
}

/** A message the item names that was not found stored: looked for again after the locks. */
export interface Unanswered {
  /** Position in the items. */
  item: number;
  externalId: string;
}

/** The addresses of a contact (its identities) as an array column; `$1` is the agency. */
const customersOf = (contactId: string) =>
  `ARRAY(SELECT ci.external_user_id FROM contact_identities ci WHERE ci.agency_id = $1 AND ci.contact_id = ${contactId})`;

/** Of message `m`'s conversation: one primary-key read each, so the plan is driven by the ids asked. */
const conversationOfMessage = (column: string) =>
  `(SELECT c.${column} FROM conversations c WHERE c.agency_id = m.agency_id AND c.id = m.conversation_id)`;

/** The customer's addresses of message `m`'s conversation. */
export const MESSAGE_CUSTOMERS_SQL = customersOf(conversationOfMessage('contact_id'));

/** Whether message `m` answers another (names a parent or ancestors): the brand's reply, not its starter. */
export const ANSWERS_SQL = `(m.parent_external_id IS NOT NULL OR m.ancestor_external_ids IS NOT NULL)`;

/**
 * The visible recipients of the brand's mail `m` (To, CC; email-normalize.ts keeps them in its
 * replyContext), read only for a mail answering nothing: personalRecipients decides from them.
 */
export const RECIPIENTS_SQL = `
  CASE WHEN m.direction = 'OUTBOUND' AND NOT ${ANSWERS_SQL} THEN m.reply_context->>'mailTo' END AS mail_to,
  CASE WHEN m.direction = 'OUTBOUND' AND NOT ${ANSWERS_SQL} THEN m.reply_context->>'mailCc' END AS mail_cc`;

/**
 * The conversations of the messages named as ancestors (`$2`, `$3`: channel, id) — the message's own
 * row, its direction and whether it answers another (the brand's mail answering nothing: its visible
 * recipients), its conversation's key and customer — and of the conversations keyed by an email
 * ancestor that is not stored (`$4`, `$5`: `email:<id>`, the open one else the latest resolved, as
 * threading picks). `pair` is the 0-based position in each list.
 */
export const REPLIED_THREADS_SQL = `
  SELECT (k.i - 1)::int AS pair, false AS by_key, m.direction, ${ANSWERS_SQL} AS answers,
         ${conversationOfMessage('thread_key')} AS thread_key, ${MESSAGE_CUSTOMERS_SQL} AS customers,
         ${RECIPIENTS_SQL}
    FROM unnest($2::uuid[], $3::text[]) WITH ORDINALITY AS k(channel_id, external_id, i)
    JOIN messages m ON m.agency_id = $1 AND m.channel_id = k.channel_id AND m.external_id = k.external_id
   WHERE m.external_id IS NOT NULL -- implied, stated for the partial index messages_external_key
  UNION ALL
  SELECT * FROM (
    SELECT DISTINCT ON (k.i) (k.i - 1)::int, true, NULL::text, NULL::boolean, c.thread_key,
           ${customersOf('c.contact_id')}, NULL::text, NULL::text
      FROM unnest($4::uuid[], $5::text[]) WITH ORDINALITY AS k(channel_id, external_id, i)
      JOIN conversations c ON c.agency_id = $1 AND c.channel_id = k.channel_id
                          AND c.thread_key = 'email:' || k.external_id
     ORDER BY k.i, c.status = 'RESOLVED', c.resolved_at DESC NULLS LAST) AS keyed`;

interface Row {
  pair: number;
  by_key: boolean;
  direction: 'INBOUND' | 'OUTBOUND' | null;
  answers: boolean | null;
  thread_key: string;
  customers: string[];
  mail_to: string | null;
  mail_cc: string | null;
}

const at = (channelId: string, externalId: string) => `${channelId}\u0000${externalId}`;

/**
 * Messages that name the message they answer join that message's conversation when it is stored
 * (or placed in this batch), in one statement for the batch, before the thread-key locks:
 * - an email joins the conversation of its nearest stored ancestor (email-threads.rules.ts), so a
 *   client that trimmed References, or a mail whose References start at a mail that is not the root,
 *   still lands in its thread — our own replies count: their Message-IDs are their external ids;
 * - an X mention (v1.1 tweets carry no conversation id, x-normalize.ts) answering a stored tweet —
 *   usually our reply to this customer — but only when that tweet's conversation is this
 *   customer's: many customers answer one brand tweet, and each keeps a conversation of their own.
 * Other kinds name their thread directly. Answers what was not found: replies whose parent is not
 * stored yet keep a key of their own, and their conversations are folded into the parent's when it
 * is stored (stranded-replies.ts), also when both are processed at the same moment.
 */
export async function joinRepliedThreads(tx: TenantTx, items: RepliedItem[]): Promise<Unanswered[]> {
  const mentions = [...items.keys()].filter((k) => items[k].msg.kind === 'MENTION');
  const emails = [...items.keys()].filter((k) => items[k].msg.kind === 'EMAIL');
  const named = [
    ...mentions.flatMap((k) => {
      const id = items[k].msg.parentExternalId;
      return id ? [{ k, id }] : [];
    }),
    ...emails.flatMap((k) => (items[k].msg.ancestorExternalIds ?? []).map((id) => ({ k, id }))),
  ];
  if (named.length === 0) return [];
  const ancestors = named.filter((n) => items[n.k].msg.kind === 'EMAIL');
  const rows = await tx.query<Row>(REPLIED_THREADS_SQL, [
    tx.agencyId,
    named.map((n) => items[n.k].target.channelId),
    named.map((n) => n.id),
    ancestors.map((n) => items[n.k].target.channelId),
    ancestors.map((n) => n.id),
  ]);
  const stored = new Map<string, Row>();
  const keyed = new Map<string, Row>();
  for (const r of rows) {
    const n = (r.by_key ? ancestors : named)[r.pair];
    (r.by_key ? keyed : stored).set(at(items[n.k].target.channelId, n.id), r);
  }
  return [...joinMentions(items, mentions, stored), ...joinEmails(items, emails, stored, keyed)];
}

/** `mentions`: every mention of the batch; those naming a parent follow it (same customer only). */
function joinMentions(items: RepliedItem[], mentions: number[], stored: Map<string, Row>): Unanswered[] {
  type Thread = { threadKey: string; customers: string[] };
  const unanswered: Unanswered[] = [];
  // What this batch places, in written order, so a reply delivered with its parent follows it.
  const batch = new Map<string, Thread>();
  const byTime = [...mentions].sort(
    (a, b) => items[a].msg.occurredAt.getTime() - items[b].msg.occurredAt.getTime(),
  );
  for (const k of byTime) {
    const i = items[k];
    const parentId = i.msg.parentExternalId;
    if (parentId) {
      const parentKey = at(i.target.channelId, parentId);
      const row = stored.get(parentKey);
      const parent = row ? { threadKey: row.thread_key, customers: row.customers } : batch.get(parentKey);
      const customer = i.msg.customer?.externalUserId;
      if (parent && customer && parent.customers.includes(customer)) {
        i.msg = { ...i.msg, threadKey: parent.threadKey };
      }
      if (!parent) unanswered.push({ item: k, externalId: parentId });
    }
    batch.set(at(i.target.channelId, i.msg.externalId), {
      threadKey: i.msg.threadKey,
      customers: i.msg.customer ? [i.msg.customer.externalUserId] : [],
    });
  }
  return unanswered;
}

/** Every mail of the batch keyed as email-threads.rules.ts places it; answers the ancestors not found. */
function joinEmails(
  items: RepliedItem[],
  emails: number[],
  stored: Map<string, Row>,
  keyed: Map<string, Row>,
): Unanswered[] {
  const thread = (r: Row | undefined, via: FoundThread['via'] | null): FoundThread | undefined =>
    r && {
      threadKey: r.thread_key,
      via: via ?? viaOf(r.direction!, !!r.answers),
      customers: r.customers,
      recipients: personalRecipients(r.mail_to, r.mail_cc),
    };
  const placements = placeEmails(
    emails.map((k) => emailItem(items[k])),
    {
      message: (channelId, id) => thread(stored.get(at(channelId, id)), null),
      rootKey: (channelId, id) => thread(keyed.get(at(channelId, id)), 'ROOT_KEY'),
    },
  );
  return emails.flatMap((k, e) => {
    const i = items[k];
    if (placements[e].threadKey !== i.msg.threadKey) i.msg = { ...i.msg, threadKey: placements[e].threadKey };
    return placements[e].unknown.map((externalId) => ({ item: k, externalId }));
  });
}

/**
 * A mail being placed as the rules read it; its customer is the address its contact is keyed by, and
 * the brand's own mail's visible recipients are those it keeps in its replyContext.
 */
export function emailItem(i: RepliedItem): EmailItem {
  const context = i.msg.direction === 'OUTBOUND' ? (i.msg.replyContext ?? {}) : {};
  return {
    channelId: i.target.channelId,
    externalId: i.msg.externalId,
    threadKey: i.msg.threadKey,
    direction: i.msg.direction,
    ancestors: i.msg.ancestorExternalIds ?? [],
    customer: i.msg.customer?.externalUserId ?? null,
    recipients: personalRecipients(context.mailTo, context.mailCc),
  };
}

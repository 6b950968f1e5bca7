/**
 * Which conversation an email joins (issue: threading by any known References id). Pure: the caller
 * looks up the stored messages and conversations the mails name (replied-threads.ts).
 *
 * A mail names its ancestors, nearest first (NormalizedMessage.ancestorExternalIds: In-Reply-To, then
 * References from the last entry). It joins the conversation of the nearest ancestor that is stored on
 * its channel, or placed by the same batch — JWZ threading (https://www.jwz.org/doc/threading.html),
 * which survives clients that trim References (RFC 5322 §3.6.4 allows it; Outlook keeps the first
 * entry and the last few, a list or forwarded mail may start at a mail that is not the root).
 *
 * Different customers are not merged into one conversation unless they are in the same reply chain
 * with the brand: replying to a customer's mail, or to one of the brand's replies, joins that
 * conversation whoever writes (a colleague on CC, a forwarded thread). Replying to a mail the brand
 * started without answering anyone joins its conversation when the mail was personal and the replier
 * was one of its visible recipients (personalRecipients: the customer it was written to, a colleague
 * on CC); replying to a broadcast (a newsletter, a campaign), to a mail the replier only got as BCC,
 * or to a root nobody stored joins only the conversation of the same customer — as Chatwoot and Front
 * treat replies to a broadcast: a new conversation per sender. A mail that joins nothing is keyed by
 * its root as before, and per customer when it names ancestors (`email:<root> <customer address>`), so
 * two customers answering the same unknown newsletter never share a key.
 */

/** How a mail reaches a conversation through an ancestor it names. */
export type AncestorVia =
  /** A customer's mail (inbound). */
  | 'CUSTOMER'
  /** The brand's mail answering another: a reply sent from Caredesk or a copy of one sent elsewhere. */
  | 'REPLY'
  /** The brand's mail answering nothing: a newsletter, a campaign, a mail the brand started. */
  | 'STARTER'
  /** No stored mail of that id, but a conversation keyed `email:<id>` (its root, never stored). */
  | 'ROOT_KEY';

/** A conversation a mail could join, through one of its ancestors. */
export interface FoundThread {
  threadKey: string;
  via: AncestorVia;
  /** The conversation's customer (their addresses); empty when it has none. */
  customers: string[];
  /**
   * The brand's mail answering nothing (STARTER): its visible recipients when it was personal
   * (personalRecipients); absent or empty for a broadcast, or a mail stored before they were kept.
   */
  recipients?: string[];
}

/**
 * The visible recipients of a mail the brand sent, when it was personal — To names exactly one
 * address besides the brand's own (the customer it was written to), any number of colleagues on CC:
 * To then CC, lower-case. Empty for a broadcast: To naming several addresses (a newsletter written to
 * a list of customers, who see each other but did not write to each other), or none (everyone on
 * BCC). `to`, `cc`: the addresses without the brand's own, space-separated, as the email connector
 * keeps them in the brand's mail's replyContext (`mailTo`, `mailCc`, email-normalize.ts); absent on
 * mails stored before they were kept, which count as broadcasts.
 */
export function personalRecipients(to: string | null | undefined, cc: string | null | undefined): string[] {
  const list = (s: string | null | undefined) => (s ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const addressedTo = [...new Set(list(to))];
  return addressedTo.length === 1 ? [...new Set([...addressedTo, ...list(cc)])] : [];
}

export function viaOf(direction: 'INBOUND' | 'OUTBOUND', answersAnother: boolean): AncestorVia {
  if (direction === 'INBOUND') return 'CUSTOMER';
  return answersAnother ? 'REPLY' : 'STARTER';
}

/**
 * `customer`: the address of the mail's customer (its sender; the recipient of the brand's own mail).
 * A STARTER is joined by its own customer and, when it was personal, by any of its visible recipients.
 */
export function mayJoinEmailThread(
  found: Pick<FoundThread, 'via' | 'customers' | 'recipients'>,
  customer: string | null,
): boolean {
  if (found.via === 'CUSTOMER' || found.via === 'REPLY') return true;
  if (found.customers.length === 0) return true;
  if (customer === null) return false;
  if (found.customers.includes(customer)) return true;
  return found.via === 'STARTER' && (found.recipients ?? []).includes(customer);
}

/**
 * Whether mail `it`, stored now, and a stored mail that names it (delivered first, in a conversation
 * of its own whose customer has the addresses `customers`) belong together: as if that mail had come
 * after `it` and joined it (stranded-replies.ts folds the two conversations).
 */
export function mayFoldNamingMail(it: EmailItem, customers: string[]): boolean {
  const via = viaOf(it.direction, it.ancestors.length > 0);
  if (mayJoinEmailThread({ via, customers }, it.customer)) return true;
  return via === 'STARTER' && customers.some((c) => it.recipients.includes(c));
}

/** The key of a mail that joins nothing although it names ancestors: its root, per customer. */
export function customerThreadKey(threadKey: string, customer: string | null): string {
  return customer ? `${threadKey} ${customer}` : threadKey;
}

/** A mail being placed, as the rules need it. */
export interface EmailItem {
  channelId: string;
  externalId: string;
  /** The connector's key, `email:<root>`. */
  threadKey: string;
  direction: 'INBOUND' | 'OUTBOUND';
  /** Nearest first. */
  ancestors: string[];
  customer: string | null;
  /** The brand's own mail: its visible recipients when it was personal (personalRecipients); else empty. */
  recipients: string[];
}

/** What the caller found stored, per channel and id. */
export interface EmailLookup {
  /** The conversation of the stored message with this id. */
  message(channelId: string, externalId: string): FoundThread | undefined;
  /** A conversation keyed `email:<id>` (via ROOT_KEY). */
  rootKey(channelId: string, externalId: string): FoundThread | undefined;
}

export interface EmailPlacement {
  threadKey: string;
  /**
   * Ancestors nearer than the one joined (all, when none was) that are neither stored nor in the
   * batch: a transaction storing one of them right now would not be seen, so they are looked for
   * again after the advisory locks (stranded-replies.ts).
   */
  unknown: string[];
}

/**
 * Every mail's thread key, in the order given. A mail naming another mail of the batch follows that
 * mail's placement, whatever order they were written in; a cycle (crafted headers) is broken where
 * it closes.
 */
export function placeEmails(items: EmailItem[], lookup: EmailLookup): EmailPlacement[] {
  const inBatch = new Map(items.map((it, k) => [`${it.channelId}\u0000${it.externalId}`, k]));
  const placed: (EmailPlacement | undefined)[] = new Array(items.length);
  const visiting = new Set<number>();

  const place = (k: number): EmailPlacement | undefined => {
    if (placed[k] || visiting.has(k)) return placed[k];
    visiting.add(k);
    const it = items[k];
    const unknown: string[] = [];
    let joined: string | undefined;
    for (const id of it.ancestors) {
      const b = inBatch.get(`${it.channelId}\u0000${id}`);
      const found = b !== undefined ? batchThread(items[b], place(b)) : lookup.message(it.channelId, id);
      if (found) {
        if (mayJoinEmailThread(found, it.customer)) joined = found.threadKey;
      } else {
        const root = lookup.rootKey(it.channelId, id);
        if (root && mayJoinEmailThread(root, it.customer)) joined = root.threadKey;
        else unknown.push(id);
      }
      if (joined) break;
    }
    visiting.delete(k);
    const fallback = it.ancestors.length > 0 ? customerThreadKey(it.threadKey, it.customer) : it.threadKey;
    placed[k] = { threadKey: joined ?? fallback, unknown };
    return placed[k];
  };
  return items.map((_, k) => place(k)!);
}

/** A mail of the batch as an ancestor; undefined while it is being placed (a cycle). */
function batchThread(it: EmailItem, placement: EmailPlacement | undefined): FoundThread | undefined {
  if (!placement) return undefined;
  return {
    threadKey: placement.threadKey,
    via: viaOf(it.direction, it.ancestors.length > 0),
    customers: it.customer ? [it.customer] : [],
    recipients: it.recipients,
  };
}

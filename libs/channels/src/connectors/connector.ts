import { Platform } from '../platform';

/** The parts of a webhook request a connector needs: the exact bytes, for signature checks. */
export interface WebhookRequest {
  method: 'GET' | 'POST';
  /** Lower-cased header names. */
  headers: Record<string, string | undefined>;
  query: Record<string, string | undefined>;
  rawBody: Buffer;
}

/**
 * What a connector answers to a webhook request before anything is stored:
 * - `handshake`: a subscription challenge (Meta hub.challenge, X CRC, LinkedIn challengeCode) — the
 *   webhook intake answers `body` with `status` and stores nothing;
 * - `rejected`: bad or missing signature, stale timestamp — 401/403, nothing written, counter +1;
 * - `accepted`: verified; `deliveries` are the entries to store, one inbound_events row each.
 */
export type WebhookVerdict =
  | { kind: 'handshake'; status: number; contentType: string; body: string }
  | { kind: 'rejected'; status: 401 | 403; reason: string }
  | { kind: 'accepted'; deliveries: InboundDelivery[] };

/** One entry of a (possibly batched) delivery, routed by the platform account it names. */
export interface InboundDelivery {
  platform: Platform;
  /** The page / handle / organization / location / mailbox id: the key of channel_routes. */
  externalAccountId: string;
  /** The platform's own event id, or a hash of the entry when it has none: the idempotency key. */
  eventKey: string;
  /** The entry as received (one Meta `entry`, one X event, …): what the ingest worker normalizes. */
  payload: unknown;
  /**
   * Attachment bytes Caredesk keeps because no platform hosts them (email). Stored, content-addressed
   * per agency, and committed before the delivery itself; the payload names them by `contentId`.
   */
  contents?: InboundContent[];
}

/** The bytes of one attachment a delivery carries; `sha256` (hex) is its content id. */
export interface InboundContent {
  sha256: string;
  mimeType: string;
  bytes: Buffer;
}

export type MessageKind = 'DM' | 'COMMENT' | 'MENTION' | 'REVIEW' | 'EMAIL';

export interface Attachment {
  type: 'IMAGE' | 'VIDEO' | 'AUDIO' | 'FILE' | 'STICKER' | 'LINK';
  /** The platform's URL; null where the platform hosts nothing (email). */
  url: string | null;
  /**
   * The SHA-256 (hex) of bytes Caredesk keeps itself (attachment_contents), for attachments no
   * platform hosts (email); the API hands out signed download links for it. Absent otherwise.
   */
  contentId?: string | null;
  /** Why the worker kept no copy of a platform file (gone, too large, off the copy hosts): not tried again. */
  notCopied?: string | null;
  name: string | null;
  size: number | null;
  mimeType: string | null;
}

/** A platform-neutral event the ingest worker threads into a conversation. */
export type NormalizedEvent = NormalizedMessage | NormalizedEdit | NormalizedDeletion;

export interface NormalizedMessage {
  type: 'message';
  kind: MessageKind;
  /** OUTBOUND for messages the brand sent outside Caredesk (Meta echo, the page's own comment). */
  direction: 'INBOUND' | 'OUTBOUND';
  visibility: 'PUBLIC' | 'PRIVATE';
  /** The platform's message id (unique per channel): the idempotency key of messages. */
  externalId: string;
  /**
   * Threading (issue 3): DM → `dm:<customer id>`; a comment → `comment:<post id>:<top-level comment
   * id>`; a review → `review:<review id>`; a mention → `mention:<id>`; email → `email:<root Message-ID>`
   * (threading may key it `email:<root> <customer address>` instead, or join the conversation of one of
   * its ancestors: ThreadingService).
   */
  threadKey: string;
  parentExternalId: string | null;
  /**
   * The platform ids of earlier messages this one names as its thread, nearest first (email: In-Reply-To,
   * then References from the last entry). It joins the conversation of the nearest one stored, and a
   * conversation holding a message that names a message stored later is folded into that message's.
   * Absent: the thread key says it all.
   */
  ancestorExternalIds?: string[];
  /**
   * The customer: the author of an inbound message, the recipient of an outbound DM or tweet reply.
   * Null for the brand's own comment, whose payload names no one it answers: the brand is never its
   * own contact — the message takes its conversation's contact, and a conversation the brand starts
   * has none until a customer writes in it.
   */
  customer: {
    externalUserId: string;
    username: string | null;
    displayName: string | null;
    avatarUrl: string | null;
  } | null;
  body: string;
  subject: string | null;
  rating: number | null;
  attachments: Attachment[];
  occurredAt: Date;
  /** Whatever the connector needs later to answer this message (comment id, tweet id, review name, Message-ID…). */
  replyContext: Record<string, string>;
}

export interface NormalizedEdit {
  type: 'edit';
  externalId: string;
  body: string;
  /** A review's new star rating (Google); absent or null keeps the stored one. */
  rating?: number | null;
  occurredAt: Date;
}

export interface NormalizedDeletion {
  type: 'deletion';
  externalId: string;
  occurredAt: Date;
}

/** What the send worker asks a connector to do. */
export interface OutboundRequest {
  action: 'REPLY' | 'PRIVATE_REPLY' | 'DIRECT_MESSAGE' | 'EMAIL' | 'HIDE' | 'UNHIDE' | 'DELETE';
  /** The channel's platform account. */
  externalAccountId: string;
  /** The channel's platform, where one connector serves several (Meta: Facebook Page or Instagram). */
  platform?: Platform;
  credentials: Record<string, unknown>;
  body: string;
  /** The replyContext of the message answered (or moderated), plus `externalId` of that message. */
  target: Record<string, string>;
  /** Stable per outbound row: sent to platforms that accept one, and used to reconcile lost answers. */
  idempotencyKey: string;
}

export interface SendResult {
  /** The platform's id of what was created (null for moderation). */
  externalId: string | null;
}

export type ConnectorErrorCode =
  /** The token expired or was revoked: the channel needs reconnecting; not retried. */
  | 'AUTH_EXPIRED'
  /** 429: retried after `retryAfterSeconds`. */
  | 'RATE_LIMITED'
  /** 5xx, timeouts, connection errors: retried with backoff. */
  | 'TRANSIENT'
  /** Any other 4xx: not retried. */
  | 'REJECTED'
  /** The platform cannot do this (e.g. a private reply on X). */
  | 'UNSUPPORTED'
  /**
   * The platform's messaging window with this customer has closed (Meta: 24 h after their last
   * message, 7 days for a human agent's answer); only a new message from them reopens it. Not retried.
   */
  | 'WINDOW_CLOSED';

export class ConnectorError extends Error {
  constructor(
    readonly code: ConnectorErrorCode,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ConnectorError';
  }
}

/**
 * One per platform family (Meta serves FACEBOOK_PAGE and INSTAGRAM). Pure with respect to the
 * database: webhook intake stores what `verifyWebhook` accepts, the ingest worker stores what
 * `normalize` returns, the send worker records what `send` answers.
 */
export interface PlatformConnector {
  /** The URL segment: /webhooks/<name>. */
  readonly name: 'meta' | 'x' | 'linkedin' | 'google' | 'tiktok' | 'email';
  readonly platforms: Platform[];
  /**
   * False while the platform's webhook secret is unset: webhook intake then answers 503
   * {"error":"not configured"} without calling verifyWebhook. Absent means configured.
   */
  isConfigured?(): boolean;
  /** The largest webhook body it takes (413 above); absent: 2 MB, far above any platform's delivery. */
  readonly maxWebhookBytes?: number;
  /** A promise where verifying needs I/O (Google: the OIDC signing certificates, cached). */
  verifyWebhook(req: WebhookRequest): WebhookVerdict | Promise<WebhookVerdict>;
  /** One stored delivery → zero or more events (a Meta entry may carry several changes). */
  normalize(delivery: { platform: Platform; externalAccountId: string; payload: unknown }): NormalizedEvent[];
  /**
   * For notifications that name an object without carrying it (Google Business Profile sends the
   * review's name only): the ingest worker calls this with the channel's credentials before
   * `normalize`, and normalizes what it returns. Throws ConnectorError like `send`. Absent = the
   * stored payload is complete.
   */
  hydrate?(
    delivery: { platform: Platform; externalAccountId: string; payload: unknown },
    credentials: Record<string, unknown>,
  ): Promise<unknown>;
  /**
   * Which stored deliveries `hydrate` must see first (Meta: only Instagram mentions; its other
   * deliveries are complete and go through the batched ingest). Absent with `hydrate`: every one.
   */
  needsHydration?(delivery: { platform: Platform; externalAccountId: string; payload: unknown }): boolean;
  send(request: OutboundRequest): Promise<SendResult>;
  /**
   * After a send whose answer was lost (timeout after the platform may have accepted it): find the
   * message already created for `idempotencyKey`, if the platform lets us look; null = not found.
   */
  reconcile?(request: OutboundRequest): Promise<SendResult | null>;
}

export const PLATFORM_CONNECTORS = Symbol('PLATFORM_CONNECTORS');

/** Whether `delivery` must be hydrated before it can be normalized (see PlatformConnector.hydrate). */
export function mustHydrate(
  connector: PlatformConnector,
  delivery: { platform: Platform; externalAccountId: string; payload: unknown },
): boolean {
  return !!connector.hydrate && (connector.needsHydration?.(delivery) ?? true);
}

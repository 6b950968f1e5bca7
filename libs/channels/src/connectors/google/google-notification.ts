import { NormalizedEvent, NormalizedMessage } from '../connector';

/**
 * A Business Profile review as the v4 API returns it (accounts.locations.reviews#Review):
 * https://developers.google.com/my-business/reference/rest/v4/accounts.locations.reviews#Review
 */
export interface GoogleReview {
  name: string;
  reviewId?: string;
  reviewer?: { displayName?: string; profilePhotoUrl?: string; isAnonymous?: boolean };
  starRating?: 'STAR_RATING_UNSPECIFIED' | 'ONE' | 'TWO' | 'THREE' | 'FOUR' | 'FIVE';
  comment?: string;
  createTime?: string;
  updateTime?: string;
  reviewReply?: { comment: string; updateTime: string };
}

/**
 * The notification published to our Pub/Sub topic (NotificationSetting, Notifications API v1):
 * NEW_REVIEW / UPDATED_REVIEW name the location and the review ("the review_name field … will provide
 * the resource name of the review added, and location_name will have the resource name of the
 * location"). Google sends names only: `GoogleConnector.hydrate` reads the review (reviews.get) and
 * embeds it as `review` before normalize; a relay may also embed it already.
 */
export interface GoogleNotification {
  notificationType?: string;
  type?: string;
  locationName?: string;
  location?: string;
  location_name?: string;
  reviewName?: string;
  review_name?: string;
  review?: string | GoogleReview;
}

/** What one stored inbound_events row holds for Google: the decoded notification and its Pub/Sub ids. */
export interface GooglePayload {
  messageId: string;
  publishTime: string | null;
  notification: GoogleNotification;
}

export const REVIEW_TYPES = new Set(['NEW_REVIEW', 'UPDATED_REVIEW']);

export function notificationType(n: GoogleNotification): string {
  return n.notificationType ?? n.type ?? '';
}

export function locationOf(n: GoogleNotification): string | undefined {
  return n.locationName ?? n.location ?? n.location_name;
}

export function reviewNameOf(n: GoogleNotification): string | undefined {
  if (typeof n.review === 'object' && n.review?.name) return n.review.name;
  return n.reviewName ?? n.review_name ?? (typeof n.review === 'string' ? n.review : undefined);
}

const STARS: Record<string, number> = { ONE: 1, TWO: 2, THREE: 3, FOUR: 4, FIVE: 5 };

/**
 * NEW_REVIEW → the review as a REVIEW message (its own conversation, threadKey `review:<name>`).
 * UPDATED_REVIEW → the same message (ignored by ingest if it exists: it is keyed on the review name,
 * and it fills the gap if the NEW_REVIEW notification was lost or arrives later) plus an edit that
 * carries the new text and the new star rating (a reviewer may change either).
 *
 * The owner's reply (Review.reviewReply, one per review) is the brand's OUTBOUND message in the same
 * conversation, keyed `<review name>/reply` — the external id the send path records for a reply sent
 * through Caredesk (GoogleConnector.send / reconcile), so ours is a duplicate here, and a reply written
 * in Google's own UI is recorded and ends the wait. Its edit keeps a reply changed there up to date.
 *
 * A notification that reaches normalize without the review (hydrate not called) throws, so the event
 * is kept as FAILED (listed and retryable by an admin) instead of being dropped silently.
 */
export function normalizeGoogle(payload: GooglePayload): NormalizedEvent[] {
  const n = payload.notification;
  const type = notificationType(n);
  if (!REVIEW_TYPES.has(type)) return [];
  const review = typeof n.review === 'object' ? n.review : null;
  if (!review?.name) {
    throw new Error(`Google ${type} notification ${payload.messageId} carries no review data`);
  }
  const created = new Date(review.createTime ?? payload.publishTime ?? Date.now());
  const body = review.comment ?? '';
  const rating = STARS[review.starRating ?? ''] ?? null;
  const message: NormalizedMessage = {
    type: 'message',
    kind: 'REVIEW',
    direction: 'INBOUND',
    visibility: 'PUBLIC',
    externalId: review.name,
    threadKey: `review:${review.name}`,
    parentExternalId: null,
    // Google gives reviewers no stable id (Review.reviewer has a name and a photo only), so each
    // review is its own contact: merging by display name would join strangers.
    customer: {
      externalUserId: `reviewer:${review.name}`,
      username: null,
      displayName: review.reviewer?.isAnonymous ? null : (review.reviewer?.displayName ?? null),
      avatarUrl: review.reviewer?.profilePhotoUrl ?? null,
    },
    body,
    subject: null,
    rating,
    attachments: [],
    occurredAt: created,
    replyContext: { reviewName: review.name },
  };
  const events: NormalizedEvent[] = [message];
  if (type === 'UPDATED_REVIEW') {
    events.push({
      type: 'edit',
      externalId: review.name,
      body,
      rating,
      occurredAt: new Date(review.updateTime ?? payload.publishTime ?? created),
    });
  }
  const reply = review.reviewReply;
  if (reply && typeof reply.comment === 'string') {
    const replyId = `${review.name}/reply`;
    const repliedAt = new Date(reply.updateTime ?? review.updateTime ?? created);
    events.push(
      {
        ...message,
        direction: 'OUTBOUND',
        externalId: replyId,
        parentExternalId: review.name,
        body: reply.comment,
        rating: null,
        occurredAt: repliedAt,
      },
      { type: 'edit', externalId: replyId, body: reply.comment, occurredAt: repliedAt },
    );
  }
  return events;
}

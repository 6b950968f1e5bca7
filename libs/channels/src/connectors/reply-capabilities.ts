import { Platform } from '../platform';
import type { MessageKind } from './connector';

/**
 * Whether the platform has a private answer to a public comment or mention (`PRIVATE_REPLY`), so a
 * reply can be refused before anything is stored instead of failing UNSUPPORTED in the send worker
 * after a DM conversation was opened for it. Must agree with each connector's `send`:
 * - Facebook Page and Instagram: Messenger / Instagram "Private Replies" (`POST /{page-id}/messages`
 *   with `recipient.comment_id`) to a comment, and to an Instagram mention's comment;
 * - X: no private reply to a tweet; the connector sends a DM to its author, the nearest thing;
 * - LinkedIn: the Community Management API has no private replies or member DMs;
 * - TikTok: the Business API only replies to comments publicly (`comment/reply/create`);
 * - Google Business Profile has only the public owner reply to a review; email is private already.
 */
const PRIVATE_REPLY_PLATFORMS: ReadonlySet<Platform> = new Set([
  Platform.FACEBOOK_PAGE,
  Platform.INSTAGRAM,
  Platform.X,
]);

/** Only comments and mentions have a private reply; on those, the platform decides. */
export function supportsPrivateReply(platform: Platform, kind: MessageKind): boolean {
  return (kind === 'COMMENT' || kind === 'MENTION') && PRIVATE_REPLY_PLATFORMS.has(platform);
}

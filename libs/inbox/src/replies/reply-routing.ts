import { AppError } from '@caredesk/core';
import { supportsPrivateReply } from '@caredesk/channels';
import type { MessageKind, OutboundRequest, Platform } from '@caredesk/channels';
import { Visibility } from '../dto/message.dto';

export interface ReplyRoute {
  action: OutboundRequest['action'];
  /** A private answer to a public post: the comment and the author's DM conversation get linked. */
  linksDirectConversation: boolean;
  /**
   * What the reply is stored as: what the route makes it, not what was asked — a DM or an email
   * answer is private whatever the caller sent (the input defaults to PUBLIC).
   */
  visibility: Visibility;
}

/**
 * Where a reply goes (issue 3, "Outbound"): PUBLIC answers where the customer wrote; PRIVATE on a
 * public comment or mention is the platform's private reply to its author (Meta "Private Replies",
 * graph `/{page-id}/messages` with `recipient.comment_id`) where the platform has one
 * (supportsPrivateReply), refused up front where it has not; on a DM or an email every answer is private.
 */
export function replyRoute(platform: Platform, kind: MessageKind, visibility: Visibility): ReplyRoute {
  switch (kind) {
    case 'DM':
      return { action: 'DIRECT_MESSAGE', linksDirectConversation: false, visibility: Visibility.PRIVATE };
    case 'EMAIL':
      return { action: 'EMAIL', linksDirectConversation: false, visibility: Visibility.PRIVATE };
    case 'REVIEW':
      if (visibility === Visibility.PRIVATE) {
        // Google Business Profile offers only the public owner reply to a review.
        throw AppError.badInput('A review can only be answered publicly', 'visibility');
      }
      return { action: 'REPLY', linksDirectConversation: false, visibility: Visibility.PUBLIC };
    case 'COMMENT':
    case 'MENTION':
      if (visibility === Visibility.PUBLIC) {
        return { action: 'REPLY', linksDirectConversation: false, visibility: Visibility.PUBLIC };
      }
      if (!supportsPrivateReply(platform, kind)) {
        throw AppError.badInput(`${platform} has no private reply to a ${kind.toLowerCase()}`, 'visibility');
      }
      return { action: 'PRIVATE_REPLY', linksDirectConversation: true, visibility: Visibility.PRIVATE };
  }
}

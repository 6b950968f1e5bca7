import { AppError } from '@caredesk/core';
import type { MessageKind, OutboundRequest } from '@caredesk/channels';
import { Visibility } from '../dto/message.dto';

export interface ReplyRoute {
  action: OutboundRequest['action'];
  /** A private answer to a public post: the comment and the author's DM conversation get linked. */
  linksDirectConversation: boolean;
}

/**
 * Where a reply goes (issue 3, "Outbound"): PUBLIC answers where the customer wrote; PRIVATE on a
 * public comment or mention is the platform's private reply to its author (Meta "Private Replies",
 * graph `/{page-id}/messages` with `recipient.comment_id`); on a DM or an email every answer is private.
 */
export function replyRoute(kind: MessageKind, visibility: Visibility): ReplyRoute {
  switch (kind) {
    case 'DM':
      return { action: 'DIRECT_MESSAGE', linksDirectConversation: false };
    case 'EMAIL':
      return { action: 'EMAIL', linksDirectConversation: false };
    case 'REVIEW':
      if (visibility === Visibility.PRIVATE) {
        // Google Business Profile offers only the public owner reply to a review.
        throw AppError.badInput('A review can only be answered publicly', 'visibility');
      }
      return { action: 'REPLY', linksDirectConversation: false };
    case 'COMMENT':
    case 'MENTION':
      return visibility === Visibility.PRIVATE
        ? { action: 'PRIVATE_REPLY', linksDirectConversation: true }
        : { action: 'REPLY', linksDirectConversation: false };
  }
}

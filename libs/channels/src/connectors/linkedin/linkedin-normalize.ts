import { Attachment, NormalizedEvent, NormalizedMessage } from '../connector';
import { LinkedInNotification } from './linkedin-payload';

/**
 * One organization social action notification → platform-neutral events. LIKE and SHARE carry no
 * words to answer and give nothing.
 * - COMMENT on the org's post → COMMENT in `comment:<post urn>:<top-level comment urn>` (LinkedIn nests
 *   one level: a reply's `parentComment` is the top-level comment);
 * - SHARE_MENTION (a post naming the org) → MENTION in `mention:<share urn>`;
 * - ADMIN_COMMENT (the org commenting as itself) → OUTBOUND in the same comment thread;
 * - COMMENT_EDIT → edit; COMMENT_DELETE → deletion.
 */
export function normalizeLinkedIn(orgUrn: string, n: LinkedInNotification): NormalizedEvent[] {
  const occurredAt = new Date(n.lastModifiedAt ?? Date.now());
  const comment = n.decoratedGeneratedActivity?.comment;
  const commentUrn = comment?.entity ?? comment?.fullEntity?.commentUrn ?? n.generatedActivity;
  switch (n.action) {
    case 'COMMENT':
    case 'ADMIN_COMMENT': {
      if (!commentUrn || !n.sourcePost) return [];
      const full = comment?.fullEntity;
      const parent = full?.parentComment ?? null;
      const author = comment?.owner ?? full?.actor ?? full?.created?.actor ?? '';
      const outbound = n.action === 'ADMIN_COMMENT' || author === orgUrn;
      // A top-level comment by the org on its own post answers nobody: no conversation.
      if (outbound && !parent) return [];
      const top = parent ?? commentUrn;
      return [
        message({
          kind: 'COMMENT',
          direction: outbound ? 'OUTBOUND' : 'INBOUND',
          externalId: commentUrn,
          threadKey: `comment:${n.sourcePost}:${top}`,
          parentExternalId: parent,
          // The notification does not name the author of the comment the org answered: no customer
          // (the org is no contact of its own); the message takes its conversation's contact.
          customer: outbound ? null : author,
          body: comment?.text ?? full?.message?.text ?? '',
          attachments: (full?.content ?? []).map(attachment),
          occurredAt,
          replyContext: {
            object: full?.object ?? n.sourcePost,
            postUrn: n.sourcePost,
            commentUrn,
            parentComment: top,
            actor: author,
          },
        }),
      ];
    }
    case 'SHARE_MENTION': {
      const share = n.decoratedGeneratedActivity?.share;
      const shareUrn = share?.entity ?? n.generatedActivity ?? n.sourcePost;
      if (!shareUrn) return [];
      const author = share?.owner ?? n.decoratedSourcePost?.owner ?? '';
      return [
        message({
          kind: 'MENTION',
          direction: 'INBOUND',
          externalId: shareUrn,
          threadKey: `mention:${shareUrn}`,
          parentExternalId: null,
          customer: author,
          body: share?.text ?? n.decoratedSourcePost?.text ?? '',
          attachments: [],
          occurredAt,
          replyContext: { object: shareUrn, postUrn: shareUrn, actor: author },
        }),
      ];
    }
    case 'COMMENT_EDIT':
      if (!commentUrn) return [];
      return [
        {
          type: 'edit',
          externalId: commentUrn,
          body: comment?.text ?? comment?.fullEntity?.message?.text ?? '',
          occurredAt,
        },
      ];
    case 'COMMENT_DELETE':
      if (!commentUrn) return [];
      return [{ type: 'deletion', externalId: commentUrn, occurredAt }];
    default:
      return [];
  }
}

type MessageInput = Pick<
  NormalizedMessage,
  | 'kind'
  | 'direction'
  | 'externalId'
  | 'threadKey'
  | 'parentExternalId'
  | 'body'
  | 'attachments'
  | 'occurredAt'
  | 'replyContext'
> & { customer: string | null };

function message(m: MessageInput): NormalizedMessage {
  return {
    type: 'message',
    visibility: 'PUBLIC',
    subject: null,
    rating: null,
    ...m,
    // LinkedIn notifications carry only the member URN; names need r_basicprofile lookups we don't do.
    customer:
      m.customer === null
        ? null
        : { externalUserId: m.customer, username: null, displayName: null, avatarUrl: null },
  };
}

function attachment(c: { type?: string; url?: string; entity?: { image?: string } }): Attachment {
  return {
    type: c.type === 'IMAGE' ? 'IMAGE' : c.type === 'VIDEO' ? 'VIDEO' : 'LINK',
    url: c.url ?? c.entity?.image ?? null,
    name: null,
    size: null,
    mimeType: null,
  };
}

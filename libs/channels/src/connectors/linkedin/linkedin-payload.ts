/**
 * ORGANIZATION_SOCIAL_ACTION_NOTIFICATIONS push payload (learn.microsoft.com, "Organization Social
 * Action Notifications"): `{type, notifications: [...]}`, batched up to 10 per request.
 */
export interface LinkedInPushBody {
  type?: string;
  notifications?: LinkedInNotification[];
}

/** A comment as the Comments API returns it (the `fullEntity` of a decorated comment). */
export interface LinkedInComment {
  actor?: string;
  commentUrn?: string;
  id?: string;
  object?: string;
  parentComment?: string;
  message?: { text?: string };
  created?: { actor?: string; time?: number };
  content?: { type?: string; url?: string; entity?: { image?: string } }[];
}

export interface LinkedInDecoratedComment {
  entity?: string;
  owner?: string;
  text?: string;
  fullEntity?: LinkedInComment;
}

export interface LinkedInDecoratedShare {
  entity?: string;
  owner?: string;
  text?: string;
}

export interface LinkedInNotification {
  notificationId?: number | string;
  /** The organization (company page) URN: the channel's external account id. */
  organizationalEntity: string;
  /** LIKE, COMMENT, SHARE, SHARE_MENTION, ADMIN_COMMENT, COMMENT_EDIT, COMMENT_DELETE, … */
  action: string;
  sourcePost?: string;
  decoratedSourcePost?: LinkedInDecoratedShare;
  generatedActivity?: string;
  decoratedGeneratedActivity?: { comment?: LinkedInDecoratedComment; share?: LinkedInDecoratedShare };
  lastModifiedAt?: number;
  subscriber?: string;
}

import { Foundation1763900000000 } from './1763900000000-foundation';
import { TotpReplayGuard1763910000000 } from './1763910000000-totp-replay-guard';
import { PendingInvitations1763920000000 } from './1763920000000-pending-invitations';
import { AuditEventsMillisecondTime1763930000000 } from './1763930000000-audit-events-millisecond-time';
import { MessagePipeline1764000000000 } from './1764000000000-message-pipeline';
import { MessageReplyContext1764020000000 } from './1764020000000-message-reply-context';
import { StyleGuides1764100000000 } from './1764100000000-style-guides';
import { MessageAnalysis1764110000000 } from './1764110000000-message-analysis';
import { Inbox1764120000000 } from './1764120000000-inbox';
import { Knowledge1764130000000 } from './1764130000000-knowledge';
import { AuthMembershipLookup1764140000000 } from './1764140000000-auth-membership-lookup';
import { InboundIntakeFunction1764150000000 } from './1764150000000-inbound-intake-function';
import { InboundPendingByAgency1764160000000 } from './1764160000000-inbound-pending-by-agency';
import { InboundWaitingForReconnect1764170000000 } from './1764170000000-inbound-waiting-for-reconnect';
import { MessagesInWrittenOrder1764180000000 } from './1764180000000-messages-in-written-order';
import { AttachmentContents1764190000000 } from './1764190000000-attachment-contents';
import { AttachmentCopiesDue1764200000000 } from './1764200000000-attachment-copies-due';
import { ConversationContactOptional1764230000000 } from './1764230000000-conversation-contact-optional';
import { PendingMessageChanges1764260000000 } from './1764260000000-pending-message-changes';
import { ResolvedWaitsForNothing1764280000000 } from './1764280000000-resolved-waits-for-nothing';
import { OutboundByMessage1764290000000 } from './1764290000000-outbound-by-message';
import { ReplyLinks1764300000000 } from './1764300000000-reply-links';
import { AttachmentContentCollection1764310000000 } from './1764310000000-attachment-content-collection';
import { BrandOwnContacts1764320000000 } from './1764320000000-brand-own-contacts';
import { MessageAncestors1764330000000 } from './1764330000000-message-ancestors';
import { InboundEventRetention1764340000000 } from './1764340000000-inbound-event-retention';

/** Every migration, in order. Listed explicitly so the same list runs from ts (tests) and js (dist). */
export const MIGRATIONS = [
  Foundation1763900000000,
  TotpReplayGuard1763910000000,
  PendingInvitations1763920000000,
  AuditEventsMillisecondTime1763930000000,
  MessagePipeline1764000000000,
  MessageReplyContext1764020000000,
  StyleGuides1764100000000,
  MessageAnalysis1764110000000,
  Inbox1764120000000,
  Knowledge1764130000000,
  AuthMembershipLookup1764140000000,
  InboundIntakeFunction1764150000000,
  InboundPendingByAgency1764160000000,
  InboundWaitingForReconnect1764170000000,
  MessagesInWrittenOrder1764180000000,
  AttachmentContents1764190000000,
  AttachmentCopiesDue1764200000000,
  ConversationContactOptional1764230000000,
  PendingMessageChanges1764260000000,
  ResolvedWaitsForNothing1764280000000,
  OutboundByMessage1764290000000,
  ReplyLinks1764300000000,
  AttachmentContentCollection1764310000000,
  BrandOwnContacts1764320000000,
  MessageAncestors1764330000000,
  InboundEventRetention1764340000000,
];

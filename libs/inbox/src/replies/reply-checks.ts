import { Injectable } from '@nestjs/common';
import { AppError, isUuid, RequestContext, Role, TenantDb, TenantTx } from '@caredesk/core';
import { ChannelService, MessageKind, Platform } from '@caredesk/channels';
import { Contact } from '../entities/contact.entity';
import { Conversation } from '../entities/conversation.entity';

/** What a check knows of the reply being written: its text and where it goes. */
export interface ReplySubject {
  brandId: string;
  conversationId: string;
  kind: MessageKind;
  platform: Platform;
  /** The contact's display name; null when the platform did not give one. */
  contactName: string | null;
  /** The reply's language (the agent's choice, else the conversation's detected one); null if unknown. */
  language: string | null;
  body: string;
}

/** A MANAGER's (or above) decision to send despite BLOCK violations; audited by the check it overrides. */
export interface ReplyOverride {
  reason: string;
}

export interface ReplyToCheck {
  subject: ReplySubject;
  /** The id the reply's message will get, so an audited override can name it. */
  messageId: string;
  override: ReplyOverride | null;
}

/** What checks want stored on the reply's message. */
export interface ReplyCheckStamp {
  styleGuideVersionId: string | null;
}

/**
 * SEAM (issue 4): a check that may refuse a reply before it is stored, by throwing a coded AppError
 * (STYLE_GUIDE_VIOLATION). Registered by the context that owns the rules (style guides), so inbox
 * does not depend on it. Runs inside the reply's transaction: a refusal leaves nothing written.
 */
export interface ReplyCheck {
  key: string;
  check(ctx: RequestContext, reply: ReplyToCheck): Promise<Partial<ReplyCheckStamp>>;
}

const MAX_OVERRIDE_REASON = 1000;

@Injectable()
export class ReplyChecks {
  private readonly checks = new Map<string, ReplyCheck>();

  constructor(
    private readonly db: TenantDb,
    private readonly channels: ChannelService,
  ) {}

  register(check: ReplyCheck): void {
    if (this.checks.has(check.key)) throw new Error(`Reply check ${check.key} registered twice`);
    this.checks.set(check.key, check);
  }

  /**
   * Runs every check. An override is a MANAGER's tool: an AGENT who sends one is refused (FORBIDDEN)
   * whether or not anything would have blocked, so the rule does not depend on the draft's text.
   */
  async run(
    ctx: RequestContext,
    tx: TenantTx,
    reply: {
      conversation: Conversation;
      body: string;
      language: string | null;
      messageId: string;
      override: ReplyOverride | null;
    },
  ): Promise<ReplyCheckStamp> {
    const override = validOverride(ctx, reply.override);
    const subject = await this.subjectOf(ctx, tx, reply.conversation, reply.body, reply.language);
    const stamp: ReplyCheckStamp = { styleGuideVersionId: null };
    for (const c of this.checks.values()) {
      Object.assign(stamp, await c.check(ctx, { subject, messageId: reply.messageId, override }));
    }
    return stamp;
  }

  /**
   * The subject of a reply to a conversation the caller may see (NOT_FOUND otherwise, exactly like a
   * missing id): for previews (`checkReply` by conversation) that must judge a draft the same way
   * `replyToConversation` will.
   */
  async describe(
    ctx: RequestContext,
    conversationId: string,
    draft: { body: string; language: string | null },
  ): Promise<ReplySubject> {
    return this.db.run(ctx, async (tx) => {
      const conversation = isUuid(conversationId)
        ? await tx.repo(Conversation).findOneBy({ id: conversationId })
        : null;
      if (!conversation || !ctx.canSeeBrand(conversation.brandId)) throw AppError.notFound('Conversation');
      ctx.requireRole(Role.AGENT);
      return this.subjectOf(ctx, tx, conversation, draft.body, draft.language);
    });
  }

  private async subjectOf(
    ctx: RequestContext,
    tx: TenantTx,
    conversation: Conversation,
    body: string,
    language: string | null,
  ): Promise<ReplySubject> {
    // No contact while only the brand has written; never findOneBy({ id: null }), which TypeORM
    // would run unfiltered.
    const contact = conversation.contactId
      ? await tx.repo(Contact).findOneBy({ id: conversation.contactId })
      : null;
    const channel = await this.channels.get(ctx, conversation.channelId);
    return {
      brandId: conversation.brandId,
      conversationId: conversation.id,
      kind: conversation.kind,
      platform: channel.platform,
      contactName: contact?.displayName ?? null,
      language: language ?? conversation.language,
      body,
    };
  }
}

function validOverride(ctx: RequestContext, override: ReplyOverride | null): ReplyOverride | null {
  if (!override) return null;
  if (!ctx.hasRole(Role.MANAGER)) throw AppError.forbidden('Only a manager can override the style guide');
  const reason = typeof override.reason === 'string' ? override.reason.trim() : '';
  if (!reason) throw AppError.badInput('Say why the style guide is overridden', 'styleGuideOverride.reason');
  if (reason.length > MAX_OVERRIDE_REASON) {
    throw AppError.badInput(`At most ${MAX_OVERRIDE_REASON} characters`, 'styleGuideOverride.reason');
  }
  return { reason };
}

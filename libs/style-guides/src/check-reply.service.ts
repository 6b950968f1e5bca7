import { Injectable } from '@nestjs/common';
import { AppError, RequestContext } from '@caredesk/core';
import type { MessageKind } from '@caredesk/channels';
import { ReplyChecks } from '@caredesk/inbox';
import { StyleCheckResult } from './engine/style-check.types';
import { CheckReplyInput } from './dto/check-reply.input';
import { StyleGuideCheckService } from './style-guide-check.service';

const KINDS: ReadonlySet<string> = new Set(['DM', 'COMMENT', 'MENTION', 'REVIEW', 'EMAIL']);

/**
 * `checkReply`: a draft judged before sending. By conversation it is judged exactly as
 * replyToConversation will judge it (the same subject: platform, kind, the contact's name); by brand
 * the caller says what it knows (canned reply previews, drafts outside a conversation).
 */
@Injectable()
export class CheckReplyService {
  constructor(
    private readonly checker: StyleGuideCheckService,
    private readonly replyChecks: ReplyChecks,
  ) {}

  async check(ctx: RequestContext, input: CheckReplyInput): Promise<StyleCheckResult> {
    const byConversation = input.conversationId != null;
    if (byConversation === (input.brandId != null)) {
      throw AppError.badInput('Give exactly one of conversationId and brandId', 'conversationId');
    }
    if (byConversation) {
      const subject = await this.replyChecks.describe(ctx, input.conversationId!, {
        body: input.body,
        language: input.language ?? null,
      });
      return this.checker.checkVisibleBrand(ctx, subject.brandId, subject);
    }
    if (input.kind != null && !KINDS.has(input.kind)) {
      throw AppError.badInput('kind is DM, COMMENT, MENTION, REVIEW or EMAIL', 'kind');
    }
    return this.checker.check(ctx, {
      brandId: input.brandId!,
      body: input.body,
      language: input.language ?? null,
      platform: input.platform ?? null,
      kind: (input.kind as MessageKind | null) ?? null,
      contactName: input.contactName ?? null,
    });
  }
}

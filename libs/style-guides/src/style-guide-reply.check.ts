import { Injectable } from '@nestjs/common';
import { AuditService } from '@caredesk/audit';
import { AppError, ErrorCode, RequestContext } from '@caredesk/core';
import type { ReplyCheck, ReplyCheckStamp, ReplyToCheck } from '@caredesk/inbox';
import { Severity } from './engine/style-check.types';
import { StyleGuideCheckService } from './style-guide-check.service';

/**
 * The style guide's check on every reply (registered with inbox's ReplyChecks): a BLOCK violation
 * refuses the reply with STYLE_GUIDE_VIOLATION — the violations in `extensions.violations` — unless
 * a MANAGER or above overrides with a reason (ReplyChecks already refused an AGENT's override);
 * the override is audited with the reason and what it overrode. WARN never blocks.
 */
@Injectable()
export class StyleGuideReplyCheck implements ReplyCheck {
  readonly key = 'style-guides';

  constructor(
    private readonly checker: StyleGuideCheckService,
    private readonly audit: AuditService,
  ) {}

  async check(ctx: RequestContext, reply: ReplyToCheck): Promise<Partial<ReplyCheckStamp>> {
    const { subject, override } = reply;
    const result = await this.checker.checkVisibleBrand(ctx, subject.brandId, subject);
    if (result.blocked) {
      if (!override) {
        throw new AppError(ErrorCode.STYLE_GUIDE_VIOLATION, "The reply breaks the brand's style guide", {
          violations: result.violations,
          score: result.score,
          styleGuideVersionId: result.versionId,
        });
      }
      await this.audit.record(ctx, {
        action: 'reply.style_guide_override',
        entityType: 'message',
        entityId: reply.messageId,
        brandId: subject.brandId,
        changes: {
          reason: override.reason,
          conversationId: subject.conversationId,
          styleGuideVersionId: result.versionId,
          violations: result.violations.filter((v) => v.severity === Severity.BLOCK),
        },
      });
    }
    return { styleGuideVersionId: result.versionId };
  }
}

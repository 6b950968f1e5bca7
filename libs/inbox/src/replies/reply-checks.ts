import { Injectable } from '@nestjs/common';
import { RequestContext } from '@caredesk/core';

/**
 * SEAM for issue 4 (style guides): a check that may refuse a reply before it is stored, by throwing
 * a coded AppError (STYLE_GUIDE_VIOLATION). Nothing is registered yet, so no reply is checked — on
 * purpose: a placeholder check would only pretend.
 */
export interface ReplyCheck {
  key: string;
  check(ctx: RequestContext, reply: { brandId: string; conversationId: string; body: string }): Promise<void>;
}

@Injectable()
export class ReplyChecks {
  private readonly checks = new Map<string, ReplyCheck>();

  register(check: ReplyCheck): void {
    if (this.checks.has(check.key)) throw new Error(`Reply check ${check.key} registered twice`);
    this.checks.set(check.key, check);
  }

  async run(
    ctx: RequestContext,
    reply: { brandId: string; conversationId: string; body: string },
  ): Promise<void> {
    for (const c of this.checks.values()) await c.check(ctx, reply);
  }
}

import { Injectable } from '@nestjs/common';
import { BrandAccessService } from '@caredesk/brands';
import { RequestContext, TenantDb } from '@caredesk/core';
import { CompiledStyleGuides } from './compiled-style-guides';
import { StyleCheckInput, StyleCheckResult, StyleCheckSubject } from './engine/style-check.types';

/**
 * The public check other contexts call (replies, canned replies): the brand's current style guide
 * version, compiled once per version, applied to a text. A brand without a style guide has no rules,
 * so nothing is ever flagged there (versionId null, score 100).
 */
@Injectable()
export class StyleGuideCheckService {
  constructor(
    private readonly db: TenantDb,
    private readonly access: BrandAccessService,
    private readonly compiled: CompiledStyleGuides,
  ) {}

  /** Any role that can see the brand; NOT_FOUND otherwise (like a missing brand). */
  async check(ctx: RequestContext, input: StyleCheckInput): Promise<StyleCheckResult> {
    // One transaction for the access check and the pointer read (nested runs join it).
    return this.db.run(ctx, async () => {
      await this.access.requireOne(ctx, input.brandId);
      return this.checkVisibleBrand(ctx, input.brandId, input);
    });
  }

  /** For callers that have already proven the brand visible (a reply to a conversation they may see). */
  async checkVisibleBrand(
    ctx: RequestContext,
    brandId: string,
    subject: StyleCheckSubject,
  ): Promise<StyleCheckResult> {
    const current = await this.db.run(ctx, (tx) => this.compiled.current(tx, brandId));
    if (!current) return { versionId: null, score: 100, blocked: false, violations: [] };
    return { versionId: current.versionId, ...current.guide.check(subject) };
  }
}

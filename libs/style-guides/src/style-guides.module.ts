import { Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@caredesk/audit';
import { BrandCopyRegistry, BrandsModule, OnboardingRegistry } from '@caredesk/brands';
import { RepliesModule, ReplyChecks } from '@caredesk/inbox';
import { CheckReplyResolver } from './check-reply.resolver';
import { CheckReplyService } from './check-reply.service';
import { CompiledStyleGuides } from './compiled-style-guides';
import { StyleGuideVersion } from './entities/style-guide-version.entity';
import { StyleGuide } from './entities/style-guide.entity';
import { StyleGuideCheckService } from './style-guide-check.service';
import { StyleGuideReplyCheck } from './style-guide-reply.check';
import { StyleGuideResolver } from './style-guide.resolver';
import { StyleGuideService } from './style-guide.service';

/**
 * Style guides (API). Plugs into three seams of other contexts, so none of them knows our tables:
 * inbox's ReplyChecks (every reply is checked), brands' BrandCopyRegistry (a duplicate copies the
 * guide) and OnboardingRegistry (the "style guide set" step).
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([StyleGuide, StyleGuideVersion]),
    BrandsModule,
    AuditModule,
    RepliesModule,
  ],
  providers: [
    CompiledStyleGuides,
    StyleGuideService,
    StyleGuideCheckService,
    StyleGuideReplyCheck,
    CheckReplyService,
    StyleGuideResolver,
    CheckReplyResolver,
  ],
  exports: [StyleGuideCheckService],
})
export class StyleGuidesModule implements OnModuleInit {
  constructor(
    private readonly replyChecks: ReplyChecks,
    private readonly replyCheck: StyleGuideReplyCheck,
    private readonly copiers: BrandCopyRegistry,
    private readonly onboarding: OnboardingRegistry,
    private readonly guides: StyleGuideService,
  ) {}

  onModuleInit(): void {
    this.replyChecks.register(this.replyCheck);
    this.copiers.register({
      key: 'STYLE_GUIDES',
      order: 10,
      copy: (ctx, from, to) => this.guides.copy(ctx, from, to),
    });
    this.onboarding.register({
      key: 'STYLE_GUIDE_SET',
      title: 'Set up the style guide',
      order: 30,
      isDone: async (ctx, brandIds) => {
        const done = await this.guides.brandsWithGuide(ctx, brandIds);
        return new Map(brandIds.map((id) => [id, done.has(id)]));
      },
    });
  }
}

import { Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@caredesk/audit';
import { BrandCopyRegistry, BrandsModule } from '@caredesk/brands';
import { StyleGuidesModule } from '@caredesk/style-guides';
import { CannedReplyRenderService } from './canned-replies/canned-reply-render.service';
import { CannedReplyStyleCheck } from './canned-replies/canned-reply-style-check';
import { CannedReplyResolver } from './canned-replies/canned-reply.resolver';
import { CannedReplyService } from './canned-replies/canned-reply.service';
import { CannedReply, CannedReplyVariant } from './entities/canned-reply.entity';
import { KnowledgeEntry } from './entities/knowledge-entry.entity';
import { KnowledgeBrandCopy } from './knowledge-brand-copy';
import { KnowledgeEntryResolver } from './knowledge-entries/knowledge-entry.resolver';
import { KnowledgeEntryService } from './knowledge-entries/knowledge-entry.service';
import { ConversationFactsReader } from './shared/conversation-facts';
import { SuggestionResolver } from './suggestions/suggestion.resolver';
import { SuggestionService } from './suggestions/suggestion.service';

/** Canned replies, the knowledge bank and suggestions for a conversation (issue 4). API only. */
@Module({
  imports: [
    TypeOrmModule.forFeature([CannedReply, CannedReplyVariant, KnowledgeEntry]),
    BrandsModule,
    AuditModule,
    StyleGuidesModule,
  ],
  providers: [
    ConversationFactsReader,
    CannedReplyStyleCheck,
    CannedReplyService,
    CannedReplyRenderService,
    CannedReplyResolver,
    KnowledgeEntryService,
    KnowledgeEntryResolver,
    SuggestionService,
    SuggestionResolver,
    KnowledgeBrandCopy,
  ],
  exports: [CannedReplyService, KnowledgeEntryService, SuggestionService],
})
export class KnowledgeModule implements OnModuleInit {
  constructor(
    private readonly copiers: BrandCopyRegistry,
    private readonly copy: KnowledgeBrandCopy,
  ) {}

  onModuleInit(): void {
    this.copiers.register(this.copy);
  }
}

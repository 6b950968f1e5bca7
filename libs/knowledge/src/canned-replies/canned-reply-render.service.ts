import { Injectable } from '@nestjs/common';
import { AppError, RequestContext, Role, TenantDb } from '@caredesk/core';
import { BrandAccessService } from '@caredesk/brands';
import { ConversationFactsReader } from '../shared/conversation-facts';
import { normalizeLanguage, pickByLanguage } from '../shared/language';
import { firstName, renderTemplate } from '../templates/template';
import { CannedReplyService } from './canned-reply.service';
import { RenderCannedReplyInput } from './dto/render-canned-reply.input';

export interface RenderedCannedReply {
  cannedReplyId: string;
  language: string;
  text: string;
  usageCount: number;
}

/**
 * Fills a canned reply in for one conversation, on the server: the variant in the asked language
 * (else the conversation's detected language, else the brand's first language, else any), with the
 * customer's, the agent's and the brand's names. Rendering counts as a use (usage_count,
 * last_used_at), in the same transaction, atomically (concurrent renders never lose a count).
 */
@Injectable()
export class CannedReplyRenderService {
  constructor(
    private readonly db: TenantDb,
    private readonly brands: BrandAccessService,
    private readonly replies: CannedReplyService,
    private readonly facts: ConversationFactsReader,
  ) {}

  async render(ctx: RequestContext, input: RenderCannedReplyInput): Promise<RenderedCannedReply> {
    ctx.requireRole(Role.AGENT);
    const asked = input.language ? normalizeLanguage(input.language) : null;
    return this.db.run(ctx, async (tx) => {
      const conversation = await this.facts.conversation(ctx, tx, input.conversationId);
      const reply = await this.replies.visible(ctx, tx, input.cannedReplyId);
      if (reply.brandId !== conversation.brandId) {
        throw AppError.badInput(
          'This canned reply belongs to another brand than the conversation',
          'cannedReplyId',
        );
      }
      const brand = await this.brands.requireOne(ctx, conversation.brandId);
      const variants = (await this.replies.variantsOf(tx, [reply.id])).get(reply.id) ?? [];
      const variant = pickByLanguage(variants, [asked, conversation.language, brand.languages[0]]);
      if (!variant) throw AppError.badInput('This canned reply has no text', 'cannedReplyId');

      const agentName = await this.facts.userName(tx, ctx.userId);
      const text = renderTemplate(variant.body, {
        'contact.firstName': firstName(conversation.contactName),
        'contact.name': conversation.contactName,
        'agent.firstName': firstName(agentName),
        'agent.name': agentName,
        'brand.name': brand.name,
      });
      const [counted] = await tx.returning<{ usage_count: number }>(
        `UPDATE canned_replies SET usage_count = usage_count + 1, last_used_at = now()
          WHERE agency_id = $1 AND id = $2 RETURNING usage_count`,
        [tx.agencyId, reply.id],
      );
      return {
        cannedReplyId: reply.id,
        language: variant.language,
        text,
        usageCount: Number(counted?.usage_count ?? 0),
      };
    });
  }
}

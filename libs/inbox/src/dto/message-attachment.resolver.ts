import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { AttachmentLinks } from '@caredesk/channels';
import { Ctx, RequestContext } from '@caredesk/core';
import { MessageAttachmentDto } from './message.dto';

@Resolver(() => MessageAttachmentDto)
export class MessageAttachmentResolver {
  constructor(private readonly links: AttachmentLinks) {}

  /**
   * Only a caller who was allowed to read the message gets here (its conversation was scoped), so
   * this is where a kept attachment's signed link is made — never stored, always fresh.
   */
  @ResolveField(() => String, {
    nullable: true,
    description:
      "Where to open it: the platform's URL, or for an attachment Caredesk keeps (email) a signed download link, valid for at least ATTACHMENT_LINK_TTL_SECONDS. Null when neither exists.",
  })
  url(@Parent() a: MessageAttachmentDto, @Ctx() ctx: RequestContext): string | null {
    if (!a.contentId || !a.brandId) return a.url ?? null;
    return this.links.url({
      agencyId: ctx.agencyId,
      brandId: a.brandId,
      sha256: a.contentId,
      name: a.name || 'attachment',
    });
  }
}

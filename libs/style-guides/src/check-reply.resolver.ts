import { Args, Query, Resolver } from '@nestjs/graphql';
import { Ctx, RequestContext } from '@caredesk/core';
import { CheckReplyInput } from './dto/check-reply.input';
import { StyleCheckResultDto } from './dto/style-check-result.dto';
import { CheckReplyService } from './check-reply.service';

@Resolver(() => StyleCheckResultDto)
export class CheckReplyResolver {
  constructor(private readonly service: CheckReplyService) {}

  @Query(() => StyleCheckResultDto, {
    description:
      "A draft checked against the brand's current style guide, without sending. Any role that can see the brand.",
  })
  checkReply(
    @Ctx() ctx: RequestContext,
    @Args('input') input: CheckReplyInput,
  ): Promise<StyleCheckResultDto> {
    return this.service.check(ctx, input);
  }
}

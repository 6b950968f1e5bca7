import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Ctx, RequestContext } from '@caredesk/core';
import { ChangeMemberRoleInput } from './dto/change-member-role.input';
import { MemberDto } from './dto/member.dto';
import { MembershipIdArgs } from './dto/membership-id.args';
import { MemberService } from './member.service';

@Resolver(() => MemberDto)
export class MemberResolver {
  constructor(private readonly service: MemberService) {}

  @Query(() => [MemberDto], {
    description:
      'MANAGER+ see every member; an AGENT sees colleagues (no CLIENT_VIEWERs); a CLIENT_VIEWER is refused.',
  })
  members(@Ctx() ctx: RequestContext): Promise<MemberDto[]> {
    return this.service.list(ctx);
  }

  @Mutation(() => MemberDto, {
    description: 'ADMIN+. CONFLICT when it would leave the agency without an OWNER.',
  })
  changeMemberRole(
    @Ctx() ctx: RequestContext,
    @Args('input') input: ChangeMemberRoleInput,
  ): Promise<MemberDto> {
    return this.service.changeRole(ctx, input);
  }

  @Mutation(() => Boolean, { description: 'ADMIN+. Also ends the member’s sessions in this agency.' })
  removeMember(@Ctx() ctx: RequestContext, @Args() args: MembershipIdArgs): Promise<boolean> {
    return this.service.remove(ctx, args.membershipId);
  }
}

import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Ctx, RequestContext } from '@caredesk/core';
import { Public } from '../auth/public.decorator';
import { AuthPayloadDto } from '../dto/auth-payload.dto';
import { AcceptInvitationArgs, InvitationIdArgs, InviteStakeholderArgs } from './dto/invitation.args';
import { InvitationDto } from './dto/invitation.dto';
import { InviteMemberInput } from './dto/invite-member.input';
import { InvitationAcceptService } from './invitation-accept.service';
import { InvitationService } from './invitation.service';

@Resolver(() => InvitationDto)
export class InvitationResolver {
  constructor(
    private readonly service: InvitationService,
    private readonly acceptance: InvitationAcceptService,
  ) {}

  @Query(() => [InvitationDto], {
    description: 'Pending invitations the caller may manage (expired ones included).',
  })
  invitations(@Ctx() ctx: RequestContext): Promise<InvitationDto[]> {
    return this.service.list(ctx);
  }

  @Mutation(() => InvitationDto, { description: 'ADMIN+. Mails a single-use link valid for 7 days.' })
  inviteMember(@Ctx() ctx: RequestContext, @Args('input') input: InviteMemberInput): Promise<InvitationDto> {
    return this.service.inviteMember(ctx, input);
  }

  @Mutation(() => InvitationDto, { description: 'MANAGER+: invites a CLIENT_VIEWER of exactly this brand.' })
  inviteStakeholder(@Ctx() ctx: RequestContext, @Args() args: InviteStakeholderArgs): Promise<InvitationDto> {
    return this.service.inviteStakeholder(ctx, args.brandId, args.email);
  }

  @Mutation(() => InvitationDto, { description: 'Mails a fresh link; the previous one stops working.' })
  resendInvitation(@Ctx() ctx: RequestContext, @Args() args: InvitationIdArgs): Promise<InvitationDto> {
    return this.service.resend(ctx, args.id);
  }

  @Mutation(() => Boolean)
  revokeInvitation(@Ctx() ctx: RequestContext, @Args() args: InvitationIdArgs): Promise<boolean> {
    return this.service.revoke(ctx, args.id);
  }

  @Public()
  @Mutation(() => AuthPayloadDto, {
    description:
      'Joins the agency. A new email creates the account (name, password); an existing account must give its password. ' +
      'Errors: NOT_FOUND (unknown, used, revoked or expired token), UNAUTHENTICATED (wrong password of an existing account), ' +
      'CONFLICT (already a member), BAD_USER_INPUT (weak password).',
  })
  acceptInvitation(@Args() args: AcceptInvitationArgs): Promise<AuthPayloadDto> {
    return this.acceptance.accept(args);
  }
}

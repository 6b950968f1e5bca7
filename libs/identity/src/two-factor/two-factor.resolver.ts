import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { Ctx, RequestContext } from '@caredesk/core';
import { AllowWithoutTwoFactor } from '../auth/allow-without-two-factor.decorator';
import { AgencyDto } from '../dto/agency.dto';
import { TwoFactorSetupDto } from './dto/two-factor-setup.dto';
import { TwoFactorService } from './two-factor.service';

@Resolver()
export class TwoFactorResolver {
  constructor(private readonly twoFactor: TwoFactorService) {}

  @AllowWithoutTwoFactor()
  @Mutation(() => TwoFactorSetupDto, { description: 'Starts TOTP setup; confirm with confirmTwoFactor.' })
  beginTwoFactorSetup(@Ctx() ctx: RequestContext): Promise<TwoFactorSetupDto> {
    return this.twoFactor.beginSetup(ctx);
  }

  @AllowWithoutTwoFactor()
  @Mutation(() => Boolean, {
    description:
      'Turns two-factor sign-in on. Tokens already issued keep mfa=false: log in again with a code.',
  })
  confirmTwoFactor(@Ctx() ctx: RequestContext, @Args('code') code: string): Promise<boolean> {
    return this.twoFactor.confirm(ctx, code);
  }

  @Mutation(() => Boolean, { description: 'Turns two-factor sign-in off; needs a current code.' })
  disableTwoFactor(@Ctx() ctx: RequestContext, @Args('code') code: string): Promise<boolean> {
    return this.twoFactor.disable(ctx, code);
  }

  @Mutation(() => AgencyDto, {
    description: 'OWNER/ADMIN: make two-factor sign-in mandatory for every member.',
  })
  setAgencyTwoFactorRequirement(
    @Ctx() ctx: RequestContext,
    @Args('required') required: boolean,
  ): Promise<AgencyDto> {
    return this.twoFactor.setAgencyRequirement(ctx, required);
  }
}

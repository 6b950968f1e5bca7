import { UseGuards } from '@nestjs/common';
import { Args, Field, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { AppError, Ctx, RequestContext, TenantDb } from '@caredesk/core';
import { Role } from '@caredesk/core';
import { AgencyDto } from '../dto/agency.dto';
import { AuthPayloadDto } from '../dto/auth-payload.dto';
import { LoginInput } from '../dto/login.input';
import { SignUpInput } from '../dto/sign-up.input';
import { UserDto } from '../dto/user.dto';
import { Agency } from '../entities/agency.entity';
import { User } from '../entities/user.entity';
import { AllowWithoutTwoFactor } from './allow-without-two-factor.decorator';
import { AuthService } from './auth.service';
import { LoginThrottleGuard } from './login-throttle.guard';
import { Public } from './public.decorator';

@ObjectType('Viewer')
export class ViewerDto {
  @Field(() => UserDto) user: UserDto;
  @Field(() => AgencyDto, { description: 'The agency this token is for.' }) agency: AgencyDto;
  @Field(() => Role) role: Role;
  @Field(() => [String], { nullable: true, description: 'Brands the viewer may see; null means all.' })
  brandIds: string[] | null;
  @Field(() => [AgencyDto], { description: 'Every agency the user belongs to (to switch with login).' })
  agencies: AgencyDto[];
}

@Resolver()
export class AuthResolver {
  constructor(
    private readonly auth: AuthService,
    private readonly db: TenantDb,
  ) {}

  @Public()
  @Mutation(() => AuthPayloadDto, { description: 'Creates an agency and its OWNER.' })
  signUp(@Args('input') input: SignUpInput): Promise<AuthPayloadDto> {
    return this.auth.signUp(input);
  }

  @Public()
  @UseGuards(LoginThrottleGuard)
  @Mutation(() => AuthPayloadDto, {
    description:
      'For a user with two-factor sign-in, a call without totpCode fails with UNAUTHENTICATED and ' +
      'extensions.reason TWO_FACTOR_REQUIRED (only once the password is right); repeat it with the code.',
  })
  login(@Args('input') input: LoginInput): Promise<AuthPayloadDto> {
    return this.auth.login(input);
  }

  @Public()
  @UseGuards(LoginThrottleGuard)
  @Mutation(() => AuthPayloadDto, {
    description:
      'Exchanges a refresh token for a new pair. Each refresh token works once; reusing one ends the session.',
  })
  refreshToken(@Args('token') token: string): Promise<AuthPayloadDto> {
    return this.auth.refresh(token);
  }

  @AllowWithoutTwoFactor()
  @Mutation(() => Boolean, {
    description:
      'Ends the session of this refresh token (false if it is not yours), or without one every session ' +
      'of yours in this agency. Access tokens already issued expire on their own.',
  })
  logout(
    @Ctx() ctx: RequestContext,
    @Args('refreshToken', { type: () => String, nullable: true }) refreshToken?: string | null,
  ): Promise<boolean> {
    return this.auth.logout(ctx, refreshToken);
  }

  @AllowWithoutTwoFactor()
  @Query(() => ViewerDto, { description: 'The signed-in user; API keys get FORBIDDEN (they have no user).' })
  async me(@Ctx() ctx: RequestContext): Promise<ViewerDto> {
    const userId = ctx.userId;
    if (!userId) throw AppError.forbidden('me is for users; an API key has no user');
    const { user, agency } = await this.db.run(ctx, async (tx) => ({
      user: await tx.manager.findOneByOrFail(User, { id: userId }),
      agency: await tx.manager.findOneByOrFail(Agency, { id: ctx.agencyId }),
    }));
    return {
      user: UserDto.from(user),
      agency: AgencyDto.from(agency),
      role: ctx.role,
      brandIds: ctx.brandIds ? [...ctx.brandIds] : null,
      agencies: await this.auth.agenciesOf(user.id),
    };
  }
}

import { Args, Field, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { Ctx, RequestContext, TenantDb } from '@caredesk/core';
import { Role } from '@caredesk/core';
import { AgencyDto } from '../dto/agency.dto';
import { AuthPayloadDto } from '../dto/auth-payload.dto';
import { LoginInput } from '../dto/login.input';
import { SignUpInput } from '../dto/sign-up.input';
import { UserDto } from '../dto/user.dto';
import { Agency } from '../entities/agency.entity';
import { User } from '../entities/user.entity';
import { AuthService } from './auth.service';
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
  @Mutation(() => AuthPayloadDto)
  login(@Args('input') input: LoginInput): Promise<AuthPayloadDto> {
    return this.auth.login(input);
  }

  @Query(() => ViewerDto)
  async me(@Ctx() ctx: RequestContext): Promise<ViewerDto> {
    const userId = ctx.userId;
    const { user, agency } = await this.db.run(ctx, async (tx) => ({
      user: userId ? await tx.manager.findOneByOrFail(User, { id: userId }) : null,
      agency: await tx.manager.findOneByOrFail(Agency, { id: ctx.agencyId }),
    }));
    if (!user) throw new Error('me is for users; API keys have no user');
    return {
      user: UserDto.from(user),
      agency: AgencyDto.from(agency),
      role: ctx.role,
      brandIds: ctx.brandIds ? [...ctx.brandIds] : null,
      agencies: await this.auth.agenciesOf(user.id),
    };
  }
}

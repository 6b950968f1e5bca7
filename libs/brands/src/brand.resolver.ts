import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Ctx, RequestContext } from '@caredesk/core';
import { BrandService } from './brand.service';
import { BrandDto } from './dto/brand.dto';
import { CreateBrandInput } from './dto/create-brand.input';
import { OnboardingDto } from './dto/onboarding.dto';
import { UpdateBrandInput } from './dto/update-brand.input';
import { OnboardingLoader } from './onboarding/onboarding.loader';

@Resolver(() => BrandDto)
export class BrandResolver {
  constructor(
    private readonly service: BrandService,
    private readonly onboardingLoader: OnboardingLoader,
  ) {}

  @Query(() => [BrandDto], { description: 'The brands the caller may see, by name.' })
  async brands(
    @Ctx() ctx: RequestContext,
    @Args('includeArchived', { type: () => Boolean, nullable: true, defaultValue: false })
    includeArchived: boolean | null,
  ): Promise<BrandDto[]> {
    return (await this.service.list(ctx, includeArchived ?? false)).map(BrandDto.from);
  }

  @Query(() => BrandDto, { nullable: true, description: 'NOT_FOUND for a brand the caller may not see.' })
  async brand(@Ctx() ctx: RequestContext, @Args('id', { type: () => ID }) id: string): Promise<BrandDto> {
    return BrandDto.from(await this.service.get(ctx, id));
  }

  @Mutation(() => BrandDto, { description: 'ADMIN and above.' })
  async createBrand(@Ctx() ctx: RequestContext, @Args('input') input: CreateBrandInput): Promise<BrandDto> {
    return BrandDto.from(await this.service.create(ctx, input));
  }

  @Mutation(() => BrandDto, {
    description: 'ADMIN and above. Omitted fields stay; null clears optional ones.',
  })
  async updateBrand(@Ctx() ctx: RequestContext, @Args('input') input: UpdateBrandInput): Promise<BrandDto> {
    return BrandDto.from(await this.service.update(ctx, input));
  }

  @Mutation(() => BrandDto, { description: 'ADMIN and above. Hides the brand from lists; idempotent.' })
  async archiveBrand(
    @Ctx() ctx: RequestContext,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<BrandDto> {
    return BrandDto.from(await this.service.archive(ctx, id));
  }

  @Mutation(() => BrandDto, { description: 'ADMIN and above; idempotent.' })
  async restoreBrand(
    @Ctx() ctx: RequestContext,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<BrandDto> {
    return BrandDto.from(await this.service.restore(ctx, id));
  }

  @Mutation(() => BrandDto, {
    description:
      'ADMIN and above. A new brand with the settings of another; not its channels, conversations or members.',
  })
  async duplicateBrand(
    @Ctx() ctx: RequestContext,
    @Args('brandId', { type: () => ID }) brandId: string,
    @Args('name') name: string,
  ): Promise<BrandDto> {
    return BrandDto.from(await this.service.duplicate(ctx, brandId, name));
  }

  @ResolveField(() => OnboardingDto)
  onboarding(
    @Parent() brand: BrandDto,
    @Ctx() ctx: RequestContext,
    @Context('req') req: object,
  ): Promise<OnboardingDto> {
    return this.onboardingLoader.load(req, ctx, brand.id);
  }
}

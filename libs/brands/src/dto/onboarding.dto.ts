import { Field, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('OnboardingStep')
export class OnboardingStepDto {
  @Field({ description: 'Stable key, e.g. CHANNELS_CONNECTED.' }) key: string;
  @Field() title: string;
  @Field() done: boolean;
}

@ObjectType('Onboarding', { description: 'The checklist an admin works through to onboard a brand.' })
export class OnboardingDto {
  @Field(() => [OnboardingStepDto]) steps: OnboardingStepDto[];
  @Field(() => Int) completed: number;
  @Field(() => Int) total: number;
  @Field() done: boolean;
}

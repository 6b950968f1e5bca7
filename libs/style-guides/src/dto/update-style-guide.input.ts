import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsUUID, ValidateNested } from 'class-validator';
import { StyleRulesInput } from './style-rules.input';

@InputType()
export class UpdateStyleGuideInput {
  @Field(() => ID) @IsUUID() brandId: string;

  @Field(() => Int, {
    nullable: true,
    description:
      'The version the editor started from (0 when the brand had none); CONFLICT if another change came first.',
  })
  @IsOptional()
  @IsInt()
  expectedVersion?: number | null;

  @Field(() => StyleRulesInput) @ValidateNested() @Type(() => StyleRulesInput) rules: StyleRulesInput;
}

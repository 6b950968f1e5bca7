import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Connection } from '@caredesk/core';
import { StyleRules } from '../engine/style-rules';
import { StyleRulesDto } from './style-rules.dto';

/** An immutable version of a brand's style guide. */
@ObjectType('StyleGuideVersion')
export class StyleGuideVersionDto {
  @Field(() => ID) id: string;
  @Field(() => ID) brandId: string;
  @Field(() => Int, { description: '1, 2, 3… per brand.' }) version: number;
  @Field(() => StyleRulesDto) rules: StyleRules;
  @Field(() => ID, { nullable: true, description: 'Null for copies made by the system (brand duplicate).' })
  createdByUserId: string | null;
  @Field() createdAt: Date;
}

@ObjectType('StyleGuide', {
  description: "A brand's current style guide; version 0 with default rules before the first save.",
})
export class StyleGuideDto {
  @Field(() => ID) brandId: string;
  @Field(() => Int) version: number;
  @Field(() => ID, { nullable: true, description: 'Null until the first save.' }) versionId: string | null;
  @Field(() => StyleRulesDto) rules: StyleRules;
  @Field(() => ID, { nullable: true }) updatedByUserId: string | null;
  @Field(() => Date, { nullable: true }) updatedAt: Date | null;
}

export const StyleGuideVersionConnection = Connection(StyleGuideVersionDto, 'StyleGuideVersion');

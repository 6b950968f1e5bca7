import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Severity, StyleRuleKind } from './style-enums';

@ObjectType('StyleViolation')
export class StyleViolationDto {
  @Field(() => StyleRuleKind) rule: StyleRuleKind;
  @Field(() => Severity) severity: Severity;
  @Field(() => Int, { description: 'UTF-16 code unit offset into body (a JavaScript string index).' })
  start: number;
  @Field(() => Int, { description: 'Exclusive; body.slice(start, end) is the offending text.' }) end: number;
  @Field() message: string;
  @Field(() => String, { nullable: true }) suggestion: string | null;
}

@ObjectType('StyleCheckResult')
export class StyleCheckResultDto {
  @Field(() => [StyleViolationDto]) violations: StyleViolationDto[];
  @Field(() => Int, { description: '0–100; 100 = no violation, each BLOCK costs 25 and each WARN 10.' })
  score: number;
  @Field({ description: 'True when a violation is BLOCK: replyToConversation would refuse it.' })
  blocked: boolean;
  @Field(() => ID, {
    nullable: true,
    description: 'The version checked against; null when the brand has none.',
  })
  versionId: string | null;
}

import { Field, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsArray, IsBoolean, IsEnum, IsInt, IsOptional, IsString, ValidateNested } from 'class-validator';
import { Platform } from '@caredesk/channels';
import { EmojiMode, LengthScope, Severity } from './style-enums';

// Shapes and types only; limits and meaning are checked by normalizeRules, which names the field.

@InputType()
export class VoiceInput {
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() description?: string | null;
  @Field(() => [String], { nullable: true })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  examples?: string[] | null;
}

@InputType({ description: 'A phrase matched as whole words, case-insensitively, in any script.' })
export class PhraseRuleInput {
  @Field() @IsString() phrase: string;
  @Field(() => String, { nullable: true, description: 'What to write instead (the suggestion).' })
  @IsOptional()
  @IsString()
  replacement?: string | null;
  @Field(() => [String], { nullable: true, description: 'BCP-47 tags; empty or omitted: every language.' })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  languages?: string[] | null;
  @Field(() => Severity, { nullable: true }) @IsOptional() @IsEnum(Severity) severity?: Severity | null;
}

@InputType()
export class TemplateInput {
  @Field({
    description:
      'e.g. "Hi {{contact.firstName}},". Variables (matched as any text): contact.firstName, contact.name, ' +
      'agent.firstName, agent.name, brand.name.',
  })
  @IsString()
  template: string;
  @Field(() => [String], { nullable: true })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  languages?: string[] | null;
  @Field(() => [String], {
    nullable: true,
    description: 'Conversation kinds (DM, COMMENT, MENTION, REVIEW, EMAIL); empty or omitted: all.',
  })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  kinds?: string[] | null;
}

@InputType({
  description: 'The reply must open (greeting) or end (sign-off) with one of the templates that apply.',
})
export class TemplateRuleInput {
  @Field(() => [TemplateInput])
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => TemplateInput)
  templates: TemplateInput[];
  @Field(() => Severity, { nullable: true }) @IsOptional() @IsEnum(Severity) severity?: Severity | null;
}

@InputType()
export class EmojiRuleInput {
  @Field(() => EmojiMode) @IsEnum(EmojiMode) mode: EmojiMode;
  @Field(() => Int, { nullable: true, description: 'For MAX only; at least 1.' })
  @IsOptional()
  @IsInt()
  max?: number | null;
  @Field(() => Severity, { nullable: true }) @IsOptional() @IsEnum(Severity) severity?: Severity | null;
}

@InputType()
export class MaxLengthRuleInput {
  @Field(() => Platform) @IsEnum(Platform) platform: Platform;
  @Field(() => LengthScope, { nullable: true, description: 'Default PUBLIC.' })
  @IsOptional()
  @IsEnum(LengthScope)
  scope?: LengthScope | null;
  @Field(() => Int, {
    description:
      "Characters as the platform counts them: X public replies in X's weighted count (URLs 23, CJK and emoji 2), " +
      'otherwise Unicode code points (NFC).',
  })
  @IsInt()
  max: number;
  @Field(() => Severity, { nullable: true }) @IsOptional() @IsEnum(Severity) severity?: Severity | null;
}

@InputType()
export class ExclamationMarksRuleInput {
  @Field(() => Int, { description: '0 = none allowed.' }) @IsInt() max: number;
  @Field(() => Severity, { nullable: true }) @IsOptional() @IsEnum(Severity) severity?: Severity | null;
}

@InputType()
export class CustomerNameRuleInput {
  @Field() @IsBoolean() required: boolean;
  @Field(() => Severity, { nullable: true }) @IsOptional() @IsEnum(Severity) severity?: Severity | null;
}

@InputType()
export class LinkRuleInput {
  @Field(() => [String], { description: 'e.g. ["brand.com"]; subdomains included; empty: no links at all.' })
  @IsArray()
  @IsString({ each: true })
  allowedDomains: string[];
  @Field(() => Severity, { nullable: true }) @IsOptional() @IsEnum(Severity) severity?: Severity | null;
}

@InputType({
  description:
    'The complete rules of the new version (omitted rules are off). Severity defaults: banned phrases, never-promise, ' +
    'max length and links BLOCK; the rest WARN.',
})
export class StyleRulesInput {
  @Field(() => VoiceInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => VoiceInput)
  voice?: VoiceInput | null;

  @Field(() => [PhraseRuleInput], { nullable: true })
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => PhraseRuleInput)
  bannedPhrases?: PhraseRuleInput[] | null;

  @Field(() => [PhraseRuleInput], {
    nullable: true,
    description: 'Promises only a manager may make (refund, compensation…).',
  })
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => PhraseRuleInput)
  neverPromise?: PhraseRuleInput[] | null;

  @Field(() => [PhraseRuleInput], { nullable: true, description: 'Competitor names.' })
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => PhraseRuleInput)
  competitors?: PhraseRuleInput[] | null;

  @Field(() => TemplateRuleInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => TemplateRuleInput)
  greeting?: TemplateRuleInput | null;

  @Field(() => TemplateRuleInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => TemplateRuleInput)
  signOff?: TemplateRuleInput | null;

  @Field(() => EmojiRuleInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => EmojiRuleInput)
  emoji?: EmojiRuleInput | null;

  @Field(() => [MaxLengthRuleInput], {
    nullable: true,
    description:
      'Per platform and scope; pairs left out keep their defaults (X 280 public / 10,000 DMs, Instagram 2,200 / ' +
      '1,000, Facebook 8,000 / Messenger 2,000, TikTok 150, …).',
  })
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => MaxLengthRuleInput)
  maxLength?: MaxLengthRuleInput[] | null;

  @Field(() => ExclamationMarksRuleInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => ExclamationMarksRuleInput)
  exclamationMarks?: ExclamationMarksRuleInput | null;

  @Field(() => CustomerNameRuleInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => CustomerNameRuleInput)
  customerNameInDirectMessages?: CustomerNameRuleInput | null;

  @Field(() => LinkRuleInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => LinkRuleInput)
  links?: LinkRuleInput | null;
}

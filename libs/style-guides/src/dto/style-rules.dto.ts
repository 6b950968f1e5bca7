import { Field, Int, ObjectType } from '@nestjs/graphql';
import { Platform } from '@caredesk/channels';
import { EmojiMode, LengthScope, Severity } from './style-enums';

// Output mirror of StyleRules (engine/style-rules.ts): severities resolved, defaults filled in.

@ObjectType('StyleVoice')
export class VoiceDto {
  @Field() description: string;
  @Field(() => [String]) examples: string[];
}

@ObjectType('PhraseRule')
export class PhraseRuleDto {
  @Field() phrase: string;
  @Field(() => String, { nullable: true }) replacement: string | null;
  @Field(() => [String], { description: 'Primary language subtags; empty: every language.' })
  languages: string[];
  @Field(() => Severity) severity: Severity;
}

@ObjectType('StyleTemplate')
export class TemplateDto {
  @Field() template: string;
  @Field(() => [String]) languages: string[];
  @Field(() => [String]) kinds: string[];
}

@ObjectType('TemplateRule')
export class TemplateRuleDto {
  @Field(() => [TemplateDto]) templates: TemplateDto[];
  @Field(() => Severity) severity: Severity;
}

@ObjectType('EmojiRule')
export class EmojiRuleDto {
  @Field(() => EmojiMode) mode: EmojiMode;
  @Field(() => Int, { nullable: true }) max: number | null;
  @Field(() => Severity) severity: Severity;
}

@ObjectType('MaxLengthRule')
export class MaxLengthRuleDto {
  @Field(() => Platform) platform: Platform;
  @Field(() => LengthScope) scope: LengthScope;
  @Field(() => Int, {
    description: "X public replies: X's weighted count; otherwise Unicode code points (NFC).",
  })
  max: number;
  @Field(() => Severity) severity: Severity;
}

@ObjectType('ExclamationMarksRule')
export class ExclamationMarksRuleDto {
  @Field(() => Int) max: number;
  @Field(() => Severity) severity: Severity;
}

@ObjectType('CustomerNameRule')
export class CustomerNameRuleDto {
  @Field(() => Severity) severity: Severity;
}

@ObjectType('LinkRule')
export class LinkRuleDto {
  @Field(() => [String], { description: 'Lower-case ASCII (IDNs in punycode); subdomains included.' })
  allowedDomains: string[];
  @Field(() => Severity) severity: Severity;
}

@ObjectType('StyleRules')
export class StyleRulesDto {
  @Field(() => VoiceDto) voice: VoiceDto;
  @Field(() => [PhraseRuleDto]) bannedPhrases: PhraseRuleDto[];
  @Field(() => [PhraseRuleDto]) neverPromise: PhraseRuleDto[];
  @Field(() => [PhraseRuleDto]) competitors: PhraseRuleDto[];
  @Field(() => TemplateRuleDto, { nullable: true }) greeting: TemplateRuleDto | null;
  @Field(() => TemplateRuleDto, { nullable: true }) signOff: TemplateRuleDto | null;
  @Field(() => EmojiRuleDto) emoji: EmojiRuleDto;
  @Field(() => [MaxLengthRuleDto]) maxLength: MaxLengthRuleDto[];
  @Field(() => ExclamationMarksRuleDto, { nullable: true }) exclamationMarks: ExclamationMarksRuleDto | null;
  @Field(() => CustomerNameRuleDto, {
    nullable: true,
    description: 'Set: a DM reply must name the customer.',
  })
  customerNameInDirectMessages: CustomerNameRuleDto | null;
  @Field(() => LinkRuleDto, { nullable: true, description: 'Null: links to anywhere are allowed.' })
  links: LinkRuleDto | null;
}

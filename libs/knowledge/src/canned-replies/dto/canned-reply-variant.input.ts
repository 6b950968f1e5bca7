import { Field, InputType } from '@nestjs/graphql';
import { IsString, MaxLength } from 'class-validator';

@InputType()
export class CannedReplyVariantInput {
  @Field({ description: 'BCP-47 tag, e.g. en, nb, pl, vi; one variant per language.' })
  @IsString()
  @MaxLength(35)
  language: string;

  @Field({
    description:
      'The text (1–10,000 characters). Variables: {{contact.firstName}}, {{contact.name}}, {{agent.firstName}}, ' +
      '{{agent.name}}, {{brand.name}}, each with an optional fallback: {{contact.firstName | "there"}}.',
  })
  @IsString()
  @MaxLength(10_000)
  body: string;
}

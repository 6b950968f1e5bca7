import { Field, Float, ObjectType, registerEnumType } from '@nestjs/graphql';
import { CannedReplyDto } from '../../canned-replies/dto/canned-reply.dto';
import { KnowledgeEntryDto } from '../../knowledge-entries/dto/knowledge-entry.dto';

export enum SuggestionKind {
  KNOWLEDGE_ENTRY = 'KNOWLEDGE_ENTRY',
  CANNED_REPLY = 'CANNED_REPLY',
}

registerEnumType(SuggestionKind, { name: 'SuggestionKind' });

@ObjectType('Suggestion', { description: 'A knowledge entry or canned reply relevant to a conversation.' })
export class SuggestionDto {
  @Field(() => SuggestionKind) kind: SuggestionKind;
  @Field(() => Float, {
    description: 'Relevance (PostgreSQL ts_rank, boosted for the conversation language); higher is better.',
  })
  score: number;
  @Field(() => KnowledgeEntryDto, { nullable: true, description: 'Set when kind is KNOWLEDGE_ENTRY.' })
  knowledgeEntry: KnowledgeEntryDto | null;
  @Field(() => CannedReplyDto, { nullable: true, description: 'Set when kind is CANNED_REPLY.' })
  cannedReply: CannedReplyDto | null;
}

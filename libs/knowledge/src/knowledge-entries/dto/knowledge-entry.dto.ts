import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Connection } from '@caredesk/core';
import { KnowledgeEntry } from '../../entities/knowledge-entry.entity';

@ObjectType('KnowledgeEntry', { description: "A question and its answer in a brand's knowledge bank." })
export class KnowledgeEntryDto {
  @Field(() => ID) id: string;
  @Field(() => ID) brandId: string;
  @Field() question: string;
  @Field() answer: string;
  @Field({ description: 'BCP-47 tag.' }) language: string;
  @Field(() => [String]) tags: string[];
  @Field(() => ID, { nullable: true, description: 'The reply it was saved from, if any.' })
  sourceMessageId: string | null;
  @Field() createdAt: Date;
  @Field() updatedAt: Date;

  static from(e: KnowledgeEntry): KnowledgeEntryDto {
    return Object.assign(new KnowledgeEntryDto(), {
      id: e.id,
      brandId: e.brandId,
      question: e.question,
      answer: e.answer,
      language: e.language,
      tags: e.tags,
      sourceMessageId: e.sourceMessageId,
      createdAt: e.createdAt,
      updatedAt: e.updatedAt,
    });
  }
}

export const KnowledgeEntryConnection = Connection(KnowledgeEntryDto, 'KnowledgeEntry');
export type KnowledgeEntryConnection = InstanceType<typeof KnowledgeEntryConnection>;

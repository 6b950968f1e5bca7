import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Connection } from '@caredesk/core';
import { CannedReply, CannedReplyVariant } from '../../entities/canned-reply.entity';

@ObjectType('CannedReplyVariant')
export class CannedReplyVariantDto {
  @Field() language: string;
  @Field({ description: 'The template, variables unrendered.' }) body: string;
}

@ObjectType('CannedReply', { description: 'A ready-made answer of a brand, with one template per language.' })
export class CannedReplyDto {
  @Field(() => ID) id: string;
  @Field(() => ID) brandId: string;
  @Field() title: string;
  @Field() shortcut: string;
  @Field(() => [String]) tags: string[];
  @Field(() => [CannedReplyVariantDto], { description: 'By language.' }) variants: CannedReplyVariantDto[];
  @Field(() => Int, { description: 'How often it was rendered for a conversation.' }) usageCount: number;
  @Field(() => Date, { nullable: true }) lastUsedAt: Date | null;
  @Field() createdAt: Date;
  @Field() updatedAt: Date;

  static from(r: CannedReply, variants: CannedReplyVariant[]): CannedReplyDto {
    return Object.assign(new CannedReplyDto(), {
      id: r.id,
      brandId: r.brandId,
      title: r.title,
      shortcut: r.shortcut,
      tags: r.tags,
      variants: variants.map((v) => ({ language: v.language, body: v.body })),
      usageCount: r.usageCount,
      lastUsedAt: r.lastUsedAt,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
    });
  }
}

export const CannedReplyConnection = Connection(CannedReplyDto, 'CannedReply');
export type CannedReplyConnection = InstanceType<typeof CannedReplyConnection>;

@ObjectType('RenderedCannedReply')
export class RenderedCannedReplyDto {
  @Field(() => ID) cannedReplyId: string;
  @Field({ description: 'The language of the variant used.' }) language: string;
  @Field({ description: 'The text with every variable filled in, ready to send or edit.' }) text: string;
  @Field(() => Int, { description: 'The usage count including this use.' }) usageCount: number;
}

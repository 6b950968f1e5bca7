import { Field, Int, ObjectType } from '@nestjs/graphql';
import { PageInfo } from '@caredesk/core';
import { MessageDto } from '../../dto/message.dto';
import { ConversationDto } from './conversation.dto';

@ObjectType('ConversationEdge')
export class ConversationEdge {
  @Field() cursor: string;
  @Field(() => ConversationDto) node: ConversationDto;
}

@ObjectType('ConversationConnection')
export class ConversationConnection {
  @Field(() => [ConversationEdge]) edges: ConversationEdge[];
  @Field(() => PageInfo) pageInfo: PageInfo;
}

@ObjectType('MessageEdge')
export class MessageEdge {
  @Field() cursor: string;
  @Field(() => MessageDto) node: MessageDto;
}

@ObjectType('MessageConnection', { description: 'Messages of a conversation, newest first.' })
export class MessageConnection {
  @Field(() => [MessageEdge]) edges: MessageEdge[];
  @Field(() => PageInfo) pageInfo: PageInfo;
}

@ObjectType('ConversationCounts', { description: 'How many conversations match the filter, per status.' })
export class ConversationCounts {
  @Field(() => Int) open: number;
  @Field(() => Int) pending: number;
  @Field(() => Int) snoozed: number;
  @Field(() => Int) resolved: number;
  @Field(() => Int) total: number;
}

import { Field, ID, ObjectType } from '@nestjs/graphql';
import { InboxUserDto } from '../conversations/dto/conversation.dto';

@ObjectType('Note', { description: 'An internal note on a conversation; customers never see it.' })
export class NoteDto {
  @Field(() => ID) id: string;
  @Field(() => ID) conversationId: string;
  @Field() body: string;
  @Field(() => InboxUserDto, { nullable: true, description: 'Null when written by an API key.' })
  author: InboxUserDto | null;
  @Field(() => [InboxUserDto], { description: 'Members mentioned (and mailed).' })
  mentions: InboxUserDto[];
  @Field() createdAt: Date;
}

import { ObjectType } from '@nestjs/graphql';
import { ConversationDto } from './conversation.dto';

/**
 * One conversation opened: everything of Conversation plus its messages, notes and the contact's
 * earlier conversations (fields resolved only here, so the list stays one statement per page).
 */
@ObjectType('ConversationDetail')
export class ConversationDetailDto extends ConversationDto {}

import { Field, ID, InputType, registerEnumType } from '@nestjs/graphql';
import { IsEnum, IsUUID } from 'class-validator';

export enum ModerationAction {
  HIDE = 'HIDE',
  UNHIDE = 'UNHIDE',
  DELETE = 'DELETE',
}
registerEnumType(ModerationAction, {
  name: 'ModerationAction',
  description: 'What to do with a Facebook or Instagram comment on the platform.',
});

@InputType()
export class ModerateMessageInput {
  @Field(() => ID) @IsUUID() messageId: string;
  @Field(() => ModerationAction) @IsEnum(ModerationAction) action: ModerationAction;
}

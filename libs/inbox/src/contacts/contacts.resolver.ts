import { Args, Field, ID, InputType, Mutation, Resolver } from '@nestjs/graphql';
import { IsUUID } from 'class-validator';
import { Ctx, RequestContext } from '@caredesk/core';
import { ContactDto } from '../conversations/dto/conversation.dto';
import { ContactMergeService } from './contact-merge.service';

@InputType()
export class MergeContactsInput {
  @Field(() => ID, { description: 'The contact that stays.' }) @IsUUID() contactId: string;
  @Field(() => ID, { description: 'The contact merged into it and deleted (same brand).' })
  @IsUUID()
  mergeContactId: string;
}

@Resolver(() => ContactDto)
export class ContactsResolver {
  constructor(private readonly merger: ContactMergeService) {}

  @Mutation(() => ContactDto, {
    description:
      "AGENT+. One customer on several platforms: moves mergeContactId's identities and conversations to contactId and deletes it. Same brand only (else BAD_USER_INPUT); a contact the caller cannot see is NOT_FOUND. Audited for MANAGER+, like the other inbox actions.",
  })
  mergeContacts(@Ctx() ctx: RequestContext, @Args('input') input: MergeContactsInput): Promise<ContactDto> {
    return this.merger.merge(ctx, input.contactId, input.mergeContactId);
  }
}

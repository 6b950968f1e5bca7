import { Args, ID, Mutation, Resolver } from '@nestjs/graphql';
import { Ctx, RequestContext } from '@caredesk/core';
import { NoteDto } from '../notes/note.dto';
import { NoteService } from '../notes/note.service';
import { ConversationActionsService } from './conversation-actions.service';
import {
  AddNoteInput,
  AssignConversationInput,
  BULK_MAX,
  BulkAssignInput,
  BulkResolveInput,
  BulkTagInput,
  ConversationTagsInput,
  MarkNoReplyNeededInput,
  SetConversationPriorityInput,
  SetConversationStatusInput,
  SetConversationTeamInput,
} from './dto/conversation-actions.input';
import { ConversationStatus } from './dto/conversation-enums';
import { ConversationDto } from './dto/conversation.dto';

const BULK = `All-or-nothing: any id the caller may not see → NOT_FOUND and nothing changes; at most ${BULK_MAX} ids.`;

@Resolver(() => ConversationDto)
export class ConversationActionsResolver {
  constructor(
    private readonly actions: ConversationActionsService,
    private readonly notes: NoteService,
  ) {}

  @Mutation(() => ConversationDto, {
    description:
      'Assigns to a member who can see the brand (else BAD_USER_INPUT), or unassigns (userId null).',
  })
  async assignConversation(@Ctx() ctx: RequestContext, @Args('input') input: AssignConversationInput) {
    return (await this.actions.assign(ctx, [input.conversationId], input.userId ?? null))[0];
  }

  @Mutation(() => ConversationDto, {
    description:
      "Hands the conversation to one of the agency's teams (else BAD_USER_INPUT), or to none (teamId null).",
  })
  async setConversationTeam(@Ctx() ctx: RequestContext, @Args('input') input: SetConversationTeamInput) {
    return (await this.actions.setTeam(ctx, [input.conversationId], input.teamId ?? null))[0];
  }

  @Mutation(() => ConversationDto, {
    description:
      'SNOOZED needs a future snoozedUntil and reopens by itself then (or on the next customer message).',
  })
  async setConversationStatus(@Ctx() ctx: RequestContext, @Args('input') input: SetConversationStatusInput) {
    return (await this.actions.setStatus(ctx, [input.conversationId], input.status, input.snoozedUntil))[0];
  }

  @Mutation(() => ConversationDto)
  setConversationPriority(@Ctx() ctx: RequestContext, @Args('input') input: SetConversationPriorityInput) {
    return this.actions.setPriority(ctx, input.conversationId, input.priority);
  }

  @Mutation(() => ConversationDto, { description: "Adds tags by name, creating the brand's missing ones." })
  async addConversationTags(@Ctx() ctx: RequestContext, @Args('input') input: ConversationTagsInput) {
    return (await this.actions.addTags(ctx, [input.conversationId], input.tags))[0];
  }

  @Mutation(() => ConversationDto, {
    description: 'Removes tags by name (case-insensitive); unknown names are ignored.',
  })
  removeConversationTags(@Ctx() ctx: RequestContext, @Args('input') input: ConversationTagsInput) {
    return this.actions.removeTags(ctx, input.conversationId, input.tags);
  }

  @Mutation(() => ConversationDto, { description: 'No answer needed (thanks, spam): metrics exclude it.' })
  markNoReplyNeeded(@Ctx() ctx: RequestContext, @Args('input') input: MarkNoReplyNeededInput) {
    return this.actions.setNoReplyNeeded(ctx, input.conversationId, input.reason);
  }

  @Mutation(() => ConversationDto)
  clearNoReplyNeeded(
    @Ctx() ctx: RequestContext,
    @Args('conversationId', { type: () => ID }) conversationId: string,
  ) {
    return this.actions.setNoReplyNeeded(ctx, conversationId, null);
  }

  @Mutation(() => NoteDto, {
    description:
      'An internal note. "@jane.doe" mentions the member whose email is jane.doe@…, "@jane.doe@agency.com" a full ' +
      'email; mentioned members who can see the brand are mailed.',
  })
  addNote(@Ctx() ctx: RequestContext, @Args('input') input: AddNoteInput): Promise<NoteDto> {
    return this.notes.add(ctx, input);
  }

  @Mutation(() => [ConversationDto], { description: `Assigns (or unassigns) many conversations. ${BULK}` })
  bulkAssign(@Ctx() ctx: RequestContext, @Args('input') input: BulkAssignInput) {
    return this.actions.assign(ctx, input.conversationIds, input.userId ?? null);
  }

  @Mutation(() => [ConversationDto], { description: `Resolves many conversations. ${BULK}` })
  bulkResolve(@Ctx() ctx: RequestContext, @Args('input') input: BulkResolveInput) {
    return this.actions.setStatus(ctx, input.conversationIds, ConversationStatus.RESOLVED);
  }

  @Mutation(() => [ConversationDto], { description: `Adds tags to many conversations. ${BULK}` })
  bulkTag(@Ctx() ctx: RequestContext, @Args('input') input: BulkTagInput) {
    return this.actions.addTags(ctx, input.conversationIds, input.tags);
  }
}

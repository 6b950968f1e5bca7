import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Ctx, RequestContext } from '@caredesk/core';
import { CreateTeamInput } from '../conversations/dto/conversation-actions.input';
import { TeamDto } from '../conversations/dto/conversation.dto';
import { TeamService } from './team.service';

@Resolver(() => TeamDto)
export class TeamsResolver {
  constructor(private readonly teamService: TeamService) {}

  @Query(() => [TeamDto], { description: "The agency's teams (AGENT+)." })
  teams(@Ctx() ctx: RequestContext): Promise<TeamDto[]> {
    return this.teamService.list(ctx);
  }

  @Mutation(() => TeamDto, { description: 'ADMIN+. CONFLICT if the name exists (case-insensitive).' })
  createTeam(@Ctx() ctx: RequestContext, @Args('input') input: CreateTeamInput): Promise<TeamDto> {
    return this.teamService.create(ctx, input.name);
  }
}

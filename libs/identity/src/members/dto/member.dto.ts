import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Role } from '@caredesk/core';
import { UserDto } from '../../dto/user.dto';

@ObjectType('Member', { description: 'A membership of the agency: a user, a role and a brand scope.' })
export class MemberDto {
  @Field(() => ID, { description: 'The membership id (used by changeMemberRole and removeMember).' })
  id: string;
  @Field(() => UserDto) user: UserDto;
  @Field(() => Role) role: Role;
  @Field(() => [ID], {
    nullable: true,
    description: 'Brands this member sees; null means every brand. Limited to brands the viewer can see.',
  })
  brandIds: string[] | null;
  @Field() createdAt: Date;
}

import { ArgsType, Field, ID } from '@nestjs/graphql';
import { IsUUID } from 'class-validator';

@ArgsType()
export class MembershipIdArgs {
  @Field(() => ID) @IsUUID() membershipId: string;
}

import { Field, ID, InputType } from '@nestjs/graphql';
import { ArrayMaxSize, IsArray, IsEnum, IsOptional, IsUUID } from 'class-validator';
import { Role } from '@caredesk/core';

@InputType()
export class ChangeMemberRoleInput {
  @Field(() => ID) @IsUUID() membershipId: string;
  @Field(() => Role) @IsEnum(Role) role: Role;
  @Field(() => [ID], {
    nullable: true,
    description: 'New brand scope; absent keeps the current one, null or empty means every brand.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsUUID('all', { each: true })
  brandIds?: string[] | null;
}

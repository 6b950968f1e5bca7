import { Field, ID, InputType } from '@nestjs/graphql';
import { ArrayMaxSize, IsArray, IsEmail, IsEnum, IsOptional, IsUUID, MaxLength } from 'class-validator';
import { Role } from '@caredesk/core';

@InputType()
export class InviteMemberInput {
  @Field() @IsEmail() @MaxLength(254) email: string;
  @Field(() => Role) @IsEnum(Role) role: Role;
  @Field(() => [ID], {
    nullable: true,
    description:
      'Brands the new member may see; absent or empty means every brand (not allowed for CLIENT_VIEWER).',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsUUID('all', { each: true })
  brandIds?: string[] | null;
}

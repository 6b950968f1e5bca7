import { Field, ID, InputType } from '@nestjs/graphql';
import { ArrayMaxSize, IsArray, IsEnum, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { Role } from '@caredesk/core';

@InputType()
export class CreateApiKeyInput {
  @Field() @IsString() @Length(1, 200) name: string;
  @Field(() => Role, { description: 'At most the creator’s own role, never OWNER.' })
  @IsEnum(Role)
  role: Role;
  @Field(() => [ID], { nullable: true, description: 'Limit the key to these brands; omit for every brand.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true })
  brandIds?: string[];
}

import { ArgsType, Field, ID } from '@nestjs/graphql';
import { IsEmail, IsString, IsUUID, Length, MaxLength } from 'class-validator';

@ArgsType()
export class InvitationIdArgs {
  @Field(() => ID) @IsUUID() id: string;
}

@ArgsType()
export class InviteStakeholderArgs {
  @Field(() => ID) @IsUUID() brandId: string;
  @Field() @IsEmail() @MaxLength(254) email: string;
}

@ArgsType()
export class AcceptInvitationArgs {
  @Field({ description: 'The token from the invitation mail.' }) @IsString() @Length(1, 200) token: string;
  @Field({ description: 'Used only when the email has no account yet.' })
  @IsString()
  @Length(1, 200)
  name: string;
  @Field({ description: "A new password, or the existing account's password." })
  @IsString()
  @MaxLength(256)
  password: string;
}

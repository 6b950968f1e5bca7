import { ArgsType, Field } from '@nestjs/graphql';
import { IsEmail, IsString, Length, MaxLength } from 'class-validator';

@ArgsType()
export class RequestPasswordResetArgs {
  @Field() @IsEmail() @MaxLength(254) email: string;
}

@ArgsType()
export class ResetPasswordArgs {
  @Field({ description: 'The token from the reset mail.' }) @IsString() @Length(1, 200) token: string;
  @Field() @IsString() @MaxLength(256) newPassword: string;
}

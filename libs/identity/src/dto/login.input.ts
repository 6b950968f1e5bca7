import { Field, ID, InputType } from '@nestjs/graphql';
import { IsEmail, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

@InputType()
export class LoginInput {
  @Field() @IsEmail() @MaxLength(254) email: string;
  @Field() @IsString() @MaxLength(256) password: string;
  @Field(() => ID, { nullable: true, description: 'Which agency to sign in to; default: the first joined.' })
  @IsOptional()
  @IsUUID()
  agencyId?: string;
  @Field({
    nullable: true,
    description: 'The 6-digit code from an authenticator app, for users with two-factor sign-in.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(16)
  totpCode?: string;
}

import { Field, InputType } from '@nestjs/graphql';
import { IsEmail, IsString, Length, MaxLength } from 'class-validator';

@InputType()
export class SignUpInput {
  @Field() @IsString() @Length(1, 200) agencyName: string;
  @Field() @IsString() @Length(1, 200) name: string;
  @Field() @IsEmail() @MaxLength(254) email: string;
  @Field() @IsString() @MaxLength(256) password: string;
}

import { Field, ObjectType } from '@nestjs/graphql';
import { AgencyDto } from './agency.dto';
import { UserDto } from './user.dto';

@ObjectType('AuthPayload')
export class AuthPayloadDto {
  @Field({ description: 'Short-lived bearer token for `Authorization: Bearer …`.' }) accessToken: string;
  @Field({ description: 'Single-use; exchange it with `refreshToken` for a new pair.' }) refreshToken: string;
  @Field(() => UserDto) user: UserDto;
  @Field(() => AgencyDto) agency: AgencyDto;
}

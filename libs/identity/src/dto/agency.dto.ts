import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Agency } from '../entities/agency.entity';

@ObjectType('Agency')
export class AgencyDto {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field({ description: 'Every member must sign in with a second factor.' }) requireTwoFactor: boolean;

  static from(a: Agency): AgencyDto {
    return Object.assign(new AgencyDto(), { id: a.id, name: a.name, requireTwoFactor: a.requireTwoFactor });
  }
}

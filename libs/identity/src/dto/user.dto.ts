import { Field, ID, ObjectType } from '@nestjs/graphql';
import { User } from '../entities/user.entity';

@ObjectType('User')
export class UserDto {
  @Field(() => ID) id: string;
  @Field() email: string;
  @Field() name: string;
  @Field() twoFactorEnabled: boolean;

  static from(u: User): UserDto {
    return Object.assign(new UserDto(), {
      id: u.id,
      email: u.email,
      name: u.name,
      twoFactorEnabled: !!u.totpEnabledAt,
    });
  }
}

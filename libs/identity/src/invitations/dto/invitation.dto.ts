import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Role } from '@caredesk/core';
import { Invitation } from '../invitation.entity';

@ObjectType('Invitation', {
  description: 'A pending offer of membership; the token itself is only ever mailed.',
})
export class InvitationDto {
  @Field(() => ID) id: string;
  @Field() email: string;
  @Field(() => Role) role: Role;
  @Field(() => [ID], {
    nullable: true,
    description: 'Brands the membership will see; null means every brand.',
  })
  brandIds: string[] | null;
  @Field({ description: 'After this the link no longer works; resendInvitation mails a fresh one.' })
  expiresAt: Date;
  @Field() createdAt: Date;

  static from(i: Invitation): InvitationDto {
    return Object.assign(new InvitationDto(), {
      id: i.id,
      email: i.email,
      role: i.role,
      brandIds: i.brandIds.length > 0 ? [...i.brandIds] : null,
      expiresAt: i.expiresAt,
      createdAt: i.createdAt,
    });
  }
}

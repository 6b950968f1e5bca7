import { BrandsModule } from '@caredesk/brands';
import { MailModule } from '@caredesk/core';
import { InvitationAcceptService } from '../invitations/invitation-accept.service';
import { Invitation } from '../invitations/invitation.entity';
import { InvitationResolver } from '../invitations/invitation.resolver';
import { InvitationService } from '../invitations/invitation.service';
import { StakeholdersOnboardingStep } from '../invitations/stakeholders-onboarding.step';
import { PasswordResetToken } from '../password-reset/password-reset-token.entity';
import { PasswordResetResolver } from '../password-reset/password-reset.resolver';
import { PasswordResetService } from '../password-reset/password-reset.service';
import { MemberResolver } from './member.resolver';
import { MemberService } from './member.service';

/**
 * Members, invitations and password reset, registered in IdentityModule (they need its auth,
 * session and password services). Kept in one list so identity.module.ts changes by three lines.
 */
export const TEAM_IMPORTS = [BrandsModule, MailModule];
export const TEAM_ENTITIES = [Invitation, PasswordResetToken];
export const TEAM_PROVIDERS = [
  InvitationService,
  InvitationAcceptService,
  InvitationResolver,
  StakeholdersOnboardingStep,
  MemberService,
  MemberResolver,
  PasswordResetService,
  PasswordResetResolver,
];

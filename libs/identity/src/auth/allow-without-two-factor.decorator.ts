import { SetMetadata } from '@nestjs/common';

export const ALLOW_WITHOUT_TWO_FACTOR = 'caredesk:allowWithoutTwoFactor';

/**
 * Marks the few operations a member may run while their agency requires two-factor sign-in and their
 * token has not passed it: enough to see who they are, set it up, and leave. Everything else is
 * refused centrally by the auth guard, so a new resolver cannot forget the check.
 */
export const AllowWithoutTwoFactor = () => SetMetadata(ALLOW_WITHOUT_TWO_FACTOR, true);

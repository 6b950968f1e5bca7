import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'caredesk:isPublic';

/** Marks an operation that needs no token (sign-up, login, token refresh, invitation acceptance). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

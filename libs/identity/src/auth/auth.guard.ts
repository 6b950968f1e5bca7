import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { AppError, CONTEXT_KEY, ErrorCode, RequestContext, requestOf } from '@caredesk/core';
import { ALLOW_WITHOUT_TWO_FACTOR } from './allow-without-two-factor.decorator';
import type { Authenticated } from './auth.service';
import { IS_PUBLIC } from './public.decorator';

/**
 * Global guard: every GraphQL operation needs a valid bearer token unless marked @Public(). On
 * success the RequestContext is left on the request for @Ctx(). This is also where an agency's
 * two-factor requirement is enforced, once for every operation.
 */
@Injectable()
export class GqlAuthGuard extends AuthGuard('bearer') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override getRequest(execution: ExecutionContext) {
    return requestOf(execution);
  }

  override async canActivate(execution: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [
      execution.getHandler(),
      execution.getClass(),
    ]);
    if (isPublic) return true;
    // Health checks and webhooks are plain HTTP controllers with their own verification.
    if (execution.getType<string>() !== 'graphql') return true;
    return (await super.canActivate(execution)) as boolean;
  }

  override handleRequest<T>(err: unknown, user: T, _info: unknown, execution: ExecutionContext): T {
    const auth = user as unknown as Authenticated | undefined;
    if (err || !(auth?.ctx instanceof RequestContext)) {
      throw AppError.unauthenticated('A valid access token is required');
    }
    if (auth.twoFactorSetupRequired) {
      const allowed = this.reflector.getAllAndOverride<boolean>(ALLOW_WITHOUT_TWO_FACTOR, [
        execution.getHandler(),
        execution.getClass(),
      ]);
      if (!allowed) {
        throw new AppError(
          ErrorCode.FORBIDDEN,
          'Your agency requires two-factor sign-in: set it up (beginTwoFactorSetup, confirmTwoFactor), then log in again',
          { reason: 'TWO_FACTOR_SETUP_REQUIRED' },
        );
      }
    }
    requestOf(execution)[CONTEXT_KEY] = auth.ctx;
    return auth.ctx as unknown as T;
  }
}

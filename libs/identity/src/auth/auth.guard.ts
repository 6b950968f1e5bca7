import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { AppError, CONTEXT_KEY, RequestContext, requestOf } from '@caredesk/core';
import { IS_PUBLIC } from './public.decorator';

/**
 * Global guard: every GraphQL operation needs a valid bearer token unless marked @Public(). On
 * success the RequestContext is left on the request for @Ctx().
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
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [execution.getHandler(), execution.getClass()]);
    if (isPublic) return true;
    // Health checks and webhooks are plain HTTP controllers with their own verification.
    if (execution.getType<string>() !== 'graphql') return true;
    return (await super.canActivate(execution)) as boolean;
  }

  override handleRequest<T>(err: unknown, user: T, _info: unknown, execution: ExecutionContext): T {
    if (err || !(user instanceof RequestContext)) {
      throw AppError.unauthenticated('A valid access token is required');
    }
    requestOf(execution)[CONTEXT_KEY] = user;
    return user;
  }
}

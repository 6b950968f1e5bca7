import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { RequestContext } from './request-context';

/** Where the auth guard leaves the context on the request. */
export const CONTEXT_KEY = 'caredeskContext';

/** The parts of an HTTP request the platform reads; the auth guard adds the context. */
export interface CaredeskRequest {
  [CONTEXT_KEY]?: RequestContext;
  ip?: string;
  headers: Record<string, string | string[] | undefined>;
  [key: string]: unknown;
}

export function requestOf(execution: ExecutionContext): CaredeskRequest {
  if (execution.getType<string>() === 'graphql') {
    return GqlExecutionContext.create(execution).getContext().req;
  }
  return execution.switchToHttp().getRequest();
}

/**
 * Injects the RequestContext the auth guard built. Fails loudly when there is none: a resolver that
 * asks for a context on a @Public() operation is a bug, not an anonymous user.
 */
export const Ctx = createParamDecorator((_data: unknown, execution: ExecutionContext): RequestContext => {
  const ctx = requestOf(execution)?.[CONTEXT_KEY];
  if (!(ctx instanceof RequestContext)) {
    throw new Error('No RequestContext on this request: is the operation @Public()?');
  }
  return ctx;
});

import { ArgumentsHost, Catch, HttpException, Logger } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { GqlExceptionFilter } from '@nestjs/graphql';
import { AppError } from './app-error';

/**
 * For GraphQL, hands every error to Apollo untouched: `formatGraphqlError` is the one place that maps
 * it, and expected outcomes (AppError) are not logged as failures. Plain HTTP (health, webhooks) keeps
 * Nest's default handling, with AppError mapped to its status.
 */
@Catch()
export class AppExceptionFilter extends BaseExceptionFilter implements GqlExceptionFilter {
  private readonly log = new Logger('Http');

  override catch(exception: unknown, host: ArgumentsHost) {
    if (host.getType<string>() === 'graphql') return exception;
    if (exception instanceof AppError) {
      const status = {
        NOT_FOUND: 404,
        UNAUTHENTICATED: 401,
        FORBIDDEN: 403,
        CONFLICT: 409,
        RATE_LIMITED: 429,
      }[exception.code as string];
      return super.catch(
        new HttpException({ code: exception.code, message: exception.message }, status ?? 400),
        host,
      );
    }
    if (!(exception instanceof HttpException))
      this.log.error(exception instanceof Error ? exception.stack : exception);
    return super.catch(exception, host);
  }
}

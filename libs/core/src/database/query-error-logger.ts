import { Logger as NestLogger } from '@nestjs/common';
import type { Logger as TypeOrmLogger } from 'typeorm';

/** Enough of a statement to find it in the code; a bulk insert's VALUES list can run to megabytes. */
const MAX_QUERY_CHARS = 500;

/**
 * TypeORM's failed statements, through the application's logger (pino: JSON, LOG_LEVEL) instead of
 * TypeORM's console logger, and **without their parameters**: those are customers' messages, e-mail
 * addresses, tokens and attachment bytes (a 25 MB file printed as a JSON array of numbers). Logged at
 * `warn`: many are expected and handled by the caller (a unique violation that becomes CONFLICT); one
 * that is not reaches the request's or job's own error log as well. The SQLSTATE and constraint say
 * which it was.
 */
export class QueryErrorLogger implements TypeOrmLogger {
  private readonly logger = new NestLogger('Database');

  logQueryError(error: string | Error, query: string, parameters?: unknown[] | object): void {
    const e = (typeof error === 'string' ? { message: error } : error) as Error & {
      code?: string;
      constraint?: string;
    };
    const where = [e.code && `SQLSTATE ${e.code}`, e.constraint && `constraint ${e.constraint}`]
      .filter(Boolean)
      .join(', ');
    const given = Array.isArray(parameters) ? `, ${parameters.length} parameter(s) not shown` : '';
    this.logger.warn(
      `statement failed${where ? ` (${where})` : ''}: ${e.message} — ${shorten(query)}${given}`,
    );
  }

  logQuery(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}

  logMigration(message: string): void {
    this.logger.log(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn(String(message));
  }
}

export function shorten(query: string): string {
  const flat = query.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_QUERY_CHARS ? `${flat.slice(0, MAX_QUERY_CHARS)}…` : flat;
}

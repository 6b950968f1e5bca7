type PgError = {
  code?: unknown;
  constraint?: unknown;
  driverError?: { code?: unknown; constraint?: unknown };
};

/** The SQLSTATE of a PostgreSQL error, as pg raises it or TypeORM's QueryFailedError wraps it. */
export function sqlState(e: unknown): string | undefined {
  const err = e as PgError | null | undefined;
  const code = err?.driverError?.code ?? err?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A unique violation (23505), of `constraint` when one is named. */
export function isUniqueViolation(e: unknown, constraint?: string): boolean {
  const err = e as PgError | null | undefined;
  const name = err?.driverError?.constraint ?? err?.constraint;
  return sqlState(e) === '23505' && (!constraint || name === constraint);
}

/**
 * A deadlock (40P01) or a serialization failure (40001): PostgreSQL rolled the whole transaction
 * back, nothing of it was written, and running it again may well succeed ("Transaction Isolation":
 * "applications using this level must be prepared to retry transactions due to serialization
 * failures"; a deadlock victim is in the same position).
 */
export function isRetryableConflict(e: unknown): boolean {
  const state = sqlState(e);
  return state === '40P01' || state === '40001';
}

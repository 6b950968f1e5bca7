/** The SQLSTATE of a PostgreSQL error, as pg raises it or TypeORM's QueryFailedError wraps it. */
export function sqlState(e: unknown): string | undefined {
  const err = e as { code?: unknown; driverError?: { code?: unknown } } | null | undefined;
  const code = err?.driverError?.code ?? err?.code;
  return typeof code === 'string' ? code : undefined;
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

/** True for a PostgreSQL unique violation (SQLSTATE 23505), as TypeORM's QueryFailedError carries it. */
export function isUniqueViolation(e: unknown, constraint?: string): boolean {
  const err = e as {
    code?: string;
    constraint?: string;
    driverError?: { code?: string; constraint?: string };
  };
  const code = err?.driverError?.code ?? err?.code;
  const name = err?.driverError?.constraint ?? err?.constraint;
  return code === '23505' && (!constraint || name === constraint);
}

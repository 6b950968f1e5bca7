/** The codes a client may see in `extensions.code` (DESIGN.md, "Contracts"), plus the catch-all. */
export enum ErrorCode {
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  NOT_FOUND = 'NOT_FOUND',
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  CONFLICT = 'CONFLICT',
  PLAN_LIMIT = 'PLAN_LIMIT',
  STYLE_GUIDE_VIOLATION = 'STYLE_GUIDE_VIOLATION',
  RATE_LIMITED = 'RATE_LIMITED',
  /** An unexpected failure: the message is generic, details stay in the server log. */
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
}

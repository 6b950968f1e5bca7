import type { NextFunction, Request, Response } from 'express';

/** JSON bodies up to this size reach validation, so a 1 MB string argument gets a coded error. */
export const JSON_BODY_LIMIT = '2mb';

interface BodyParserError {
  status?: number;
  type?: string;
}

/**
 * Express error middleware placed right after the body parsers: an over-limit or malformed body
 * answers in GraphQL's shape with BAD_USER_INPUT instead of Express's HTML error page. Other errors
 * pass on untouched.
 */
export function bodyParserErrorHandler(err: unknown, _req: Request, res: Response, next: NextFunction): void {
  const e = err as BodyParserError | null;
  const type = e?.type;
  if (!type || !/^(entity\.|encoding\.|charset\.|request\.)/.test(type)) return next(err);
  const message =
    type === 'entity.too.large'
      ? `Request body is larger than ${JSON_BODY_LIMIT.toUpperCase()}`
      : type === 'entity.parse.failed'
        ? 'Request body is not valid JSON'
        : 'Request body could not be read';
  res.status(e?.status ?? 400).json({ errors: [{ message, extensions: { code: 'BAD_USER_INPUT' } }] });
}

import { GraphQLError } from 'graphql';

/**
 * A request refused by a limit, before any resolver: the client's input, so BAD_USER_INPUT with a
 * 400. The formatter keeps the code; the http status is read by Apollo when the error ends a request.
 */
export function limitError(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
}

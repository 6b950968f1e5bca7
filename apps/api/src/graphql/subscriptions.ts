import type { IncomingMessage } from 'node:http';
import type { GqlSubscriptionServiceOptions } from '@nestjs/graphql';
import {
  ExecutionArgs,
  ExecutionResult,
  GraphQLError,
  GraphQLSchema,
  parse,
  specifiedRules,
  validate,
  ValidationRule,
} from 'graphql';
import type { Context, ServerOptions, SubscribePayload } from 'graphql-ws';
import type { WebSocket } from 'ws';
import { AppConfig, CONTEXT_KEY, formatGraphqlError } from '@caredesk/core';
import { LIVE_CONNECTION_KEY, LiveConnection, LiveSockets } from '@caredesk/inbox';
import { armorRules } from './armor-rules';
import { complexityError } from './complexity.plugin';

type Extra = { socket: WebSocket; request: IncomingMessage; live?: LiveConnection };
type WsContext = Context<Record<string, unknown> | undefined, Extra>;

/** Where the schema is once built: graphql-ws needs it in onSubscribe, before Nest exposes it. */
export class SchemaRef {
  schema?: GraphQLSchema;
}

/** Errors as the HTTP endpoint formats them: `extensions.code`, never a stack trace. */
function formatted(errors: readonly GraphQLError[]): GraphQLError[] {
  return errors.map((error) => {
    const f = formatGraphqlError(error.toJSON(), error);
    return new GraphQLError(f.message, { path: f.path, extensions: f.extensions });
  });
}

/**
 * graphql-ws on `/graphql` (protocol `graphql-transport-ws`; the deprecated subscriptions-transport-ws
 * is not offered). The connection is authenticated at `connection_init` (LiveSockets.open). Every
 * operation on it then goes through the same checks as over HTTP: parse token limit, validation with
 * the depth/alias/directive rules, cost, and the global auth guard, which re-authenticates the
 * socket's token (so a removed member's next subscribe fails) and enforces two-factor sign-in.
 */
export function graphqlWsOptions(
  config: AppConfig,
  sockets: LiveSockets,
  ref: SchemaRef,
): GqlSubscriptionServiceOptions['graphql-ws'] {
  const limits = config.graphql;
  const rules: ValidationRule[] = [...specifiedRules, ...armorRules(limits)];

  const options: Partial<ServerOptions<Record<string, unknown> | undefined, Extra>> = {
    connectionInitWaitTimeout: 5_000,

    onConnect: async (ctx: WsContext) => {
      const opened = await sockets.open(ctx.connectionParams, ctx.extra.request.socket.remoteAddress);
      if ('refused' in opened) {
        // graphql-ws's own refusal is 4403 for everything; 4401 tells a client to sign in again.
        ctx.extra.socket.close(opened.refused.code, opened.refused.reason);
        return false;
      }
      ctx.extra.live = opened.connection;
      return true;
    },

    onClose: async (ctx: WsContext) => {
      if (ctx.extra.live) await sockets.close(ctx.extra.live);
    },

    onSubscribe: async (ctx: WsContext, _id: string, payload: SubscribePayload) => {
      const schema = ref.schema;
      const live = ctx.extra.live;
      // Errors returned here go through onError below, which formats them.
      if (!schema || !live)
        return [new GraphQLError('The server is not ready', { originalError: new Error('no schema') })];
      let document;
      try {
        document = parse(payload.query, { maxTokens: limits.maxTokens });
      } catch (e) {
        return [e instanceof GraphQLError ? e : new GraphQLError('Syntax error')];
      }
      const errors = validate(schema, document, rules);
      if (errors.length > 0) return [...errors];
      const args: ExecutionArgs = {
        schema,
        document,
        operationName: payload.operationName ?? undefined,
        variableValues: payload.variables ?? undefined,
      };
      const tooComplex = complexityError(limits.maxComplexity, {
        schema,
        document,
        operationName: args.operationName ?? undefined,
        variables: payload.variables ?? {},
      });
      if (tooComplex) return [tooComplex];
      // The auth guard reads `req` as it would an HTTP request and leaves the RequestContext there.
      const req = { headers: { authorization: live.authorization }, ip: live.ip, [CONTEXT_KEY]: undefined };
      return { ...args, contextValue: { req, [LIVE_CONNECTION_KEY]: live } };
    },

    onNext: (_ctx: WsContext, _id: string, _payload: SubscribePayload, _args: ExecutionArgs, result) => {
      const r = result as ExecutionResult;
      if (!r.errors?.length) return undefined;
      return { ...r, errors: formatted(r.errors).map((e) => e.toJSON()) } as unknown as ExecutionResult;
    },

    // Refused operations (above) and streams that end with an error (access ended, too slow a reader).
    onError: (_ctx: WsContext, _id: string, _payload: SubscribePayload, errors: readonly GraphQLError[]) =>
      formatted(errors).map((e) => e.toJSON()),
  };
  return options as GqlSubscriptionServiceOptions['graphql-ws'];
}

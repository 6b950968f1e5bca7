import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { LiveConnection } from './live-connection';

/** The key under which the graphql-ws server puts the connection into an operation's context. */
export const LIVE_CONNECTION_KEY = 'liveConnection';

/** The graphql-ws connection an operation arrived on; null for an operation over HTTP. */
export const LiveSocket = createParamDecorator(
  (_data: unknown, execution: ExecutionContext): LiveConnection | null => {
    const value = GqlExecutionContext.create(execution).getContext()?.[LIVE_CONNECTION_KEY];
    return value instanceof LiveConnection ? value : null;
  },
);

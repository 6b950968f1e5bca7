import { join } from 'node:path';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloDriverConfig } from '@nestjs/apollo';
import { AppConfig, formatGraphqlError } from '@caredesk/core';
import { LiveSockets } from '@caredesk/inbox';
import { armorRules } from './armor-rules';
import { complexityPlugin } from './complexity.plugin';
import { jitGateway } from './jit-executor';
import { graphqlWsOptions, SchemaRef } from './subscriptions';

/**
 * Apollo options. The schema is generated from code; in development it is also written to
 * `schema.gql` at the repository root, which is committed and reviewed like code. Tests keep it in
 * memory and `test/platform/schema-drift.e2e-spec.ts` fails when the committed file is stale.
 *
 * Limits, all checked before any resolver runs: tokens while parsing, depth, aliases and directives
 * as validation rules (graphql-armor), cost once variables are known. Batched requests stay refused
 * and CSRF prevention stays on (a POST must be JSON or carry `apollo-require-preflight`).
 * Subscriptions (and any operation a dashboard sends on its socket) run over graphql-ws on the same
 * path, with the same limits and authentication: see subscriptions.ts.
 */
export function graphqlOptions(config: AppConfig, sockets: LiveSockets): ApolloDriverConfig {
  const limits = config.graphql;
  const schemaRef = new SchemaRef();
  return {
    autoSchemaFile: config.nodeEnv === 'development' ? join(process.cwd(), 'schema.gql') : true,
    sortSchema: true,
    path: '/graphql',
    introspection: limits.ide,
    // Our own offline GraphiQL (apps/api/src/ide) replaces Apollo's landing pages, which load from a CDN.
    playground: false,
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    includeStacktraceInErrorResponses: false,
    formatError: formatGraphqlError,
    // graphql-js stops parsing at the limit (a parse error: BAD_USER_INPUT). graphql-armor's token
    // limit is an Envelop parse hook, which Apollo does not have: thrown from an Apollo hook it is a 500.
    parseOptions: { maxTokens: limits.maxTokens },
    validationRules: armorRules(limits),
    // No HTTP caching of GraphQL answers (they are per user): skip the cache-control plugin's work.
    plugins: [complexityPlugin(limits.maxComplexity), ApolloServerPluginCacheControlDisabled()],
    context: ({ req, res }: { req: unknown; res: unknown }) => ({ req, res }),
    subscriptions: { 'graphql-ws': graphqlWsOptions(config, sockets, schemaRef) },
    transformSchema: (schema) => (schemaRef.schema = schema),
    // HTTP operations run compiled by graphql-jit (jit-executor.ts); GRAPHQL_JIT=false runs graphql-js.
    ...(limits.jit ? { gateway: jitGateway(schemaRef) } : {}),
  };
}

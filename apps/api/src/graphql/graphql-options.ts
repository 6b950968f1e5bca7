import { join } from 'node:path';
import { ApolloDriverConfig } from '@nestjs/apollo';
import { AppConfig, formatGraphqlError } from '@caredesk/core';

/**
 * Apollo options. The schema is generated from code; outside production it is also written to
 * `schema.gql` at the repository root, which is committed and reviewed like code.
 */
export function graphqlOptions(config: AppConfig): ApolloDriverConfig {
  return {
    autoSchemaFile: config.nodeEnv === 'production' ? true : join(process.cwd(), 'schema.gql'),
    sortSchema: true,
    path: '/graphql',
    introspection: config.graphql.ide,
    playground: false,
    includeStacktraceInErrorResponses: false,
    formatError: formatGraphqlError,
    context: ({ req, res }: { req: unknown; res: unknown }) => ({ req, res }),
  };
}

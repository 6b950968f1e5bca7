import { ApolloServerPlugin } from '@apollo/server';
import { DocumentNode, GraphQLError, GraphQLSchema } from 'graphql';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import { limitError } from './limit-error';

/** The cost limit's check, shared by HTTP (the plugin below) and graphql-ws (subscriptions.ts). */
export function complexityError(
  maxComplexity: number,
  op: {
    schema: GraphQLSchema;
    document: DocumentNode;
    operationName?: string;
    variables?: Record<string, unknown>;
  },
): GraphQLError | null {
  const complexity = getComplexity({
    schema: op.schema,
    query: op.document,
    operationName: op.operationName,
    variables: op.variables ?? {},
    estimators: [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
  });
  return complexity > maxComplexity
    ? limitError(`Query is too complex: cost ${complexity} exceeds the limit of ${maxComplexity}`)
    : null;
}

/**
 * Cost limit. Computed once the operation is resolved, because list sizes usually come from
 * variables (`first: $n`); a field can declare its own cost with `@Field({ complexity })` (read by
 * fieldExtensionsEstimator), everything else costs 1. Runs before execution, so no resolver starts.
 */
export function complexityPlugin(maxComplexity: number): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, schema }) {
          const error = complexityError(maxComplexity, {
            schema,
            document,
            operationName: request.operationName ?? undefined,
            variables: request.variables ?? {},
          });
          if (error) throw error;
        },
      };
    },
  };
}

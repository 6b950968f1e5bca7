import { ApolloServerPlugin } from '@apollo/server';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import { limitError } from './limit-error';

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
          const complexity = getComplexity({
            schema,
            query: document,
            operationName: request.operationName ?? undefined,
            variables: request.variables ?? {},
            estimators: [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
          });
          if (complexity > maxComplexity) {
            throw limitError(
              `Query is too complex: cost ${complexity} exceeds the limit of ${maxComplexity}`,
            );
          }
        },
      };
    },
  };
}

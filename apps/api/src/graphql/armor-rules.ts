import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import type { GraphQLArmorRejectCallback } from '@escape.tech/graphql-armor-types';
import { GraphQLError, ValidationRule } from 'graphql';

/** Directives per operation: a few @include/@skip are normal; fifty is an attack. */
export const MAX_DIRECTIVES = 50;

/**
 * graphql-armor's rules throw by default, which Apollo turns into a 500. Reported as validation
 * errors instead, they answer 400 with BAD_USER_INPUT like any other invalid document. The "Syntax
 * Error:" prefix armor adds is dropped: the document parsed fine, it is just too big.
 */
const report: GraphQLArmorRejectCallback = (ctx, error) =>
  ctx?.reportError(new GraphQLError(error.message.replace(/^Syntax Error: /, '')));
const asValidationError = { propagateOnRejection: false, onReject: [report] };

export function armorRules(limits: { maxDepth: number; maxAliases: number }): ValidationRule[] {
  return [
    maxDepthRule({
      n: limits.maxDepth,
      ignoreIntrospection: true,
      flattenFragments: true,
      ...asValidationError,
    }),
    maxAliasesRule({ n: limits.maxAliases, ...asValidationError }),
    maxDirectivesRule({ n: MAX_DIRECTIVES, ...asValidationError }),
  ] as ValidationRule[];
}

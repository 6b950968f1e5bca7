import type { GatewayGraphQLRequestContext, GatewayInterface } from '@apollo/server-gateway-interface';
import {
  DocumentNode,
  execute,
  ExecutionResult,
  getNamedType,
  GraphQLError,
  GraphQLInputType,
  GraphQLSchema,
  isInputObjectType,
  isNonNullType,
  OperationDefinitionNode,
  typeFromAST,
} from 'graphql';
import { compileQuery, CompiledQuery, isCompiledQuery } from 'graphql-jit';
import { registeredCounter } from '@caredesk/core';
import { SchemaRef } from './subscriptions';

type Runner = (ctx: GatewayGraphQLRequestContext) => Promise<ExecutionResult>;

/** Documents prepared for execution, by executor: how often graphql-js has to stand in (/metrics). */
export const graphqlDocuments = registeredCounter(
  'caredesk_graphql_documents_total',
  'GraphQL documents prepared for HTTP execution, by executor: jit (compiled by graphql-jit) or graphql-js.',
  ['executor'],
);

/**
 * Runs HTTP operations with graphql-jit instead of graphql-js's interpreter: a document is compiled
 * once into JavaScript (field resolution, argument and variable coercion, leaf serialization), then
 * every request with that document runs the compiled function. On the inbox page (50 conversations ×
 * ~30 fields) it takes a fifth off the API's CPU per request (bench/inbox).
 *
 * Plugged in through Apollo Server's gateway interface, the one place where Apollo lets something
 * else execute an operation it has parsed and validated: parsing, validation (graphql-armor's rules),
 * the complexity plugin, error formatting and the HTTP layer stay Apollo's. The schema is the one Nest
 * generated (handed over by transformSchema through SchemaRef). GRAPHQL_JIT=false turns it off.
 *
 * graphql-js still runs an operation when
 *  - one of its variables' input types has a non-null field with a default (`visibility: Visibility! =
 *    PUBLIC`): graphql-jit 0.8's variable coercion reports such a field as missing instead of applying
 *    the default (literal arguments are fine; only variables are affected);
 *  - graphql-jit cannot compile it.
 * The choice is made once per document, with the compiled function.
 *
 * Runners are cached per document object: Apollo's document store (an LRU keyed by the query's hash)
 * hands the same DocumentNode for the same query text, and the WeakMap lets a document it evicts be
 * collected here too.
 */
export function jitGateway(ref: SchemaRef): GatewayInterface {
  const runners = new WeakMap<DocumentNode, Map<string, Runner>>();

  const runnerFor = (ctx: GatewayGraphQLRequestContext): Runner => {
    let byName = runners.get(ctx.document);
    if (!byName) runners.set(ctx.document, (byName = new Map()));
    const key = ctx.operationName ?? '';
    let runner = byName.get(key);
    if (!runner) {
      runner = compile(ctx.schema, ctx.document, ctx.operation, ctx.operationName ?? undefined);
      byName.set(key, runner);
    }
    return runner;
  };

  return {
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schemaOf(ref), coreSupergraphSdl: '' });
      return () => undefined;
    },
    async load() {
      return { schema: schemaOf(ref), executor: (ctx) => runnerFor(ctx)(ctx) };
    },
    async stop() {},
  };
}

function compile(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  operationName: string | undefined,
): Runner {
  const compiled = variablesNeedDefaults(schema, operation)
    ? null
    : compileQuery(schema, document, operationName);
  if (!compiled || !isCompiledQuery(compiled)) {
    graphqlDocuments.inc({ executor: 'graphql-js' });
    return interpreted;
  }
  graphqlDocuments.inc({ executor: 'jit' });
  return async (ctx) => withGraphQLErrors(await run(compiled, ctx));
}

function run(compiled: CompiledQuery, ctx: GatewayGraphQLRequestContext) {
  return compiled.query(undefined, ctx.context, ctx.request.variables ?? {});
}

const interpreted: Runner = async (ctx) =>
  execute({
    schema: ctx.schema,
    document: ctx.document,
    contextValue: ctx.context,
    variableValues: ctx.request.variables,
    operationName: ctx.operationName,
  });

/** Whether a variable's type reaches an input object field that is non-null and has a default. */
function variablesNeedDefaults(schema: GraphQLSchema, operation: OperationDefinitionNode): boolean {
  const seen = new Set<string>();
  const reaches = (type: GraphQLInputType): boolean => {
    const named = getNamedType(type);
    if (!isInputObjectType(named) || seen.has(named.name)) return false;
    seen.add(named.name);
    return Object.values(named.getFields()).some(
      (f) => (isNonNullType(f.type) && f.defaultValue !== undefined) || reaches(f.type),
    );
  };
  return (operation.variableDefinitions ?? []).some((d) => {
    const type = typeFromAST(schema, d.type as Parameters<typeof typeFromAST>[1]) as
      GraphQLInputType | undefined;
    return type !== undefined && reaches(type);
  });
}

/**
 * graphql-jit's errors inherit GraphQLError's prototype without running its constructor, so they lack
 * what Apollo's error pipeline reads (an `extensions` object, toJSON): rebuilt as graphql-js errors
 * with the same message, path, locations, extensions and original error, they reach
 * formatGraphqlError exactly as graphql-js's own would.
 */
function withGraphQLErrors(result: ExecutionResult): ExecutionResult {
  if (!result.errors) return result;
  return { ...result, errors: result.errors.map(asGraphQLError) };
}

function asGraphQLError(e: GraphQLError): GraphQLError {
  const error = new GraphQLError(e.message, {
    path: e.path,
    originalError: e.originalError ?? undefined,
    extensions: e.extensions ?? undefined,
  });
  if (e.locations) (error as { locations?: GraphQLError['locations'] }).locations = e.locations;
  return error;
}

function schemaOf(ref: SchemaRef): GraphQLSchema {
  if (!ref.schema) throw new Error('jitGateway: the schema was not generated yet');
  return ref.schema;
}

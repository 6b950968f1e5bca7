import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { GraphQLSchema, getNamedType, isInputObjectType, GraphQLInputType, GraphQLArgument } from 'graphql';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { startTestApp, TestApp } from '../support/test-app';

/** True when an input type carries an ID anywhere inside it (fields of input objects, lists). */
function carriesId(type: GraphQLInputType, seen = new Set<string>()): boolean {
  const named = getNamedType(type);
  if (named.name === 'ID') return true;
  if (!isInputObjectType(named) || seen.has(named.name)) return false;
  seen.add(named.name);
  return Object.values(named.getFields()).some((f) => carriesId(f.type, seen));
}

/** Every query, mutation and subscription that takes an id, directly or inside its input. */
export function operationsTakingIds(schema: GraphQLSchema): string[] {
  const roots = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()];
  return roots
    .flatMap((root) => (root ? Object.values(root.getFields()) : []))
    .filter((field) => field.args.some((arg: GraphQLArgument) => carriesId(arg.type)))
    .map((field) => field.name)
    .sort();
}

function testFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? testFiles(path) : /\.e2e-spec\.ts$/.test(name) ? [path] : [];
  });
}

/** Operations named in `crossTenant('<op>')` markers across the end-to-end suites. */
function coveredOperations(): Set<string> {
  const covered = new Set<string>();
  for (const file of testFiles(join(__dirname, '..'))) {
    for (const m of readFileSync(file, 'utf8').matchAll(/crossTenant\(\s*['"`](\w+)['"`]\s*\)/g))
      covered.add(m[1]);
  }
  return covered;
}

describe('cross-tenant coverage', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('every operation that takes an id has a cross-tenant test', () => {
    const schema = t.app.get(GraphQLSchemaHost).schema;
    const operations = operationsTakingIds(schema);
    // A floor, so that a broken detector cannot pass by finding nothing.
    expect(operations.length).toBeGreaterThan(0);
    const covered = coveredOperations();
    const missing = operations.filter((op) => !covered.has(op));
    expect(missing).toEqual([]);
  });
});

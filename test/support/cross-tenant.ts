/**
 * Marks the describe/it block that proves an operation answers NOT_FOUND for another agency's id and
 * for a brand outside the caller's scope:
 *
 *   describe(crossTenant('updateBrand'), () => { … });
 *
 * `test/tenancy/cross-tenant-coverage.e2e-spec.ts` reads the schema, lists every query and mutation
 * that takes an id (directly or inside its input), and fails for one that no test file marks this way.
 */
export function crossTenant(operation: string): string {
  return `cross-tenant: ${operation} answers NOT_FOUND for another agency and an out-of-scope brand`;
}

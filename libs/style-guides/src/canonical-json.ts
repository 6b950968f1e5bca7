/**
 * JSON with object keys sorted, so two equal values compare equal as text whatever their key order
 * (PostgreSQL's jsonb returns keys in its own order, not the order they were written in).
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

import { Counter, register } from 'prom-client';

/**
 * A counter in prom-client's process-wide registry, or the one already there under that name:
 * prom-client refuses a second metric of the same name, and a process may build the Nest app more
 * than once (tests, the benchmarks).
 */
export function registeredCounter<L extends string>(name: string, help: string, labelNames: L[]): Counter<L> {
  const existing = register.getSingleMetric(name);
  if (existing) return existing as Counter<L>;
  return new Counter({ name, help, labelNames });
}

/**
 * Polls until `check` returns a value (anything but undefined, so 0 and false count); rejects after
 * `timeoutMs`. A wait for asynchronous work (workers, queues), not a timing assertion.
 */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

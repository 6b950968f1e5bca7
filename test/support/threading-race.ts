import { RequestContext, TenantDb } from '@caredesk/core';
import type { NormalizedMessage } from '@caredesk/channels';
import { ThreadingService, ThreadingTarget } from '@caredesk/inbox';
import { eventually } from './eventually';
import { TestApp } from './test-app';

const waitingOnAdvisoryLock = (t: TestApp) => async () => {
  const [r] = await t.ownerQuery(
    `SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event = 'advisory'`,
  );
  return r.n > 0 ? true : undefined;
};

/**
 * `first` placed in a transaction held open while `second` is placed in another (ThreadingService, as
 * two ingest workers would): `second` must wait for `first`'s commit on an advisory lock — the test
 * fails if it does not — and then see its rows.
 */
export async function placeAtTheSameMoment(
  t: TestApp,
  agencyId: string,
  target: ThreadingTarget,
  first: NormalizedMessage,
  second: NormalizedMessage,
): Promise<void> {
  const threading = t.app.get(ThreadingService);
  const db = t.app.get(TenantDb);
  const ctx = RequestContext.system(agencyId, 'test');
  let placed!: () => void;
  let release!: () => void;
  const isPlaced = new Promise<void>((r) => (placed = r));
  const released = new Promise<void>((r) => (release = r));
  const held = db.run(ctx, async (tx) => {
    await threading.applyMessages(tx, [{ target, msg: first }]);
    placed();
    await released;
  });
  try {
    await isPlaced;
    const racing = threading.applyMessage(ctx, target, second);
    await eventually(waitingOnAdvisoryLock(t), 10_000);
    release();
    await held;
    await racing;
  } finally {
    release();
    await held.catch(() => undefined);
  }
}

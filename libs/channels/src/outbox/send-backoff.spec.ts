// bull's own backoff computation, so the check fails if bull's formula and ours drift apart.
const backoffs = require('bull/lib/backoffs') as {
  calculate(backoff: { type: string; delay: number }, attemptsMade: number, custom: object): number;
};
import { SEND_BACKOFF_MS, sendBackoffMs } from './outbox.service';

describe('sendBackoffMs', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])(
    'after %i failed attempts equals the delay bull waits before the next one',
    (failed) => {
      const bull = backoffs.calculate({ type: 'exponential', delay: SEND_BACKOFF_MS }, failed, {});
      expect(sendBackoffMs(failed)).toBe(bull);
    },
  );

  it('is 1 s, 3 s, 7 s for the first retries', () => {
    expect([1, 2, 3].map(sendBackoffMs)).toEqual([1000, 3000, 7000]);
  });
});

import { SEND_BACKOFF_MS } from '@caredesk/channels';
import {
  OutboundStack,
  reply,
  seedAgency,
  seedConversation,
  Seeded,
  startOutboundStack,
  waitForFinalStatus,
} from './outbound-support';

/** A platform that keeps failing: the send stops after SEND_MAX_ATTEMPTS and says so. */
describe('send worker: retries run out', () => {
  let s: OutboundStack;
  let a: Seeded;

  beforeAll(async () => {
    s = await startOutboundStack({ SEND_MAX_ATTEMPTS: '2' });
    a = await seedAgency(s.t);
  });
  afterAll(() => s?.close());

  it('500 on every attempt → FAILED with RETRIES_EXHAUSTED after SEND_MAX_ATTEMPTS, spaced by the backoff', async () => {
    s.fake.script({ status: 500 }, { status: 500 }, { status: 500 });
    const c = await seedConversation(s.t, a);
    const queued = await reply(a.agency.client, c.conversationId, 'This will not go out');
    const final = await waitForFinalStatus(s.t, queued.id);
    expect(final.status).toBe('FAILED');
    const [row] = await s.t.ownerQuery(
      `SELECT m.failure_code, o.status, o.attempts FROM messages m
         JOIN outbound_messages o ON o.agency_id = m.agency_id AND o.message_id = m.id WHERE m.id = $1`,
      [queued.id],
    );
    expect(row).toEqual({ failure_code: 'RETRIES_EXHAUSTED', status: 'FAILED', attempts: 2 });
    const posts = s.fake.posts(/\/messages$/);
    expect(posts).toHaveLength(2);
    expect(posts[1].at - posts[0].at).toBeGreaterThanOrEqual(SEND_BACKOFF_MS);
    // Nothing more comes later (no third attempt, no sweeper re-send of a FAILED row).
    await new Promise((r) => setTimeout(r, 2.5 * SEND_BACKOFF_MS));
    expect(s.fake.posts(/\/messages$/)).toHaveLength(2);
  });
});

import { xSign } from '../../libs/channels/src/connectors/x/x-signature';
import { FakePlatformServer, RecordedRequest } from './x-linkedin-fake-server';

/**
 * A fake X API v2 speaking X's wire format (docs.x.com): POST /2/tweets → 201 {data:{id,text}};
 * POST /2/dm_conversations/with/:id/messages → 201 {data:{dm_conversation_id, dm_event_id}};
 * PUT /2/tweets/:id/hidden → {data:{hidden}}; DELETE /2/tweets/:id → {data:{deleted:true}}.
 * What was created can be read back as X lists it, newest first: GET /2/users/:id/tweets (with
 * referenced_tweets; text &-escaped, links as t.co) and GET /2/dm_conversations/with/:id/dm_events
 * (MessageCreate events; `sender_id` is the account, here `ACCOUNT_SENDER`).
 * Requests without a Bearer token get X's 401 problem body.
 */
export class FakeXApi extends FakePlatformServer {
  static readonly ACCOUNT_SENDER = '2244994945';
  private seq = 0;
  /** Created tweets and DM events, oldest first. */
  readonly tweets: { id: string; text: string; replyTo?: string }[] = [];
  readonly dms: { id: string; text: string; participant: string }[] = [];

  constructor() {
    super((req) => this.answer(req));
  }

  private answer(req: RecordedRequest) {
    if (!String(req.headers.authorization ?? '').startsWith('Bearer ')) {
      return {
        status: 401,
        body: { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' },
      };
    }
    const id = `19${String(Date.now()).slice(-8)}${String(++this.seq).padStart(6, '0')}`;
    const path = req.url.split('?')[0];
    let m: RegExpExecArray | null;
    if (req.method === 'POST' && path === '/2/tweets') {
      this.tweets.push({ id, text: req.body?.text, replyTo: req.body?.reply?.in_reply_to_tweet_id });
      return { status: 201, body: { data: { id, text: req.body?.text, edit_history_tweet_ids: [id] } } };
    }
    if (req.method === 'POST' && (m = /^\/2\/dm_conversations\/with\/([^/]+)\/messages$/.exec(path))) {
      this.dms.push({ id, text: req.body?.text, participant: decodeURIComponent(m[1]) });
      return { status: 201, body: { data: { dm_conversation_id: `${m[1]}-3001969357`, dm_event_id: id } } };
    }
    if (req.method === 'GET' && /^\/2\/users\/[^/]+\/tweets$/.test(path)) {
      const data = [...this.tweets].reverse().map((t) => ({
        id: t.id,
        text: asXShows(t.text),
        edit_history_tweet_ids: [t.id],
        ...(t.replyTo ? { referenced_tweets: [{ type: 'replied_to', id: t.replyTo }] } : {}),
      }));
      return { status: 200, body: { data, meta: { result_count: data.length } } };
    }
    if (req.method === 'GET' && (m = /^\/2\/dm_conversations\/with\/([^/]+)\/dm_events$/.exec(path))) {
      const participant = decodeURIComponent(m[1]);
      const data = [...this.dms]
        .reverse()
        .filter((d) => d.participant === participant)
        .map((d) => ({
          id: d.id,
          event_type: 'MessageCreate',
          text: asXShows(d.text),
          sender_id: FakeXApi.ACCOUNT_SENDER,
          dm_conversation_id: `${participant}-${FakeXApi.ACCOUNT_SENDER}`,
        }));
      return { status: 200, body: { data, meta: { result_count: data.length } } };
    }
    if (req.method === 'PUT' && /^\/2\/tweets\/[^/]+\/hidden$/.test(path)) {
      return { status: 200, body: { data: { hidden: Boolean(req.body?.hidden) } } };
    }
    if (req.method === 'DELETE' && /^\/2\/tweets\/[^/]+$/.test(path)) {
      return { status: 200, body: { data: { deleted: true } } };
    }
    return { status: 404, body: { title: 'Not Found Error', detail: `Could not find ${path}`, status: 404 } };
  }
}

/** Text as X gives it back: &, < and > escaped, links wrapped as t.co. */
function asXShows(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/https?:\/\/\S+/g, 'https://t.co/AbC123xyZ');
}

/** A 429 as X sends it: the window's reset as epoch seconds. */
export const xRateLimited = (resetInSeconds: number) => ({
  status: 429,
  headers: {
    'x-rate-limit-limit': '200',
    'x-rate-limit-remaining': '0',
    'x-rate-limit-reset': String(Math.floor(Date.now() / 1000) + resetInSeconds),
  },
  body: { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 },
});

/** A POST to /webhooks/x as X signs it. */
export function signedXDelivery(
  body: unknown,
  consumerSecret: string,
): { headers: Record<string, string>; rawBody: string } {
  const rawBody = typeof body === 'string' ? body : JSON.stringify(body);
  return {
    rawBody,
    headers: {
      'content-type': 'application/json',
      'x-twitter-webhooks-signature': xSign(consumerSecret, rawBody),
    },
  };
}

import { createHmac } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { listenOnLoopback, shutDown } from './loopback';

/** One request the fake Graph API received. */
export interface GraphRequest {
  method: string;
  /** Without the version prefix: `/412_998/comments`. */
  path: string;
  query: Record<string, string>;
  authorization: string | null;
  body: any;
}

/**
 * A programmed answer: a status/body/headers; `hang` (never answer: the client must time out); or
 * `accept-then-hang` (Meta created the comment/message, but the answer is lost on the way back).
 */
export type GraphAnswer =
  { status: number; body?: unknown; headers?: Record<string, string> } | 'hang' | 'accept-then-hang';

interface Stored {
  id: string;
  message: string;
  /** The account that made it through the API (a Page, or an Instagram account's IG user id). */
  from: { id: string };
  /** ISO 8601 with +0000, as Instagram's `timestamp`. */
  timestamp: string;
  /** An Instagram comment by another user (addIgComment): `from` is their IGSID, and reads have no `user`. */
  foreign?: boolean;
}

/** Graph API error bodies as Meta sends them ("Graph API → Error handling"). */
export const graphErrors = {
  tokenExpired: (): GraphAnswer => ({
    status: 400,
    body: {
      error: {
        message: 'Error validating access token: Session has expired on Saturday, 23-Nov-24 09:00:00 PST.',
        type: 'OAuthException',
        code: 190,
        error_subcode: 463,
        fbtrace_id: 'AbCdEfGh123',
      },
    },
  }),
  rateLimited: (retryAfter?: string): GraphAnswer => ({
    status: 429,
    headers: retryAfter ? { 'retry-after': retryAfter } : {},
    body: {
      error: {
        message: '(#4) Application request limit reached',
        type: 'OAuthException',
        code: 4,
        fbtrace_id: 'Rl1',
      },
    },
  }),
  pageRateLimited: (): GraphAnswer => ({
    status: 400,
    body: {
      error: {
        message: '(#32) Page request limit reached',
        type: 'OAuthException',
        code: 32,
        fbtrace_id: 'Rl2',
      },
    },
  }),
  serverError: (): GraphAnswer => ({
    status: 500,
    body: {
      error: {
        message: 'An unexpected error has occurred. Please retry your request later.',
        type: 'OAuthException',
        code: 2,
        is_transient: true,
        fbtrace_id: 'Se1',
      },
    },
  }),
  /** A permission the Page admin removed (Graph API "API Permission", codes 200–299). */
  permissionMissing: (): GraphAnswer => ({
    status: 403,
    body: {
      error: {
        message: '(#200) Requires pages_messaging permission to manage the object',
        type: 'OAuthException',
        code: 200,
        fbtrace_id: 'Pm1',
      },
    },
  }),
  permissionDenied: (): GraphAnswer => ({
    status: 403,
    body: {
      error: {
        message: '(#10) Application does not have permission for this action',
        type: 'OAuthException',
        code: 10,
        fbtrace_id: 'Pd1',
      },
    },
  }),
  /** Messenger: code 10 with a subcode is about one message, not the app's permissions. */
  outsideWindow: (): GraphAnswer => ({
    status: 400,
    body: {
      error: {
        message: '(#10) This message is sent outside of allowed window.',
        type: 'OAuthException',
        code: 10,
        error_subcode: 2018278,
        fbtrace_id: 'Ow1',
      },
    },
  }),
  blockedRecipient: (): GraphAnswer => ({
    status: 400,
    body: {
      error: {
        message: "(#200) This person isn't available right now.",
        type: 'OAuthException',
        code: 200,
        error_subcode: 1545041,
        fbtrace_id: 'Br1',
      },
    },
  }),
  /** Private Replies: the comment already has its one private reply. */
  alreadyReplied: (): GraphAnswer => ({
    status: 400,
    body: {
      error: {
        message: 'Activity already replied to',
        type: 'OAuthException',
        code: 10900,
        fbtrace_id: 'Ar1',
      },
    },
  }),
  /** What graph.facebook.com answers for an edge the object does not have (e.g. /{ig-user-id}/messages). */
  unsupportedRequest: (method: string, id: string): GraphAnswer => ({
    status: 400,
    body: {
      error: {
        message: `Unsupported ${method.toLowerCase()} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
        type: 'GraphMethodException',
        code: 100,
        error_subcode: 33,
        fbtrace_id: 'Us1',
      },
    },
  }),
  invalidParameter: (): GraphAnswer => ({
    status: 400,
    body: {
      error: {
        message: '(#100) Invalid parameter',
        type: 'OAuthException',
        code: 100,
        error_subcode: 2018001,
        fbtrace_id: 'Ip1',
      },
    },
  }),
};

/**
 * A local Graph API (node:http on 127.0.0.1, random port). Speaks Meta's shapes: POST /{id}/comments,
 * /{id}/replies and /{id}/mentions answer `{id}`, POST /{id}/messages answers `{recipient_id,
 * message_id}`, POST /{id} and DELETE /{id} answer `{success: true}`; a request without a token gets
 * the OAuthException code 104 Meta sends. Instagram comments read back as the IG Comment node has
 * them: `from` is the author's IGSID and username, `user` (the IG user id) only on the app user's
 * own comments. Every request is recorded; `answerNext` queues answers that take precedence over the
 * defaults.
 */
export class FakeMetaGraph {
  readonly requests: GraphRequest[] = [];
  private readonly queued: { answer: GraphAnswer; method: string }[] = [];
  private readonly hanging = new Set<ServerResponse>();
  private server!: Server;
  private seq = 0;
  private appSecret?: string;
  /** Comments created, by the comment they answer; DMs sent, by `<account>:<recipient>`. Oldest first. */
  private readonly comments = new Map<string, Stored[]>();
  private readonly messages = new Map<string, Stored[]>();
  /**
   * What GET /{ig-user-id}?fields=mentioned_comment.comment_id(…) and …mentioned_media.media_id(…)
   * answer, by comment / media id; tests set them. An id not here answers error 100, as for a comment
   * deleted (or on media with comments turned off) before it was read.
   */
  readonly mentionedComments = new Map<string, Record<string, unknown>>();
  readonly mentionedMedia = new Map<string, Record<string, unknown>>();
  /** Which account a token acts as (the `from` of what it creates, and `/me`); tests set it. */
  readonly tokenOwners = new Map<string, string>();
  /**
   * Page id → its linked Instagram account id (Instagram with Facebook Login). Messaging calls on the
   * Instagram id itself answer error 100/33 as graph.facebook.com does: they go through the Page.
   */
  readonly linkedInstagram = new Map<string, string>();
  /** Instagram-scoped user ids: messages to them are Instagram messages from the linked account. */
  readonly instagramUsers = new Set<string>();
  /** Comment id → its author's user id, where a private reply lands in a readable conversation. */
  readonly commentAuthors = new Map<string, string>();
  /** Private replies made, by comment id (a comment takes one: a second answers 10900). */
  private readonly privateReplies = new Map<string, Stored[]>();
  /** Ids of everything created (comments, messages), oldest first. */
  readonly created: string[] = [];
  url = '';

  /** With `appSecret`, calls must carry the right appsecret_proof, as with "Require App Secret" on. */
  static async start(appSecret?: string): Promise<FakeMetaGraph> {
    const fake = new FakeMetaGraph();
    fake.appSecret = appSecret;
    fake.server = createServer((req, res) => void fake.handle(req, res));
    fake.url = `${await listenOnLoopback(fake.server)}/v21.0`;
    return fake;
  }

  /**
   * The next `times` POST requests (or `method` ones) get `answer`, in order with anything queued
   * before. POST by default: reads (reconcile lookups) keep answering from what was created.
   */
  answerNext(answer: GraphAnswer, times = 1, method: 'POST' | 'GET' | 'DELETE' = 'POST'): void {
    for (let i = 0; i < times; i++) this.queued.push({ answer, method });
  }

  /**
   * A comment another Instagram user (`igsid`) wrote under `parentId`: a comment (its replies) or a
   * media (its comments). Answers its id.
   */
  addIgComment(parentId: string, text: string, igsid: string): string {
    const id = `${parentId}_other${++this.seq}`;
    const timestamp = new Date(Date.UTC(2026, 0, 1, 0, 0, this.seq)).toISOString().replace('.000Z', '+0000');
    push(this.comments, parentId, { id, message: text, from: { id: igsid }, timestamp, foreign: true });
    return id;
  }

  reset(): void {
    this.requests.length = 0;
    this.queued.length = 0;
    this.comments.clear();
    this.created.length = 0;
    this.messages.clear();
    this.privateReplies.clear();
    this.linkedInstagram.clear();
    this.instagramUsers.clear();
    this.commentAuthors.clear();
  }

  close(): Promise<void> {
    return shutDown(this.server, this.hanging);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://graph.local');
    const path = url.pathname.replace(/^\/v\d+\.\d+/, '');
    let body: any = raw;
    try {
      body = raw ? JSON.parse(raw) : null;
    } catch {
      /* form-encoded or garbage: recorded as text */
    }
    const recorded: GraphRequest = {
      method: req.method ?? 'GET',
      path,
      query: Object.fromEntries(url.searchParams),
      authorization: req.headers.authorization ?? null,
      body,
    };
    this.requests.push(recorded);

    const at = this.queued.findIndex((q) => q.method === recorded.method);
    const queued = at >= 0 ? this.queued.splice(at, 1)[0].answer : undefined;
    const answer = queued === 'accept-then-hang' || !queued ? this.defaultAnswer(recorded) : queued;
    if (queued === 'accept-then-hang' || typeof answer === 'string') {
      this.hanging.add(res);
      return;
    }
    res.writeHead(answer.status, {
      'content-type': 'application/json; charset=UTF-8',
      ...(answer.headers ?? {}),
    });
    res.end(JSON.stringify(answer.body ?? {}));
  }

  private defaultAnswer(r: GraphRequest): GraphAnswer {
    if (!r.authorization && !r.query.access_token) {
      return {
        status: 400,
        body: {
          error: {
            message: 'An access token is required to request this resource.',
            type: 'OAuthException',
            code: 104,
            fbtrace_id: 'Nt1',
          },
        },
      };
    }
    const token = (r.authorization ?? '').replace(/^Bearer /, '') || r.query.access_token;
    if (
      this.appSecret &&
      r.query.appsecret_proof !== createHmac('sha256', this.appSecret).update(token).digest('hex')
    ) {
      return {
        status: 400,
        body: {
          error: {
            message: 'Invalid appsecret_proof provided in the API argument',
            type: 'GraphMethodException',
            code: 100,
            fbtrace_id: 'Ap1',
          },
        },
      };
    }
    const n = ++this.seq;
    const [, pathId, edge] = r.path.split('/');
    const owner = this.tokenOwners.get(token);
    const id = pathId === 'me' ? owner : pathId;
    if (!id) return graphErrors.invalidParameter();
    // Instagram comments (replies, mentions) are the Instagram account's, whichever Page token made them.
    const igEdge = edge === 'replies' || edge === 'mentions';
    const from = {
      id: (igEdge && owner && this.linkedInstagram.get(owner)) || (owner ?? 'unknown-account'),
    };
    const timestamp = new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString().replace('.000Z', '+0000');
    if ((edge === 'messages' || edge === 'conversations') && this.isInstagramAccount(id)) {
      return graphErrors.unsupportedRequest(r.method, id);
    }
    if (r.method === 'GET') return this.read(id, edge, r.query);
    if (r.method === 'DELETE' && !edge) return { status: 200, body: { success: true } };
    if (r.method !== 'POST') return graphErrors.invalidParameter();
    if (!edge) return { status: 200, body: { success: true } };
    if (edge === 'messages') {
      const recipient = r.body?.recipient ?? {};
      const commentId: string | undefined = recipient.comment_id;
      if (commentId && this.privateReplies.has(commentId)) return graphErrors.alreadyReplied();
      const messageId = `m_fake${n}`;
      this.created.push(messageId);
      const to: string | undefined = recipient.id ?? (commentId && this.commentAuthors.get(commentId));
      const instagram = !!to && this.instagramUsers.has(to);
      // The Send API sends as the Page in the path, or for an Instagram user as its linked account.
      const stored: Stored = {
        id: messageId,
        message: r.body?.message?.text ?? '',
        from: { id: (instagram && this.linkedInstagram.get(id)) || id },
        timestamp,
      };
      if (to) push(this.messages, `${id}:${instagram ? 'instagram' : 'messenger'}:${to}`, stored);
      if (commentId) push(this.privateReplies, commentId, stored);
      return {
        status: 200,
        body: { recipient_id: to ?? `psid-for-${commentId}`, message_id: messageId },
      };
    }
    if (edge === 'comments' || edge === 'replies' || edge === 'mentions') {
      // A mention reply lands under the comment that mentioned the account, else on the media.
      const under = edge === 'mentions' ? (r.body?.comment_id ?? r.body?.media_id) : id;
      if (!under) return graphErrors.invalidParameter();
      const created = `${under.split('_')[0]}_fake${n}`;
      this.created.push(created);
      push(this.comments, under, { id: created, message: r.body?.message ?? '', from, timestamp });
      return { status: 200, body: { id: created } };
    }
    return graphErrors.invalidParameter();
  }

  private isInstagramAccount(id: string): boolean {
    return [...this.linkedInstagram.values()].includes(id);
  }

  /**
   * GET /{comment}/comments (newest first), GET /{account}/conversations?user_id=… and the mention
   * reads GET /{ig-user-id}?fields=mentioned_comment.comment_id({id}){fields} (or mentioned_media),
   * where the fields may expand the comment's `replies` or the media's `comments` (`{data: […]}`).
   */
  private read(id: string, edge: string | undefined, query: Record<string, string>): GraphAnswer {
    const mention =
      /^mentioned_(comment|media)\.(?:comment|media)_id\(([^)]+)\)\{([^{}]*(?:\{[^{}]*\})?[^{}]*)\}$/.exec(
        query.fields ?? '',
      );
    if (!edge && mention) {
      const [, kind, objectId, fields] = mention;
      const found = (kind === 'comment' ? this.mentionedComments : this.mentionedMedia).get(objectId);
      if (!found) return graphErrors.invalidParameter();
      const under = kind === 'comment' ? 'replies' : 'comments';
      // The edge expanded, with field expansion's optional `.limit(n)` (default 25): the first page only.
      const asked = new RegExp(`(?:^|,)${under}(?:\\.limit\\((\\d+)\\))?\\{`).exec(fields);
      const expanded = asked
        ? { [under]: pageOf(this.comments.get(objectId) ?? [], { limit: asked[1] }, '') }
        : {};
      return { status: 200, body: { [`mentioned_${kind}`]: { ...found, ...expanded }, id } };
    }
    if (edge === 'comments') {
      const data = [...(this.comments.get(id) ?? [])]
        .reverse()
        .map(({ id, message, from }) => ({ id, message, from }));
      return { status: 200, body: { data } };
    }
    // Oldest first, page by page: the connector sorts by `timestamp` rather than rely on Instagram's order.
    if (edge === 'replies') {
      return { status: 200, body: pageOf(this.comments.get(id) ?? [], query, `${this.url}/${id}/replies`) };
    }
    if (edge === 'conversations') {
      const msgs = this.messages.get(`${id}:${query.platform ?? 'messenger'}:${query.user_id}`);
      const data = msgs ? [{ id: `t_${query.user_id}`, messages: { data: newestFirst(msgs) } }] : [];
      return { status: 200, body: { data } };
    }
    if (!edge && /^private_reply_conversation\{/.test(query.fields ?? '')) {
      const msgs = this.privateReplies.get(id);
      const conversation = msgs ? { id: `t_${id}`, messages: { data: newestFirst(msgs) } } : undefined;
      return {
        status: 200,
        body: { id, ...(conversation ? { private_reply_conversation: conversation } : {}) },
      };
    }
    return graphErrors.invalidParameter();
  }
}

/**
 * An Instagram comment as the IG Comment node reads it: `from` holds "The Instagram-scoped ID
 * (IGSID) of the Instagram user who created the IG Comment" and their username, `user` (the IG user
 * id) is "Only returned if the app user created the IG Comment". An account's IGSID is not its IG
 * user id; here it is `igsid-<id>`.
 */
function igComment(c: Stored): Record<string, unknown> {
  const base = { id: c.id, text: c.message, timestamp: c.timestamp };
  if (c.foreign) return { ...base, from: { id: c.from.id, username: `user.${c.from.id}` } };
  return {
    ...base,
    from: { id: `igsid-${c.from.id}`, username: `account.${c.from.id}` },
    user: { id: c.from.id },
  };
}

/**
 * One page of IG comments as Graph cursor pagination answers it ("Paginated Results"): `limit` items
 * (default 25) after the `after` cursor, `paging.cursors` and, unless it is the last page, `next`.
 * Cursors here are base64 positions.
 */
function pageOf(
  all: Stored[],
  query: Record<string, string | undefined>,
  url: string,
): Record<string, unknown> {
  const limit = Number(query.limit ?? 25);
  const start = query.after ? Number(Buffer.from(query.after, 'base64').toString()) : 0;
  const data = all.slice(start, start + limit).map(igComment);
  const cursor = (n: number) => Buffer.from(String(n)).toString('base64');
  const end = start + data.length;
  const paging = data.length
    ? {
        cursors: { before: cursor(start), after: cursor(end) },
        ...(end < all.length ? { next: `${url}?limit=${limit}&after=${cursor(end)}` } : {}),
      }
    : undefined;
  return { data, ...(paging ? { paging } : {}) };
}

function newestFirst(msgs: Stored[]): { id: string; message: string; from: { id: string } }[] {
  return [...msgs].reverse().map(({ id, message, from }) => ({ id, message, from }));
}

function push(map: Map<string, Stored[]>, key: string, item: Stored): void {
  map.set(key, [...(map.get(key) ?? []), item]);
}

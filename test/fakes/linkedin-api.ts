import { linkedInSign } from '../../libs/channels/src/connectors/linkedin/linkedin-signature';
import { FakePlatformServer, RecordedRequest } from './x-linkedin-fake-server';

/**
 * A fake LinkedIn versioned API (learn.microsoft.com, Comments API): POST
 * /rest/socialActions/{urn}/comments → 201 with `x-restli-id` and the created comment; GET of the
 * same path → {elements, paging} of the comments created on that URN;
 * DELETE /rest/socialActions/{urn}/comments/{id}?actor=… → 204. Without a Bearer token: 401
 * with LinkedIn's error body; without LinkedIn-Version: 426, as LinkedIn answers.
 */
export class FakeLinkedInApi extends FakePlatformServer {
  private seq = 0;
  /** Created comments (as LinkedIn returns them), oldest first, with what they were posted on. */
  readonly comments: { target: string; element: Record<string, unknown> }[] = [];

  constructor() {
    super((req) => this.answer(req));
  }

  private answer(req: RecordedRequest) {
    if (!String(req.headers.authorization ?? '').startsWith('Bearer ')) {
      return {
        status: 401,
        body: {
          status: 401,
          serviceErrorCode: 65600,
          code: 'INVALID_ACCESS_TOKEN',
          message: 'Invalid access token',
        },
      };
    }
    if (!req.headers['linkedin-version']) {
      return {
        status: 426,
        body: { status: 426, code: 'NONEXISTENT_VERSION', message: 'Requested version is not active' },
      };
    }
    const path = req.url.split('?')[0];
    let m: RegExpExecArray | null;
    if (req.method === 'POST' && (m = /^\/rest\/socialActions\/([^/]+)\/comments$/.exec(path))) {
      const id = `72600000${String(Date.now()).slice(-5)}${String(++this.seq).padStart(6, '0')}`;
      const object = req.body?.object as string;
      const commentUrn = `urn:li:comment:(${object},${id})`;
      const element = {
        actor: req.body?.actor,
        commentUrn,
        id,
        object,
        message: req.body?.message,
        ...(req.body?.parentComment ? { parentComment: req.body.parentComment } : {}),
        created: { actor: req.body?.actor, time: Date.now() },
      };
      this.comments.push({ target: decodeURIComponent(m[1]), element });
      return {
        status: 201,
        headers: { 'x-restli-id': id, 'x-linkedin-id': id },
        body: { ...element, target: decodeURIComponent(m[1]) },
      };
    }
    if (req.method === 'GET' && (m = /^\/rest\/socialActions\/([^/]+)\/comments$/.exec(path))) {
      const target = decodeURIComponent(m[1]);
      const elements = this.comments.filter((c) => c.target === target).map((c) => c.element);
      return { status: 200, body: { elements, paging: { count: 50, start: 0, total: elements.length } } };
    }
    if (req.method === 'DELETE' && /^\/rest\/socialActions\/[^/]+\/comments\/[^/]+$/.test(path)) {
      return { status: 204 };
    }
    return { status: 404, body: { status: 404, message: `No resource found for ${path}` } };
  }
}

/** A POST to /webhooks/linkedin as LinkedIn signs it. */
export function signedLinkedInDelivery(
  body: unknown,
  clientSecret: string,
): { headers: Record<string, string>; rawBody: string } {
  const rawBody = typeof body === 'string' ? body : JSON.stringify(body);
  return {
    rawBody,
    headers: { 'content-type': 'application/json', 'x-li-signature': linkedInSign(clientSecret, rawBody) },
  };
}

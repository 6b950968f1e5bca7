import { RequestContext } from '@caredesk/core';

/**
 * One graphql-ws connection, authenticated once in `connection_init`. It keeps the bearer token so
 * that every operation on the socket is authenticated like an HTTP request (the auth guard reads
 * `req.headers.authorization`) and so that running subscriptions can re-read the caller's scope.
 */
export class LiveConnection {
  /** Conversations whose presence this socket set: removed when the socket closes. */
  readonly presence = new Set<string>();
  /** Subscriptions running on this socket (capped by LiveFeedService). */
  openStreams = 0;
  private cached?: { ctx: RequestContext | null; at: number };
  private reading?: Promise<RequestContext | null>;

  constructor(
    readonly id: string,
    readonly authorization: string,
    readonly ip: string | undefined,
    /** Who connected (the agency never changes on a connection: the token names it). */
    readonly connectedAs: RequestContext,
    private readonly authenticate: () => Promise<RequestContext | null>,
    private readonly scopeCacheMs: number,
  ) {
    this.cached = { ctx: connectedAs, at: Date.now() };
  }

  get agencyId(): string {
    return this.connectedAs.agencyId;
  }

  /**
   * The caller's current context (role, brand scope), or null once the token no longer grants access
   * (expired, membership removed, password changed). Membership scope can change while a socket is
   * open, so subscriptions check every event against this, not against what was true at connect.
   * Read at most once per LIVE_SCOPE_CACHE_SECONDS per socket, so a busy agency's events cost one
   * membership query per socket per interval, not one per event.
   */
  async scope(): Promise<RequestContext | null> {
    if (this.cached && Date.now() - this.cached.at < this.scopeCacheMs) return this.cached.ctx;
    this.reading ??= this.authenticate()
      .catch(() => this.cached?.ctx ?? null) // a failed read (database blip) keeps the last answer
      .then((ctx) => {
        this.cached = { ctx, at: Date.now() };
        return ctx;
      })
      .finally(() => (this.reading = undefined));
    return this.reading;
  }
}

import { createServer, Server, ServerResponse } from 'node:http';
import { listenOnLoopback, readBody, shutDown } from './loopback';

export type OAuthPlatform = 'google' | 'x' | 'linkedin' | 'tiktok';

export interface TokenRequest {
  platform: OAuthPlatform;
  path: string;
  contentType: string | undefined;
  authorization: string | undefined;
  /** The form fields as sent. */
  form: Record<string, string>;
}

/** The app's OAuth client the fake expects (the same id/secret for every platform, for brevity). */
export const OAUTH_CLIENT = { id: 'caredesk-client-id', secret: 'caredesk-client-secret-123' };

/**
 * The four platforms' OAuth token endpoints on one loopback server, each speaking its documented
 * refresh grant (form-encoded POST, JSON answer):
 * - Google `POST /token` (client_id, client_secret in the form): `{access_token, expires_in: 3599,
 *   scope, token_type}`, the refresh token is not rotated; refusal `400 {error: "invalid_grant",
 *   error_description: "Token has been expired or revoked."}`.
 * - X `POST /2/oauth2/token` (client_id in the form, Basic client id:secret for confidential
 *   clients): `{token_type: "bearer", expires_in: 7200, access_token, scope, refresh_token}`, rotated
 *   (the old one is dead at once); refusal `400 {error: "invalid_request", error_description: "Value
 *   passed for the token was invalid."}`.
 * - LinkedIn `POST /oauth/v2/accessToken` (client_id, client_secret): `{access_token, expires_in:
 *   5184000, refresh_token (same), refresh_token_expires_in}`; refusal `400 invalid_grant`.
 * - TikTok `POST /v2/oauth/token/` (client_key, client_secret): `{access_token, expires_in: 86400,
 *   open_id, refresh_expires_in, refresh_token (rotated), scope, token_type}`; refusal
 *   `{error: "invalid_grant", error_description, log_id}`.
 */
export class FakeOAuthTokens {
  readonly requests: TokenRequest[] = [];
  /** Live refresh tokens → platform. Register with `grant()`. */
  private readonly live = new Map<string, OAuthPlatform>();
  private readonly hanging: ServerResponse[] = [];
  private held: (() => void)[] = [];
  private holding = false;
  private seq = 0;
  /** Called with every access token issued (so a fake API can start accepting it). */
  onIssued: (platform: OAuthPlatform, accessToken: string) => void = () => {};
  private server!: Server;
  url = '';

  static async start(): Promise<FakeOAuthTokens> {
    const f = new FakeOAuthTokens();
    f.server = createServer(
      (req, res) => void f.handle(req.method ?? '', req.url ?? '', req.headers, req, res),
    );
    f.url = await listenOnLoopback(f.server);
    return f;
  }

  /** A refresh token the fake will accept for `platform`. */
  grant(platform: OAuthPlatform, refreshToken: string): void {
    this.live.set(refreshToken, platform);
  }

  /** Revokes a refresh token (the user removed the app): its next use gets the platform's refusal. */
  revoke(refreshToken: string): void {
    this.live.delete(refreshToken);
  }

  isLive(refreshToken: string): boolean {
    return this.live.has(refreshToken);
  }

  /** Token requests are answered only after `release()`: lets a test line up concurrent refreshes. */
  hold(): void {
    this.holding = true;
  }

  release(): void {
    this.holding = false;
    const held = this.held;
    this.held = [];
    for (const go of held) go();
  }

  close(): Promise<void> {
    this.release();
    return shutDown(this.server, this.hanging);
  }

  private async handle(
    method: string,
    url: string,
    headers: Record<string, string | string[] | undefined>,
    req: import('node:http').IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    const raw = await readBody(req);
    const path = new URL(url, 'http://x').pathname;
    const platform = PATHS[path];
    if (method !== 'POST' || !platform) return json(res, 404, { error: 'not_found' });
    const request: TokenRequest = {
      platform,
      path,
      contentType: headers['content-type'] as string | undefined,
      authorization: headers.authorization as string | undefined,
      form: Object.fromEntries(new URLSearchParams(raw)),
    };
    this.requests.push(request);
    if (this.holding) await new Promise<void>((go) => this.held.push(go));
    const answer = this.answer(request);
    json(res, answer.status, answer.body);
  }

  private answer(r: TokenRequest): { status: number; body: unknown } {
    if (!r.contentType?.startsWith('application/x-www-form-urlencoded')) {
      return { status: 400, body: { error: 'invalid_request', error_description: 'form body required' } };
    }
    if (r.form.grant_type !== 'refresh_token') {
      return { status: 400, body: { error: 'unsupported_grant_type' } };
    }
    if (!this.clientAuthenticated(r)) {
      return {
        status: 401,
        body: { error: 'invalid_client', error_description: 'Client authentication failed' },
      };
    }
    const refreshToken = r.form.refresh_token ?? '';
    if (this.live.get(refreshToken) !== r.platform) return refusal(r.platform);
    const n = ++this.seq;
    const accessToken = `${r.platform}-access-${n}`;
    this.onIssued(r.platform, accessToken);
    switch (r.platform) {
      case 'google':
        return {
          status: 200,
          body: {
            access_token: accessToken,
            expires_in: 3599,
            scope: 'https://www.googleapis.com/auth/business.manage',
            token_type: 'Bearer',
          },
        };
      case 'x': {
        const rotated = `x-refresh-${n}`;
        this.live.delete(refreshToken);
        this.live.set(rotated, 'x');
        return {
          status: 200,
          body: {
            token_type: 'bearer',
            expires_in: 7200,
            access_token: accessToken,
            scope: 'tweet.read tweet.write users.read dm.read dm.write offline.access',
            refresh_token: rotated,
          },
        };
      }
      case 'linkedin':
        return {
          status: 200,
          body: {
            access_token: accessToken,
            expires_in: 5184000,
            refresh_token: refreshToken,
            refresh_token_expires_in: 31_000_000,
            scope: 'r_organization_social,w_organization_social',
          },
        };
      case 'tiktok': {
        const rotated = `rft.tiktok-refresh-${n}`;
        this.live.delete(refreshToken);
        this.live.set(rotated, 'tiktok');
        return {
          status: 200,
          body: {
            access_token: `act.${accessToken}`,
            expires_in: 86400,
            open_id: 'afd97af1-b87b-48b9-ac98-410aghda5344',
            refresh_expires_in: 31536000,
            refresh_token: rotated,
            scope: 'user.info.basic,comment.list,comment.list.manage',
            token_type: 'Bearer',
          },
        };
      }
    }
  }

  private clientAuthenticated(r: TokenRequest): boolean {
    const f = r.form;
    switch (r.platform) {
      case 'x': {
        if (f.client_id !== OAUTH_CLIENT.id) return false;
        const basic = Buffer.from(`${OAUTH_CLIENT.id}:${OAUTH_CLIENT.secret}`).toString('base64');
        return r.authorization === `Basic ${basic}`;
      }
      case 'tiktok':
        return f.client_key === OAUTH_CLIENT.id && f.client_secret === OAUTH_CLIENT.secret;
      default:
        return f.client_id === OAUTH_CLIENT.id && f.client_secret === OAUTH_CLIENT.secret;
    }
  }
}

const PATHS: Record<string, OAuthPlatform> = {
  '/token': 'google',
  '/2/oauth2/token': 'x',
  '/oauth/v2/accessToken': 'linkedin',
  '/v2/oauth/token/': 'tiktok',
};

function refusal(platform: OAuthPlatform): { status: number; body: unknown } {
  switch (platform) {
    case 'google':
      return {
        status: 400,
        body: { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' },
      };
    case 'x':
      return {
        status: 400,
        body: { error: 'invalid_request', error_description: 'Value passed for the token was invalid.' },
      };
    case 'linkedin':
      return {
        status: 400,
        body: {
          error: 'invalid_grant',
          error_description:
            'The provided authorization grant or refresh token is invalid, expired or revoked.',
        },
      };
    case 'tiktok':
      return {
        status: 400,
        body: {
          error: 'invalid_grant',
          error_description: 'Refresh token is invalid or expired.',
          log_id: '20261124120000A1B2C3D4E5F6',
        },
      };
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/** The env that points the worker's refresh grants at `fake`, with the fake's client credentials. */
export function oauthEnv(fake: FakeOAuthTokens): Record<string, string> {
  return {
    GOOGLE_OAUTH_URL: fake.url,
    GOOGLE_CLIENT_ID: OAUTH_CLIENT.id,
    GOOGLE_CLIENT_SECRET: OAUTH_CLIENT.secret,
    X_OAUTH_URL: fake.url,
    X_CLIENT_ID: OAUTH_CLIENT.id,
    X_CLIENT_SECRET: OAUTH_CLIENT.secret,
    LINKEDIN_OAUTH_URL: fake.url,
    LINKEDIN_CLIENT_ID: OAUTH_CLIENT.id,
    LINKEDIN_CLIENT_SECRET: OAUTH_CLIENT.secret,
    TIKTOK_OAUTH_URL: fake.url,
    TIKTOK_CLIENT_KEY: OAUTH_CLIENT.id,
    TIKTOK_CLIENT_SECRET: OAUTH_CLIENT.secret,
  };
}

import { OAuthClientConfig, PlatformsConfig } from '@caredesk/core';
import { ConnectorError } from '../connectors/connector';
import { callPlatform, PlatformResponse, retryAfterSeconds } from '../connectors/google/platform-http';
import { Platform } from '../platform';

/** What a refresh grant answers: the new access token, its lifetime, and a rotated refresh token. */
export interface GrantedTokens {
  accessToken: string;
  /** Present when the platform rotates refresh tokens (X, TikTok): the old one stops working. */
  refreshToken?: string;
  expiresInSeconds?: number;
}

type OAuthPlatform = keyof PlatformsConfig['oauth'];

/**
 * Each platform's documented refresh grant (RFC 6749 §6: form-encoded POST, JSON answer):
 * - Google, "Using OAuth 2.0 for Web Server Applications › Refreshing an access token":
 *   POST https://oauth2.googleapis.com/token with client_id, client_secret; no rotation (~1 h tokens).
 * - X, "OAuth 2.0 Authorization Code Flow with PKCE": POST /2/oauth2/token with client_id in the
 *   body, and Basic auth (client id:secret) for confidential clients; ~2 h tokens; the answer carries
 *   a new refresh token and the old one is invalidated.
 * - LinkedIn, "Programmatic Refresh Tokens": POST https://www.linkedin.com/oauth/v2/accessToken with
 *   client_id, client_secret; 60-day tokens; the refresh token keeps its original one-year TTL.
 * - TikTok, "Refresh a User Access Token": POST https://open.tiktokapis.com/v2/oauth/token/ with
 *   client_key, client_secret; refresh tokens rotate ("the previous refresh token stops working").
 */
const GRANTS: Record<OAuthPlatform, { path: string; form(c: OAuthClientConfig): Record<string, string> }> = {
  google: {
    path: '/token',
    form: (c) => ({ client_id: c.clientId!, ...(c.clientSecret ? { client_secret: c.clientSecret } : {}) }),
  },
  x: { path: '/2/oauth2/token', form: (c) => ({ client_id: c.clientId! }) },
  linkedin: {
    path: '/oauth/v2/accessToken',
    form: (c) => ({ client_id: c.clientId!, client_secret: c.clientSecret ?? '' }),
  },
  tiktok: {
    path: '/v2/oauth/token/',
    form: (c) => ({ client_key: c.clientId!, client_secret: c.clientSecret ?? '' }),
  },
};

const OAUTH_PLATFORM: Partial<Record<Platform, OAuthPlatform>> = {
  [Platform.GOOGLE_BUSINESS]: 'google',
  [Platform.X]: 'x',
  [Platform.LINKEDIN]: 'linkedin',
  [Platform.TIKTOK]: 'tiktok',
};

/** The OAuth client to refresh `platform`'s tokens with, or null: not a refreshing platform, or not configured. */
export function oauthClientFor(
  config: Pick<PlatformsConfig, 'oauth'>,
  platform: Platform,
): { name: OAuthPlatform; client: OAuthClientConfig } | null {
  const name = OAUTH_PLATFORM[platform];
  if (!name || !config.oauth[name].clientId) return null;
  return { name, client: config.oauth[name] };
}

/**
 * One refresh grant. Throws ConnectorError: AUTH_EXPIRED when the platform refuses the grant (any
 * 4xx with an OAuth `error` such as invalid_grant — the refresh token is expired, revoked or already
 * rotated; or invalid_client): no retry can succeed, the channel needs reconnecting. RATE_LIMITED on
 * 429, TRANSIENT on 5xx, timeouts and connection errors.
 */
export async function refreshGrant(
  name: OAuthPlatform,
  client: OAuthClientConfig,
  refreshToken: string,
  timeoutMs: number,
): Promise<GrantedTokens> {
  const grant = GRANTS[name];
  const form = { ...grant.form(client), grant_type: 'refresh_token', refresh_token: refreshToken };
  const headers: Record<string, string> = {};
  if (name === 'x' && client.clientSecret) {
    // X confidential clients authenticate with HTTP Basic (RFC 6749 §2.3.1: each part form-encoded).
    const basic = `${encodeURIComponent(client.clientId!)}:${encodeURIComponent(client.clientSecret)}`;
    headers.authorization = `Basic ${Buffer.from(basic).toString('base64')}`;
  }
  const what = `${name} token refresh`;
  let res: PlatformResponse;
  try {
    res = await callPlatform(`${client.url}${grant.path}`, { method: 'POST', headers, form, timeoutMs });
  } catch (e) {
    // TRANSIENT: timed out, connection failed, answer cut off.
    throw e instanceof ConnectorError ? new ConnectorError('TRANSIENT', `${what}: ${e.message}`) : e;
  }
  // Not JSON (a proxy's error page): mapped by status below.
  const body = (res.body !== null && typeof res.body === 'object' ? res.body : {}) as Record<string, unknown>;
  // TikTok may answer an error with HTTP 200 and an `error` field; the others use 400/401.
  const oauthError = typeof body.error === 'string' && body.error ? body.error : null;
  const detail = [oauthError, body.error_description].filter(Boolean).join(': ') || res.text.slice(0, 200);
  if (res.status === 429) {
    throw new ConnectorError('RATE_LIMITED', `${what}: 429 ${detail}`, retryAfterSeconds(res.headers));
  }
  if (res.status >= 500) throw new ConnectorError('TRANSIENT', `${what}: ${res.status} ${detail}`);
  if (res.status >= 400 || oauthError) {
    throw new ConnectorError('AUTH_EXPIRED', `${what} refused: ${res.status} ${detail}`);
  }
  const accessToken = body.access_token;
  if (typeof accessToken !== 'string' || !accessToken) {
    throw new ConnectorError('TRANSIENT', `${what}: answer without access_token`);
  }
  const expiresIn = Number(body.expires_in);
  return {
    accessToken,
    refreshToken:
      typeof body.refresh_token === 'string' && body.refresh_token ? body.refresh_token : undefined,
    expiresInSeconds: Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : undefined,
  };
}

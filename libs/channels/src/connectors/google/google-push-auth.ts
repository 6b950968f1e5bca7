import { decode, JwtPayload, verify } from 'jsonwebtoken';

export const GOOGLE_OIDC_CERTS_URL = 'https://www.googleapis.com/oauth2/v1/certs';

/**
 * Google signs OIDC tokens as these issuers ("Authenticate push subscriptions": `iss` is
 * `accounts.google.com` or `https://accounts.google.com`).
 */
const ISSUERS: [string, string] = ['accounts.google.com', 'https://accounts.google.com'];
/** Allowed clock difference with Google for `exp` / `iat` (Google's own client libraries allow 5 min). */
const CLOCK_TOLERANCE_SECONDS = 300;
/** An unknown key id refetches the certificates (Google rotates keys), at most this often. */
const REFETCH_UNKNOWN_KID_MS = 60_000;
/** When the certificates answer carries no usable Cache-Control max-age. */
const DEFAULT_MAX_AGE_MS = 5 * 60_000;

export interface GooglePushAuthConfig {
  /** The audience set on the push subscription (pushConfig.oidcToken.audience). */
  audience: string;
  /** The service account the subscription signs as (pushConfig.oidcToken.serviceAccountEmail). */
  serviceAccount: string;
  certsUrl?: string;
  timeoutMs: number;
}

interface Certs {
  byKid: Map<string, string>;
  expiresAt: number;
  fetchedAt: number;
}

/**
 * Verifies the OIDC JWT that Pub/Sub puts in `Authorization: Bearer …` of an authenticated push
 * (https://cloud.google.com/pubsub/docs/authenticate-push-subscriptions): RS256 signed by a Google
 * key (PEM certificates by `kid` from the certs URL, cached as long as its Cache-Control max-age
 * says), `aud` the configured audience, `iss` Google, `email` the configured service account with
 * `email_verified`, and not expired. Answers null when valid, else why it is not (a short,
 * low-cardinality reason: it becomes a metric label).
 */
export class GooglePushAuth {
  private certs: Certs | null = null;
  private loading: Promise<Certs> | null = null;

  constructor(private readonly config: GooglePushAuthConfig) {}

  async reject(authorization: string | undefined): Promise<string | null> {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    if (!token) return 'missing bearer token';
    const header = decode(token, { complete: true })?.header;
    if (!header) return 'malformed token';
    if (header.alg !== 'RS256') return 'unexpected algorithm';
    if (!header.kid) return 'no key id';

    let pem: string | undefined;
    try {
      pem = await this.keyFor(header.kid);
    } catch {
      // Pub/Sub redelivers any push not answered 2xx, so refusing loses nothing.
      return 'certificates unavailable';
    }
    if (!pem) return 'unknown key id';

    let claims: JwtPayload;
    try {
      claims = verify(token, pem, {
        algorithms: ['RS256'],
        audience: this.config.audience,
        issuer: ISSUERS,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      }) as JwtPayload;
    } catch (e) {
      const name = e instanceof Error ? e.name : '';
      if (name === 'TokenExpiredError') return 'token expired';
      const message = e instanceof Error ? e.message : '';
      if (/audience/.test(message)) return 'wrong audience';
      if (/issuer/.test(message)) return 'wrong issuer';
      return 'bad signature or claims';
    }
    if (claims.exp === undefined) return 'no expiry';
    if (claims.email !== this.config.serviceAccount) return 'wrong service account';
    if (claims.email_verified !== true) return 'email not verified';
    return null;
  }

  /** The PEM of `kid`; a kid not in a fresh cache refetches, at most once a minute. */
  private async keyFor(kid: string): Promise<string | undefined> {
    const now = Date.now();
    let certs = this.certs;
    // Certificates past their max-age are still better than none while Google cannot be reached.
    if (!certs || certs.expiresAt <= now)
      certs = await this.load().catch((e: unknown) => stale(this.certs, e));
    if (!certs.byKid.has(kid) && now - certs.fetchedAt >= REFETCH_UNKNOWN_KID_MS) certs = await this.load();
    return certs.byKid.get(kid);
  }

  /** One fetch at a time; concurrent pushes share it. */
  private load(): Promise<Certs> {
    this.loading ??= this.fetchCerts().finally(() => (this.loading = null));
    return this.loading;
  }

  private async fetchCerts(): Promise<Certs> {
    const res = await fetch(this.config.certsUrl ?? GOOGLE_OIDC_CERTS_URL, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(this.config.timeoutMs),
    });
    if (res.status !== 200) throw new Error(`certificates answered ${res.status}`);
    const body = (await res.json()) as Record<string, unknown>;
    const byKid = new Map<string, string>();
    for (const [kid, pem] of Object.entries(body ?? {})) if (typeof pem === 'string') byKid.set(kid, pem);
    const fetchedAt = Date.now();
    const certs = { byKid, fetchedAt, expiresAt: fetchedAt + maxAgeMs(res.headers.get('cache-control')) };
    this.certs = certs;
    return certs;
  }
}

function stale(certs: Certs | null, error: unknown): Certs {
  if (!certs) throw error;
  return certs;
}

/** `Cache-Control: public, max-age=19845, must-revalidate, no-transform` → ms; no-store/no-cache → 0. */
export function maxAgeMs(cacheControl: string | null): number {
  if (!cacheControl) return DEFAULT_MAX_AGE_MS;
  if (/\b(no-store|no-cache)\b/i.test(cacheControl)) return 0;
  const m = /\bmax-age\s*=\s*(\d+)/i.exec(cacheControl);
  return m ? Number(m[1]) * 1000 : DEFAULT_MAX_AGE_MS;
}

import { createServer, Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import { sign } from 'jsonwebtoken';
import { generate } from 'selfsigned';
import { listenOnLoopback, shutDown } from './loopback';

export interface OidcKey {
  kid: string;
  /** PEM of the RSA private key: what Google keeps to itself. */
  privateKey: string;
  /** PEM of the X.509 certificate: what the certs URL publishes under `kid`. */
  cert: string;
}

export interface FakeGoogleOidc {
  /** The certs URL (GOOGLE_OIDC_CERTS_URL). */
  url: string;
  /** The keys published; a test may add or remove some. */
  published: OidcKey[];
  /** GETs of the certs URL so far (caching is observable). */
  fetches: number;
  /** A Pub/Sub push token, RS256 with `key` (default: the first published), claims overridable. */
  token(claims?: Record<string, unknown>, key?: OidcKey): string;
  close(): Promise<void>;
}

/** A fresh RSA key with a self-signed certificate, like one of Google's signing keys. */
export async function oidcKey(): Promise<OidcKey> {
  const pems = await generate([{ name: 'commonName', value: 'accounts.google.com' }], {
    keySize: 2048,
    algorithm: 'sha256',
  });
  return { kid: randomBytes(20).toString('hex'), privateKey: pems.private, cert: pems.cert };
}

/**
 * Google's OAuth2 v1 certs endpoint on 127.0.0.1 (https://www.googleapis.com/oauth2/v1/certs): a JSON
 * object of PEM certificates keyed by key id, with `Cache-Control: public, max-age=…`. It also signs
 * tokens shaped like Pub/Sub's push OIDC tokens ("Authenticate push subscriptions": aud, azp, email,
 * email_verified, exp, iat, iss, sub).
 */
export async function startFakeGoogleOidc(opts: {
  audience: string;
  serviceAccount: string;
  maxAgeSeconds?: number;
}): Promise<FakeGoogleOidc> {
  const published = [await oidcKey()];
  const fake: Omit<FakeGoogleOidc, 'url' | 'close'> = {
    published,
    fetches: 0,
    token(claims = {}, key = published[0]) {
      const now = Math.floor(Date.now() / 1000);
      return sign(
        {
          aud: opts.audience,
          azp: '113774264463038321964',
          email: opts.serviceAccount,
          email_verified: true,
          iat: now,
          exp: now + 3600,
          iss: 'https://accounts.google.com',
          sub: '113774264463038321964',
          ...claims,
        },
        key.privateKey,
        { algorithm: 'RS256', keyid: key.kid },
      );
    },
  };
  const server: Server = createServer((req, res) => {
    fake.fetches++;
    const body = JSON.stringify(Object.fromEntries(published.map((k) => [k.kid, k.cert])));
    res.writeHead(200, {
      'content-type': 'application/json; charset=UTF-8',
      'cache-control': `public, max-age=${opts.maxAgeSeconds ?? 21600}, must-revalidate, no-transform`,
    });
    res.end(body);
  });
  const url = `${await listenOnLoopback(server)}/oauth2/v1/certs`;
  return Object.assign(fake, { url, close: () => shutDown(server, []) });
}

import { createHmac } from 'node:crypto';
import { ConnectorError } from '../connector';
import { graphError } from './meta-graph.errors';

export interface GraphClientSettings {
  /** AppConfig.platforms.meta.apiUrl, versioned (https://graph.facebook.com/v21.0) and without a trailing slash. */
  apiUrl: string;
  timeoutMs: number;
  /** META_APP_SECRET: signs every call with appsecret_proof when set. */
  appSecret?: string;
}

/**
 * The few Graph API calls Caredesk makes, over global fetch. The token goes in the Authorization
 * header (Graph accepts `Bearer` as well as `?access_token=`) so it never lands in proxy or access
 * logs with the URL. Every call carries `appsecret_proof` (HMAC-SHA256 of the token with the app
 * secret, Graph API "Securing requests"), so apps with "Require App Secret" on work and a leaked
 * token alone cannot call the API as our app. Failures become ConnectorErrors the worker retries.
 */
export class MetaGraphClient {
  constructor(private readonly settings: GraphClientSettings) {}

  async call<T = Record<string, unknown>>(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    accessToken: string,
    body?: Record<string, unknown>,
    query?: Record<string, string>,
  ): Promise<T> {
    const params = new URLSearchParams(query ?? {});
    if (this.settings.appSecret) {
      params.set(
        'appsecret_proof',
        createHmac('sha256', this.settings.appSecret).update(accessToken).digest('hex'),
      );
    }
    const qs = params.size > 0 ? `?${params.toString()}` : '';
    let res: Response;
    try {
      res = await fetch(`${this.settings.apiUrl}${path}${qs}`, {
        method,
        headers: {
          authorization: `Bearer ${accessToken}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
    } catch (e) {
      // Timeout, refused connection, DNS: the platform may or may not have acted; the worker retries.
      throw new ConnectorError('TRANSIENT', `Graph API ${method} ${path} failed: ${(e as Error).message}`);
    }
    let text: string;
    try {
      text = await res.text();
    } catch (e) {
      throw new ConnectorError(
        'TRANSIENT',
        `Graph API ${method} ${path}: body lost: ${(e as Error).message}`,
      );
    }
    if (!res.ok) throw graphError(res.status, res.headers, text);
    try {
      return (text ? JSON.parse(text) : {}) as T;
    } catch {
      return {} as T;
    }
  }
}

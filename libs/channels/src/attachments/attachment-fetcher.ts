import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@caredesk/core';
import { InboundContent } from '../connectors/connector';

/** The file came; or it will not (gone, refused, too large, not from a copy host) and retrying is useless. */
export type FetchOutcome = { kind: 'fetched'; content: InboundContent } | { kind: 'skipped'; reason: string };

/** Worth another try later: a 5xx, a 429, a timeout, a connection error. */
export class TransientFetchError extends Error {}

const MAX_REDIRECTS = 3;

/**
 * Downloads a platform attachment so Caredesk keeps a copy before the platform's URL expires (Meta's
 * CDN links carry an expiry of days). Only from ATTACHMENT_COPY_HOSTS — the URL comes from a signed
 * webhook, but a worker that fetched any URL it is handed would be a way into the internal network —
 * and redirects are followed by hand so that every hop is held to the same list. At most
 * ATTACHMENT_COPY_MAX_BYTES (by Content-Length, and counted while reading), within PLATFORM_TIMEOUT_MS.
 */
@Injectable()
export class AttachmentFetcher {
  private readonly hosts: string[];
  private readonly maxBytes: number;
  private readonly timeoutMs: number;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.hosts = config.attachments.copyHosts;
    this.maxBytes = config.attachments.copyMaxBytes;
    this.timeoutMs = config.platforms.timeoutMs;
  }

  /** Whether a URL is one the worker copies: http(s) on a copy host or its subdomain. */
  copyable(url: string | null | undefined): boolean {
    if (!url || this.hosts.length === 0) return false;
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return false;
    }
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return false;
    const host = u.hostname.toLowerCase();
    return this.hosts.some((h) => host === h || host.endsWith(`.${h}`));
  }

  async fetch(url: string, declaredMime: string | null): Promise<FetchOutcome> {
    const signal = AbortSignal.timeout(this.timeoutMs);
    let current = url;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      if (!this.copyable(current)) return { kind: 'skipped', reason: `not a copy host: ${hostOf(current)}` };
      let res: Response;
      try {
        res = await fetch(current, { redirect: 'manual', signal });
      } catch (e) {
        throw new TransientFetchError(`${hostOf(current)}: ${String((e as Error).cause ?? e)}`);
      }
      if (res.status >= 300 && res.status < 400 && res.headers.get('location')) {
        await res.body?.cancel();
        current = new URL(res.headers.get('location')!, current).toString();
        continue;
      }
      if (res.status === 429 || res.status >= 500) {
        await res.body?.cancel();
        throw new TransientFetchError(`${hostOf(current)} answered ${res.status}`);
      }
      if (!res.ok) {
        await res.body?.cancel();
        return { kind: 'skipped', reason: `${hostOf(current)} answered ${res.status}` };
      }
      const declared = Number(res.headers.get('content-length'));
      if (Number.isFinite(declared) && declared > this.maxBytes) {
        await res.body?.cancel();
        return { kind: 'skipped', reason: `larger than ${this.maxBytes} bytes` };
      }
      const bytes = await this.read(res, signal);
      if (!bytes) return { kind: 'skipped', reason: `larger than ${this.maxBytes} bytes` };
      const mimeType =
        res.headers.get('content-type')?.split(';')[0].trim().toLowerCase() ||
        declaredMime ||
        'application/octet-stream';
      return {
        kind: 'fetched',
        content: { sha256: createHash('sha256').update(bytes).digest('hex'), mimeType, bytes },
      };
    }
    return { kind: 'skipped', reason: 'too many redirects' };
  }

  /** The body, or null once it passes the limit (the rest is not read). */
  private async read(res: Response, signal: AbortSignal): Promise<Buffer | null> {
    if (!res.body) return Buffer.alloc(0);
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        size += chunk.length;
        // Leaving the loop cancels the stream: the rest is never downloaded.
        if (size > this.maxBytes) return null;
        chunks.push(Buffer.from(chunk));
      }
    } catch (e) {
      throw new TransientFetchError(`reading the body: ${String(signal.reason ?? e)}`);
    }
    return Buffer.concat(chunks, size);
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'an invalid URL';
  }
}

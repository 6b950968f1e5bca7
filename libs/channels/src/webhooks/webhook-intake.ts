import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Injectable, Logger } from '@nestjs/common';
import { ConnectorRegistry } from '../connectors/connector.registry';
import { InboundEventWriter } from '../inbound/inbound-event.writer';
import { BodyTooLargeError, toWebhookRequest } from './raw-request';
import { webhookMetrics } from './webhook.metrics';

/**
 * The platform webhook names served (DESIGN.md, "Contracts"). Any other name under /webhooks/ —
 * `/webhooks/stripe` (billing) among them — is left to the framework's router.
 */
export const WEBHOOK_NAMES = ['meta', 'x', 'linkedin', 'google', 'tiktok', 'email'] as const;
const NAMES = new Set<string>(WEBHOOK_NAMES);

/**
 * Webhook intake: verify over the raw bytes, store, and answer 200 only once the rows are committed.
 * Every non-2xx answer makes the platform retry later, which is what we want whenever we could not
 * store the delivery (database down → 503); a bad signature is refused (401/403) and nothing is written.
 *
 * Served on the bare node:http request, in front of Express and Nest (see `mount`): this is the
 * hottest path of the platform (every comment of every brand), it needs none of the framework's
 * routing, parsing, guards or pipes, and the ingest benchmark's target is a bare Node server's
 * latency. Measured: it more than doubled accepted deliveries per second on the same machine.
 */
@Injectable()
export class WebhookIntake {
  private readonly logger = new Logger(WebhookIntake.name);

  constructor(
    private readonly registry: ConnectorRegistry,
    private readonly writer: InboundEventWriter,
  ) {}

  /**
   * Puts the intake in front of the server's existing request handler (the Express app): requests
   * for GET/POST /webhooks/<name> are answered here, everything else goes on to Express untouched.
   */
  mount(server: Server): void {
    const handlers = server.listeners('request') as Array<
      (req: IncomingMessage, res: ServerResponse) => void
    >;
    server.removeAllListeners('request');
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const name = this.nameOf(req);
      if (name) void this.handle(name, req, res);
      else for (const h of handlers) h(req, res);
    });
  }

  /** The webhook name of a request this intake serves, else null. */
  private nameOf(req: IncomingMessage): string | null {
    const url = req.url ?? '';
    if (!url.startsWith('/webhooks/') || (req.method !== 'POST' && req.method !== 'GET')) return null;
    const end = url.indexOf('?');
    const name = url
      .slice('/webhooks/'.length, end === -1 ? undefined : end)
      .replace(/\/+$/, '')
      .toLowerCase();
    return NAMES.has(name) ? name : null;
  }

  private async handle(name: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      await this.answer(name, req, res);
    } catch (e) {
      this.logger.error(`${name} webhook failed: ${String(e)}`);
      if (!res.headersSent) send(res, 500, { error: 'internal' });
    }
  }

  private async answer(name: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const connector = this.registry.forWebhook(name);
    if (!connector || connector.isConfigured?.() === false) {
      send(res, 503, { error: 'not configured' });
      return;
    }

    let verdict;
    try {
      verdict = await connector.verifyWebhook(
        await toWebhookRequest(req, new URL(req.url ?? '/', 'http://local'), connector.maxWebhookBytes),
      );
    } catch (e) {
      const tooLarge = e instanceof BodyTooLargeError;
      webhookMetrics.rejected.inc({ platform: name, reason: tooLarge ? 'too large' : 'malformed' });
      if (!tooLarge) this.logger.warn(`${name} webhook could not be read: ${String(e)}`);
      send(res, tooLarge ? 413 : 400, { error: tooLarge ? 'too large' : 'malformed' });
      if (tooLarge) req.resume();
      return;
    }

    switch (verdict.kind) {
      case 'handshake':
        res.writeHead(verdict.status, { 'content-type': verdict.contentType });
        res.end(verdict.body);
        return;
      case 'rejected':
        webhookMetrics.rejected.inc({ platform: name, reason: verdict.reason.slice(0, 64) });
        send(res, verdict.status, { error: 'rejected' });
        return;
      case 'accepted':
        try {
          await this.writer.write(verdict.deliveries);
        } catch {
          // Already logged by the writer. Never 200: the platform keeps the delivery and retries.
          send(res, 503, { error: 'unavailable' });
          return;
        }
        send(res, 200, { ok: true });
    }
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

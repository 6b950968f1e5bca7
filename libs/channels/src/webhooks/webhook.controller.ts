import { Controller, Get, HttpCode, Logger, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ConnectorRegistry } from '../connectors/connector.registry';
import { InboundEventWriter } from '../inbound/inbound-event.writer';
import { BodyTooLargeError, toWebhookRequest } from './raw-request';
import { webhookMetrics } from './webhook.metrics';

/**
 * The platform webhook names served here (DESIGN.md, "Contracts"). Explicit paths rather than
 * `:name`, so `/webhooks/stripe` (billing, its own controller) is never swallowed and any other
 * name is a plain 404.
 */
export const WEBHOOK_NAMES = ['meta', 'x', 'linkedin', 'google', 'tiktok', 'email'] as const;
const PATHS = [...WEBHOOK_NAMES];

/**
 * Webhook intake: verify over the raw bytes, store, and answer 200 only once the rows are committed.
 * Every non-2xx answer makes the platform retry later, which is what we want whenever we could not
 * store the delivery (database down → 503); a bad signature is refused (401/403) and nothing is written.
 */
@Controller('webhooks')
export class WebhookController {
  private readonly logger = new Logger(WebhookController.name);

  constructor(
    private readonly registry: ConnectorRegistry,
    private readonly writer: InboundEventWriter,
  ) {}

  @Get(PATHS)
  async get(@Req() req: Request, @Res() res: Response): Promise<void> {
    await this.handle(req, res);
  }

  @Post(PATHS)
  @HttpCode(200)
  async post(@Req() req: Request, @Res() res: Response): Promise<void> {
    await this.handle(req, res);
  }

  private async handle(req: Request, res: Response): Promise<void> {
    const name = req.path.replace(/\/+$/, '').split('/').pop()!.toLowerCase();
    const connector = this.registry.forWebhook(name);
    if (!connector || connector.isConfigured?.() === false) {
      res.status(503).json({ error: 'not configured' });
      return;
    }

    let verdict;
    try {
      verdict = connector.verifyWebhook(await toWebhookRequest(req));
    } catch (e) {
      const tooLarge = e instanceof BodyTooLargeError;
      webhookMetrics.rejected.inc({ platform: name, reason: tooLarge ? 'too large' : 'malformed' });
      if (!tooLarge) this.logger.warn(`${name} webhook could not be read: ${String(e)}`);
      res.status(tooLarge ? 413 : 400).json({ error: tooLarge ? 'too large' : 'malformed' });
      return;
    }

    switch (verdict.kind) {
      case 'handshake':
        res.status(verdict.status).type(verdict.contentType).send(verdict.body);
        return;
      case 'rejected':
        webhookMetrics.rejected.inc({ platform: name, reason: verdict.reason.slice(0, 64) });
        res.status(verdict.status).json({ error: 'rejected' });
        return;
      case 'accepted':
        try {
          await this.writer.write(verdict.deliveries);
        } catch {
          // Already logged by the writer. Never 200: the platform keeps the delivery and retries.
          res.status(503).json({ error: 'unavailable' });
          return;
        }
        res.status(200).json({ ok: true });
    }
  }
}

import { createHmac, timingSafeEqual } from 'node:crypto';
import { PlatformsConfig } from '@caredesk/core';
import { Platform } from '../../platform';
import {
  ConnectorError,
  NormalizedEvent,
  OutboundRequest,
  PlatformConnector,
  SendResult,
  WebhookRequest,
  WebhookVerdict,
} from '../connector';
import { emailDeliveries, EmailPayload, MAX_MAIL_BYTES } from './email-delivery';
import { normalizeEmail } from './email-normalize';
import { sendEmail } from './email-sender';

/**
 * The JSON a mail provider relays to POST /webhooks/email: the message source and the mailbox(es)
 * it was delivered to. `raw` is the RFC 5322 text; `rawBase64` carries 8-bit sources that are not
 * UTF-8 byte for byte.
 */
export interface EmailRelayBody {
  recipient?: string;
  recipients?: string[];
  raw?: string;
  rawBase64?: string;
}

/**
 * Email: inbound through our SMTP listener (EmailIntakeService) or a provider relay (this webhook),
 * outbound through the channel's own SMTP server.
 */
export class EmailConnector implements PlatformConnector {
  readonly name = 'email' as const;
  readonly platforms = [Platform.EMAIL];
  /** A relayed mail as large as the SMTP listener takes, in base64 (4/3) inside JSON, with room to spare. */
  readonly maxWebhookBytes = Math.ceil((MAX_MAIL_BYTES * 4) / 3) + 1024 * 1024;

  constructor(private readonly config: Pick<PlatformsConfig, 'email' | 'timeoutMs'>) {}

  isConfigured(): boolean {
    return !!this.config.email.webhookSecret;
  }

  /**
   * `X-Caredesk-Signature: sha256=<hex HMAC-SHA256(raw body, EMAIL_WEBHOOK_SECRET)>` — the scheme we
   * give relays (the same shape as GitHub's X-Hub-Signature-256), checked over the exact bytes.
   */
  verifyWebhook(req: WebhookRequest): WebhookVerdict {
    const secret = this.config.email.webhookSecret;
    if (!secret) return { kind: 'rejected', status: 401, reason: 'EMAIL_WEBHOOK_SECRET not configured' };
    const given = /^sha256=([0-9a-f]{64})$/i.exec(req.headers['x-caredesk-signature'] ?? '')?.[1];
    const expected = createHmac('sha256', secret).update(req.rawBody).digest();
    if (!given || !timingSafeEqual(Buffer.from(given, 'hex'), expected)) {
      return { kind: 'rejected', status: 401, reason: 'bad or missing signature' };
    }
    let body: EmailRelayBody;
    try {
      body = JSON.parse(req.rawBody.toString('utf8')) as EmailRelayBody;
    } catch {
      return { kind: 'accepted', deliveries: [] };
    }
    const raw = body.rawBase64 ? Buffer.from(body.rawBase64, 'base64') : Buffer.from(body.raw ?? '', 'utf8');
    const recipients = [...(body.recipients ?? []), ...(body.recipient ? [body.recipient] : [])].filter(
      (r): r is string => typeof r === 'string',
    );
    if (raw.length === 0 || recipients.length === 0) return { kind: 'accepted', deliveries: [] };
    return { kind: 'accepted', deliveries: emailDeliveries(raw, recipients) };
  }

  normalize(delivery: {
    platform: Platform;
    externalAccountId: string;
    payload: unknown;
  }): NormalizedEvent[] {
    return normalizeEmail(delivery.externalAccountId, delivery.payload as EmailPayload);
  }

  send(request: OutboundRequest): Promise<SendResult> {
    if (request.action !== 'REPLY' && request.action !== 'EMAIL') {
      return Promise.reject(new ConnectorError('UNSUPPORTED', `Email cannot ${request.action}`));
    }
    return sendEmail(request, this.config.timeoutMs);
  }
}

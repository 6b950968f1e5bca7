import { Process, Processor } from '@nestjs/bull';
import { Inject, Logger } from '@nestjs/common';
import type { Job } from 'bull';
import { APP_CONFIG, AppConfig, AppError, ErrorCode, QUEUES, RequestContext } from '@caredesk/core';
import { ChannelCredentials } from '../channel-credentials';
import { ChannelCredentialsService } from '../channel-credentials.service';
import { CredentialsUnreadableError } from '../channel.error';
import { ConnectorError, OutboundRequest, SendResult } from '../connectors/connector';
import { ConnectorRegistry } from '../connectors/connector.registry';
import { ChannelTokenRefresher } from '../tokens/channel-token-refresher';
import { OutboundAction } from './outbound-message.entity';
import { OutboxService, sendBackoffMs, SendJob } from './outbox.service';
import { SendClaim, SendRecorder } from './send.recorder';

/** Actions that create something on the platform: a lost answer may mean it exists already. */
const CREATES: ReadonlySet<OutboundAction> = new Set(['REPLY', 'PRIVATE_REPLY', 'DIRECT_MESSAGE', 'EMAIL']);

/**
 * The `send` worker (DESIGN.md, "Flow of a message"): outbound_messages → platform APIs.
 *
 * A reply is never sent twice on purpose: a rerun after SENT does nothing (claim), and a retry after
 * an attempt whose answer never came first asks the connector to `reconcile` (find what the earlier
 * call created under the same idempotency key) before calling `send` again. Connectors without
 * `reconcile` are retried blindly; their residual duplicate risk is documented in each connector.
 */
@Processor(QUEUES.SEND)
export class SendProcessor {
  private readonly logger = new Logger(SendProcessor.name);

  constructor(
    private readonly recorder: SendRecorder,
    private readonly outbox: OutboxService,
    private readonly connectors: ConnectorRegistry,
    private readonly credentials: ChannelCredentialsService,
    private readonly tokens: ChannelTokenRefresher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Process()
  async handle(job: Job<SendJob>): Promise<void> {
    const { agencyId, outboundId } = job.data;
    const claim = await this.recorder.claim(agencyId, outboundId);
    if (!claim) return;

    let credentials: ChannelCredentials;
    try {
      const ctx = RequestContext.system(agencyId, 'send an outbound message');
      credentials = await this.credentials.open(ctx, claim.channel.id);
    } catch (e) {
      // Disconnected between claim and here (its secrets are wiped: NOT_FOUND), or sealed secrets
      // that do not open (CredentialsUnreadableError: a foreign ciphertext, a retired key): nothing
      // can send this, so the reply fails with a code the agent sees instead of staying QUEUED.
      const unavailable =
        e instanceof CredentialsUnreadableError || (e instanceof AppError && e.code === ErrorCode.NOT_FOUND);
      if (!unavailable) throw e; // e.g. the database: bull runs the job again
      this.logger.warn(`outbound ${outboundId}: channel credentials unavailable: ${String(e)}`);
      const why =
        e instanceof CredentialsUnreadableError
          ? "The channel's credentials cannot be opened; reconnect the channel"
          : 'The channel was disconnected';
      await this.recorder.failed(agencyId, outboundId, 'CHANNEL_UNAVAILABLE', why);
      return;
    }

    try {
      // Expiring tokens are refreshed first, a refused one once (ChannelTokenRefresher).
      const result = await this.tokens.withFreshToken(agencyId, claim.channel, credentials, (creds) =>
        this.call(claim, this.request(claim, creds)),
      );
      if (!result) {
        // The channel stopped being ACTIVE while a token refresh waited for it.
        await this.recorder.channelNotActive(agencyId, outboundId);
        return;
      }
      await this.recorder.sent(agencyId, outboundId, result.externalId);
    } catch (e) {
      await this.onError(job, claim, e);
    }
  }

  private request(claim: SendClaim, credentials: ChannelCredentials): OutboundRequest {
    return {
      action: claim.row.action,
      externalAccountId: claim.channel.externalAccountId,
      platform: claim.channel.platform,
      credentials: credentials as unknown as Record<string, unknown>,
      body: claim.row.payload.body,
      target: claim.row.payload.target,
      idempotencyKey: claim.row.id,
    };
  }

  private async call(claim: SendClaim, request: OutboundRequest): Promise<SendResult> {
    const connector = this.connectors.forPlatform(claim.channel.platform);
    if (claim.previousAttempts > 0 && connector.reconcile && CREATES.has(claim.row.action)) {
      const found = await connector.reconcile(request);
      if (found) return found;
    }
    return connector.send(request);
  }

  private async onError(job: Job<SendJob>, claim: SendClaim, e: unknown): Promise<void> {
    const { agencyId, outboundId } = job.data;
    const error =
      e instanceof ConnectorError
        ? e
        : new ConnectorError('TRANSIENT', e instanceof Error ? e.message : String(e));
    const exhausted = claim.row.attempts >= this.config.pipeline.sendMaxAttempts;
    switch (error.code) {
      case 'AUTH_EXPIRED':
        return this.recorder.authExpired(agencyId, claim.channel.id, outboundId, error.message);
      case 'REJECTED':
        return this.recorder.failed(agencyId, outboundId, 'PLATFORM_REJECTED', error.message);
      case 'UNSUPPORTED':
        return this.recorder.failed(agencyId, outboundId, 'UNSUPPORTED', error.message);
      case 'WINDOW_CLOSED':
        return this.recorder.failed(agencyId, outboundId, 'MESSAGING_WINDOW_CLOSED', error.message);
      case 'RATE_LIMITED': {
        if (exhausted) return this.recorder.failed(agencyId, outboundId, 'RETRIES_EXHAUSTED', error.message);
        // Retry-After is a floor, not a hint: a fresh delayed job (this one completes), and the
        // sweeper skips the row until next_attempt_at.
        const delayMs = Math.max(1, error.retryAfterSeconds ?? 60) * 1000;
        await this.recorder.requeue(agencyId, outboundId, new Date(Date.now() + delayMs), error.message);
        await this.outbox.addJob(agencyId, outboundId, delayMs, claim.row.attempts);
        return;
      }
      case 'TRANSIENT':
      default: {
        if (exhausted) return this.recorder.failed(agencyId, outboundId, 'RETRIES_EXHAUSTED', error.message);
        // bull counts this failure before computing the delay: attemptsMade + 1 failed attempts.
        const backoffMs = sendBackoffMs(job.attemptsMade + 1);
        await this.recorder.requeue(agencyId, outboundId, new Date(Date.now() + backoffMs), error.message);
        // Thrown: bull retries this job with exponential backoff (attempts = SEND_MAX_ATTEMPTS).
        throw error;
      }
    }
  }
}

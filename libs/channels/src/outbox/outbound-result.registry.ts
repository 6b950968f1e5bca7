import { Injectable } from '@nestjs/common';
import { TenantTx } from '@caredesk/core';
import { OutboundMessage } from './outbound-message.entity';

/** The coded reasons a send ends FAILED; clients see them as Message.failureCode. */
export type OutboundFailureCode =
  | 'PLATFORM_REJECTED'
  | 'UNSUPPORTED'
  | 'RETRIES_EXHAUSTED'
  | 'CHANNEL_UNAVAILABLE'
  /** The customer's messaging window closed (Meta DMs: last message older than 7 days). */
  | 'MESSAGING_WINDOW_CLOSED';

export type OutboundResult =
  | { status: 'SENT'; externalId: string | null; sentAt: Date }
  | { status: 'FAILED'; failureCode: OutboundFailureCode; failureMessage: string };

/**
 * Told, inside the transaction that records a send's outcome, what became of an outbound row.
 * Channels must not import inbox (STYLE.md: a library never reaches into another's tables), so inbox
 * registers a handler that moves messages.status — the same registry pattern as OnboardingRegistry.
 */
export interface OutboundResultHandler {
  key: string;
  handle(tx: TenantTx, outbound: OutboundMessage, result: OutboundResult): Promise<void>;
}

@Injectable()
export class OutboundResultRegistry {
  private readonly handlers = new Map<string, OutboundResultHandler>();

  register(handler: OutboundResultHandler): void {
    if (this.handlers.has(handler.key))
      throw new Error(`Outbound result handler ${handler.key} registered twice`);
    this.handlers.set(handler.key, handler);
  }

  async report(tx: TenantTx, outbound: OutboundMessage, result: OutboundResult): Promise<void> {
    for (const h of this.handlers.values()) await h.handle(tx, outbound, result);
  }
}

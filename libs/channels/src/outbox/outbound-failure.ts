import { In } from 'typeorm';
import { TenantTx } from '@caredesk/core';
import { OutboundMessage } from './outbound-message.entity';
import { OutboundFailureCode, OutboundResultRegistry } from './outbound-result.registry';

/** The failure message of a send whose channel an admin disconnected (its secrets are wiped). */
export const CHANNEL_DISCONNECTED = 'The channel was disconnected';

/**
 * Ends outbound rows FAILED with a coded reason and tells the result handlers (inbox moves each
 * reply's message to FAILED) in the caller's transaction, so the row and its message never disagree.
 */
export async function failOutbound(
  tx: TenantTx,
  results: OutboundResultRegistry,
  ids: string[],
  code: OutboundFailureCode,
  message: string,
): Promise<void> {
  if (ids.length === 0) return;
  const failureMessage = message.slice(0, 1000);
  await tx
    .repo(OutboundMessage)
    .update({ id: In(ids) }, { status: 'FAILED', failureCode: code, failureMessage });
  const rows = await tx.repo(OutboundMessage).find({ where: { id: In(ids) }, order: { createdAt: 'ASC' } });
  for (const row of rows) {
    await results.report(tx, row, { status: 'FAILED', failureCode: code, failureMessage });
  }
}

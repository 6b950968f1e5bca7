import { Injectable, Logger } from '@nestjs/common';
import type { Attachment } from '@caredesk/channels';
import { AttachmentContentStore, AttachmentFetcher, TransientFetchError } from '@caredesk/channels';
import { TenantDb } from '@caredesk/core';

/** Attachments the worker copies: files with a platform URL on a copy host, not yet kept. */
export function copyWanted(fetcher: AttachmentFetcher, a: Attachment): boolean {
  return a.type !== 'LINK' && !a.contentId && !a.notCopied && fetcher.copyable(a.url);
}

/**
 * Keeps a copy of a message's platform attachments (Meta's CDN URLs expire after days, and the inbox
 * must still open a month-old photo): downloads each (outside any transaction), stores the bytes in
 * attachment_contents under the message's brand, then records their content ids on the message —
 * compare-and-set on the attachments as read, so nothing written meanwhile is overwritten. The
 * inbox then links the copy (MessageAttachment.url) instead of the platform's URL.
 *
 * A file that is gone, too large or redirected off the copy hosts keeps its platform URL and is marked
 * `notCopied` with the reason, so it is not tried again; a transient failure (5xx, 429, timeout)
 * throws once the rest are recorded, and the job's retry tries only what is still missing — on the
 * job's last attempt it is marked `notCopied` too ("gave up: …"). The message's attachments_to_copy
 * flag (what the sweeper looks for) is cleared in the same update once nothing is left to try.
 */
@Injectable()
export class AttachmentCopyService {
  private readonly logger = new Logger(AttachmentCopyService.name);

  constructor(
    private readonly db: TenantDb,
    private readonly fetcher: AttachmentFetcher,
    private readonly store: AttachmentContentStore,
  ) {}

  async copy(agencyId: string, messageId: string, lastAttempt = false): Promise<void> {
    const [message] = await this.db.run(agencyId, (tx) =>
      tx.query<{ brand_id: string; attachments: Attachment[]; attachments_to_copy: boolean }>(
        `SELECT brand_id, attachments, attachments_to_copy FROM messages WHERE agency_id = $1 AND id = $2`,
        [agencyId, messageId],
      ),
    );
    if (!message) return;
    const outcomes = new Map<number, Partial<Attachment>>();
    let transient: TransientFetchError | null = null;
    for (const [i, a] of message.attachments.entries()) {
      if (!copyWanted(this.fetcher, a)) continue;
      try {
        const outcome = await this.fetcher.fetch(a.url!, a.mimeType);
        if (outcome.kind === 'skipped') {
          this.logger.log(`attachment ${i} of message ${messageId} not copied: ${outcome.reason}`);
          outcomes.set(i, { notCopied: outcome.reason.slice(0, 200) });
          continue;
        }
        await this.store.keepOne(agencyId, message.brand_id, outcome.content);
        const { sha256, mimeType, bytes } = outcome.content;
        outcomes.set(i, {
          contentId: sha256,
          size: a.size ?? bytes.length,
          mimeType: a.mimeType ?? mimeType,
        });
      } catch (e) {
        if (!(e instanceof TransientFetchError)) throw e;
        if (lastAttempt) {
          this.logger.warn(`attachment ${i} of message ${messageId} not copied, giving up: ${e.message}`);
          outcomes.set(i, { notCopied: `gave up: ${e.message}`.slice(0, 200) });
        } else transient = e;
      }
    }
    const after = message.attachments.map((a, i) => ({ ...a, ...outcomes.get(i) }));
    const toCopy = after.some((a) => copyWanted(this.fetcher, a));
    if (outcomes.size > 0 || message.attachments_to_copy !== toCopy) {
      await this.record(agencyId, messageId, message.attachments, after, toCopy);
    }
    if (transient) throw transient;
  }

  private async record(
    agencyId: string,
    messageId: string,
    before: Attachment[],
    after: Attachment[],
    toCopy: boolean,
  ): Promise<void> {
    const changed = await this.db.run(agencyId, (tx) =>
      tx.execute(
        `UPDATE messages SET attachments = $3::jsonb, attachments_to_copy = $5, updated_at = now()
          WHERE agency_id = $1 AND id = $2 AND attachments = $4::jsonb`,
        [agencyId, messageId, JSON.stringify(after), JSON.stringify(before), toCopy],
      ),
    );
    // Changed meanwhile: the retry reads it again (the bytes are stored; storing them again is a no-op).
    if (changed === 0)
      throw new TransientFetchError(`message ${messageId} changed while its attachments were copied`);
  }
}

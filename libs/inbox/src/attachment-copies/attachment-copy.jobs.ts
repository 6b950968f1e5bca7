import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bull';
import { QUEUES } from '@caredesk/core';

export interface AttachmentCopyJob {
  agencyId: string;
  messageId: string;
}

/**
 * Puts messages whose platform attachments should be copied on the attachments queue. One job per
 * message (the job id, so a redelivery adds nothing while one waits). Retried with backoff (5 s, 10 s,
 * 20 s, 40 s): CDNs fail for a moment far more often than for good. A lost job (a flushed Redis) costs
 * only the copy: the message and its platform URL are committed.
 */
@Injectable()
export class AttachmentCopyJobs {
  static readonly ATTEMPTS = 5;
  private readonly logger = new Logger(AttachmentCopyJobs.name);

  constructor(@InjectQueue(QUEUES.ATTACHMENTS) private readonly queue: Queue<AttachmentCopyJob>) {}

  async enqueue(agencyId: string, messageIds: string[]): Promise<void> {
    if (messageIds.length === 0) return;
    try {
      await this.queue.addBulk(
        messageIds.map((messageId) => ({
          data: { agencyId, messageId },
          opts: {
            jobId: `copy:${agencyId}:${messageId}`,
            attempts: AttachmentCopyJobs.ATTEMPTS,
            backoff: { type: 'exponential', delay: 5000 },
            removeOnComplete: true,
            removeOnFail: 1000,
          },
        })),
      );
    } catch (e) {
      this.logger.warn(`attachment copies of ${messageIds.length} message(s) not queued: ${String(e)}`);
    }
  }
}

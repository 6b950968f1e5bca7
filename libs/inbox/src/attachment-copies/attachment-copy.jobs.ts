import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bull';
import { QUEUES, RequeuedJob, requeueJobs } from '@caredesk/core';

export interface AttachmentCopyJob {
  agencyId: string;
  messageId: string;
}

/**
 * Puts messages whose platform attachments should be copied on the attachments queue. One job per
 * message (the job id, so a redelivery or a sweep adds nothing while one waits). Retried with backoff
 * (5 s, 10 s, 20 s, 40 s): CDNs fail for a moment far more often than for good. A lost job (a flushed
 * Redis, a failed add) is found again by the sweeper through the message's attachments_to_copy flag.
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
        messageIds.map((messageId) => AttachmentCopyJobs.job({ agencyId, messageId })),
      );
    } catch (e) {
      this.logger.warn(
        `attachment copies of ${messageIds.length} message(s) not queued (the sweeper will): ${String(e)}`,
      );
    }
  }

  /** Copies the sweeper found unfinished; see requeueJobs. Returns how many jobs were added. */
  requeue(jobs: AttachmentCopyJob[]): Promise<number> {
    return requeueJobs(this.queue, jobs.map(AttachmentCopyJobs.job), (id, e) =>
      this.logger.warn(`could not re-enqueue attachment copy ${id}: ${String(e)}`),
    );
  }

  private static job(data: AttachmentCopyJob): RequeuedJob<AttachmentCopyJob> {
    return {
      data,
      opts: {
        jobId: `copy:${data.agencyId}:${data.messageId}`,
        attempts: AttachmentCopyJobs.ATTEMPTS,
        backoff: { type: 'exponential', delay: 5000 },
        removeOnComplete: true,
        removeOnFail: 1000,
      },
    };
  }
}

import { Process, Processor } from '@nestjs/bull';
import type { Job } from 'bull';
import { QUEUES } from '@caredesk/core';
import { AttachmentCopyJob } from './attachment-copy.jobs';
import { AttachmentCopyService } from './attachment-copy.service';

/** The worker side of the attachments queue; a thrown error makes bull retry with the job's backoff. */
@Processor(QUEUES.ATTACHMENTS)
export class AttachmentCopyProcessor {
  constructor(private readonly copies: AttachmentCopyService) {}

  @Process({ concurrency: 4 })
  async handle(job: Job<AttachmentCopyJob>): Promise<void> {
    // attemptsMade counts the attempts that failed before this one.
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    await this.copies.copy(job.data.agencyId, job.data.messageId, lastAttempt);
  }
}

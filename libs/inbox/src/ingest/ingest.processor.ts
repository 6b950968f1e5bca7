import { Process, Processor } from '@nestjs/bull';
import type { Job } from 'bull';
import { QUEUES } from '@caredesk/core';
import type { IngestJob } from '@caredesk/channels';
import { IngestService } from './ingest.service';

/**
 * The worker side of the ingest queue. Jobs carry ids only; IngestService rebuilds a system context.
 * '*' takes the job whatever name the producer gave it (the webhook writer and the sweeper).
 * A thrown error fails the job, and bull retries it with the backoff the producer set.
 */
@Processor(QUEUES.INGEST)
export class IngestProcessor {
  constructor(private readonly ingest: IngestService) {}

  @Process({ name: '*', concurrency: 4 })
  async handle(job: Job<IngestJob>): Promise<string> {
    return this.ingest.process(job.data.agencyId, job.data.eventId);
  }
}

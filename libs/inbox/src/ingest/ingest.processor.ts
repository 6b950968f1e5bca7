import { Process, Processor } from '@nestjs/bull';
import type { Job } from 'bull';
import { QUEUES } from '@caredesk/core';
import { IngestJob, IngestJobs } from '@caredesk/channels';
import { IngestBatcher } from './ingest-batcher';

/**
 * The worker side of the ingest queue. Jobs carry ids only; IngestService rebuilds a system context.
 * A job names one event (sweeper, admin retry) or a batch of one agency's events (the webhook writer's
 * commit group); IngestBatcher gathers the events of concurrent jobs of an agency into one transaction.
 * Concurrency 16: a job mostly waits (for company in the batcher, then for PostgreSQL).
 * '*' takes the job whatever name the producer gave it (the webhook writer and the sweeper).
 * A thrown error fails the job, and bull retries it with the backoff the producer set.
 */
@Processor(QUEUES.INGEST)
export class IngestProcessor {
  constructor(
    private readonly batcher: IngestBatcher,
    private readonly jobs: IngestJobs,
  ) {}

  @Process({ name: '*', concurrency: 16 })
  async handle(job: Job<IngestJob>): Promise<void> {
    const { agencyId, eventId, eventIds } = job.data;
    // Before any event is read: a commit from now on wakes the agency again (IngestJobs.enqueueNew).
    await this.jobs.clearWake(agencyId);
    await this.batcher.add(agencyId, eventIds ?? [eventId]);
  }
}

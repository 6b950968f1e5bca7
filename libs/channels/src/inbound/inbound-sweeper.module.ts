import { Module } from '@nestjs/common';
import { InboundEventPruner } from './inbound-event-pruner';
import { InboundSweeper } from './inbound-sweeper';
import { IngestJobs } from './ingest-jobs';

/** The worker's half of the intake pipeline: the sweeper and retention. The API has no timers. */
@Module({
  providers: [InboundSweeper, InboundEventPruner, IngestJobs],
  exports: [InboundSweeper, InboundEventPruner],
})
export class InboundSweeperModule {}

import { Module } from '@nestjs/common';
import { InboundSweeper } from './inbound-sweeper';
import { IngestJobs } from './ingest-jobs';

/** The worker's half of the intake pipeline: the sweeper. The API has no timers. */
@Module({ providers: [InboundSweeper, IngestJobs], exports: [InboundSweeper] })
export class InboundSweeperModule {}

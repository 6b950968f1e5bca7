import { Module } from '@nestjs/common';
import { BrandsModule } from '@caredesk/brands';
import { FailedInboundEventsResolver } from './failed-inbound-events.resolver';
import { FailedInboundEventsService } from './failed-inbound-events.service';
import { InboundEventWriter } from './inbound-event.writer';
import { IngestJobs } from './ingest-jobs';

/** The API's half of the intake pipeline: storing deliveries, and the admin view of failed ones. */
@Module({
  imports: [BrandsModule],
  providers: [InboundEventWriter, IngestJobs, FailedInboundEventsService, FailedInboundEventsResolver],
  exports: [InboundEventWriter, IngestJobs],
})
export class InboundModule {}

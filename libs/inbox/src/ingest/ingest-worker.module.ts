import { Module } from '@nestjs/common';
import { AnalysisModule } from '@caredesk/analysis';
import { AuditModule } from '@caredesk/audit';
import { BrandsModule } from '@caredesk/brands';
import { ChannelsModule, IngestJobs, IntakePressure } from '@caredesk/channels';
import { InboxModule } from '../inbox.module';
import { LiveModule } from '../live/live.module';
import { MessageChangeService } from '../threading/message-changes.service';
import { PendingChangeExpiry } from '../threading/pending-change-expiry';
import { IngestBatcher } from './ingest-batcher';
import { IngestPacer } from './ingest-pacer';
import { IngestProcessor } from './ingest.processor';
import { IngestService } from './ingest.service';

/**
 * The ingest processor and the expiry of its pending message changes. Worker only: importing it into the API would make the API consume jobs.
 * AuditModule is imported because ChannelsModule's services need the (global) AuditService.
 */
@Module({
  imports: [InboxModule, LiveModule, ChannelsModule, BrandsModule, AuditModule, AnalysisModule],
  providers: [
    IngestService,
    IngestBatcher,
    IngestProcessor,
    MessageChangeService,
    IngestJobs,
    IntakePressure,
    IngestPacer,
    PendingChangeExpiry,
  ],
  exports: [IngestService],
})
export class IngestWorkerModule {}

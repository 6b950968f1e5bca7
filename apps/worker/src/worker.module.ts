import { Module } from '@nestjs/common';
import {
  AllConnectorsModule,
  AttachmentCollectionModule,
  ConnectorsModule,
  InboundSweeperModule,
  SendWorkerModule,
} from '@caredesk/channels';
import { CoreModule, LoggingModule, MailWorkerModule, MetricsServer } from '@caredesk/core';
import {
  AttachmentCopyWorkerModule,
  InboxModule,
  IngestWorkerModule,
  SnoozeWakerModule,
} from '@caredesk/inbox';

/**
 * The worker: bull processors for every queue, and its own /metrics (MetricsServer). Built from the
 * same libraries as the API.
 */
@Module({
  imports: [
    CoreModule,
    LoggingModule,
    MailWorkerModule,
    ConnectorsModule,
    AllConnectorsModule,
    InboxModule,
    IngestWorkerModule,
    InboundSweeperModule,
    SendWorkerModule,
    SnoozeWakerModule,
    AttachmentCopyWorkerModule,
    AttachmentCollectionModule,
  ],
  providers: [MetricsServer],
})
export class WorkerModule {}

import { Module } from '@nestjs/common';
import {
  AllConnectorsModule,
  ConnectorsModule,
  InboundSweeperModule,
  SendWorkerModule,
} from '@caredesk/channels';
import { CoreModule, LoggingModule, MailWorkerModule } from '@caredesk/core';
import { InboxModule, IngestWorkerModule, SnoozeWakerModule } from '@caredesk/inbox';

/** The worker: bull processors for every queue. Built from the same libraries as the API. */
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
  ],
})
export class WorkerModule {}

import { Module } from '@nestjs/common';
import { ConnectorsModule } from '@caredesk/channels';
import { CoreModule, LoggingModule, MailWorkerModule } from '@caredesk/core';
import { InboxModule } from '@caredesk/inbox';

/** The worker: bull processors for every queue. Built from the same libraries as the API. */
@Module({ imports: [CoreModule, LoggingModule, MailWorkerModule, ConnectorsModule, InboxModule] })
export class WorkerModule {}

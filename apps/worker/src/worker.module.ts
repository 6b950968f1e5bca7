import { Module } from '@nestjs/common';
import { CoreModule, LoggingModule, MailWorkerModule } from '@caredesk/core';

/** The worker: bull processors for every queue. Built from the same libraries as the API. */
@Module({ imports: [CoreModule, LoggingModule, MailWorkerModule] })
export class WorkerModule {}

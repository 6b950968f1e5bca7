import { Module } from '@nestjs/common';
import { CoreModule, MailWorkerModule } from '@caredesk/core';

/** The worker: bull processors for every queue. Built from the same libraries as the API. */
@Module({ imports: [CoreModule, MailWorkerModule] })
export class WorkerModule {}

import { Module } from '@nestjs/common';
import { QueueModule } from '../queue/queue.module';
import { MailProcessor } from './mail.processor';
import { MailService } from './mail.service';

/** For the API: enqueue mail. It never sends itself, so a slow SMTP server never slows a request. */
@Module({
  imports: [QueueModule],
  providers: [MailService],
  exports: [MailService],
})
export class MailModule {}

/** For the worker: consume the mail queue and send over SMTP. */
@Module({
  imports: [QueueModule],
  providers: [MailProcessor],
})
export class MailWorkerModule {}

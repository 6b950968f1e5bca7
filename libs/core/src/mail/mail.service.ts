import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bull';
import { QUEUES } from '../queue/queue.constants';
import { MAIL_JOB, MailMessage } from './mail-message';

/**
 * The producer side of the mail queue, used by the API. Call it after the transaction that made the
 * mail true has committed (`tx.afterCommit`), so nobody is mailed about a change that rolled back.
 */
@Injectable()
export class MailService {
  constructor(@InjectQueue(QUEUES.MAIL) private readonly queue: Queue<MailMessage>) {}

  async enqueue(message: MailMessage): Promise<void> {
    await this.queue.add(MAIL_JOB, message, {
      // An SMTP server that is briefly away gets ~1 minute of retries: 1s, 2s, 4s, 8s, 16s, 32s.
      attempts: 7,
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: true,
      // Failed jobs stay (the last 1000) for inspection; they hold no secrets beyond the link itself.
      removeOnFail: 1000,
    });
  }
}

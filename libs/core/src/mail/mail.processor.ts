import { OnQueueFailed, Process, Processor } from '@nestjs/bull';
import { Inject, Logger, OnApplicationShutdown } from '@nestjs/common';
import type { Job } from 'bull';
import { createTransport, Transporter } from 'nodemailer';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { QUEUES } from '../queue/queue.constants';
import { MAIL_JOB, MailMessage } from './mail-message';

/** The worker side of the mail queue: sends each rendered message over SMTP (SMTP_URL). */
@Processor(QUEUES.MAIL)
export class MailProcessor implements OnApplicationShutdown {
  private readonly log = new Logger(MailProcessor.name);
  private readonly transport: Transporter;
  private readonly from: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.transport = createTransport(config.mail.smtpUrl);
    this.from = config.mail.from;
  }

  @Process(MAIL_JOB)
  async send(job: Job<MailMessage>): Promise<void> {
    const { to, subject, text, html } = job.data;
    await this.transport.sendMail({ from: this.from, to, subject, text, html });
  }

  @OnQueueFailed()
  onFailed(job: Job<MailMessage>, error: Error): void {
    // The recipient is personal data and the body holds a live link: log neither.
    this.log.warn(
      `mail job ${job.id} failed (attempt ${job.attemptsMade}/${job.opts.attempts}): ${error.message}`,
    );
  }

  onApplicationShutdown(): void {
    this.transport.close();
  }
}

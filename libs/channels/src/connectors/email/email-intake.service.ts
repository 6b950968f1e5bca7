import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AddressInfo } from 'node:net';
import { SMTPServer, SMTPServerDataStream, SMTPServerSession } from 'smtp-server';
import { APP_CONFIG, AppConfig } from '@caredesk/core';
import { ChannelRouteService } from '../../channel-route.service';
import { InboundEventWriter } from '../../inbound/inbound-event.writer';
import { Platform } from '../../platform';
import { emailDeliveries, MAX_MAIL_BYTES } from './email-delivery';

const smtpReply = (code: number, message: string) =>
  Object.assign(new Error(message), { responseCode: code });

/**
 * The inbound mail intake: an SMTP server (the `smtp-server` package) on INBOUND_SMTP_HOST/PORT, run
 * by the API process because it is an intake like a webhook. It accepts mail only for connected
 * EMAIL channels (RCPT TO → channel_routes; anything else 550, so we are no open relay), and answers
 * 250 only once the mail is committed to inbound_events (else 451: the sending server keeps the mail
 * and retries, RFC 5321 §4.2.5) — the same promise the webhooks make.
 */
@Injectable()
export class EmailIntakeService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(EmailIntakeService.name);
  private server: SMTPServer | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly routes: ChannelRouteService,
    private readonly writer: InboundEventWriter,
  ) {}

  /** The bound port (useful when INBOUND_SMTP_PORT is taken by the OS); null when not listening. */
  port: number | null = null;

  async onApplicationBootstrap(): Promise<void> {
    const { smtpHost, smtpPort, smtpTls } = this.config.platforms.email;
    if (!smtpPort) return;
    this.server = new SMTPServer({
      name: 'caredesk-inbound',
      banner: 'Caredesk inbound mail',
      size: MAX_MAIL_BYTES,
      // An MX takes mail from anyone (no AUTH). STARTTLS only with our own certificate
      // (INBOUND_SMTP_TLS_CERT/KEY): smtp-server's default is a self-signed test certificate, which
      // would be encryption in name only. Offered, never required: a public MX must take plain mail
      // too (RFC 3207 §4).
      authOptional: true,
      ...(smtpTls
        ? { key: smtpTls.key, cert: smtpTls.cert, disabledCommands: ['AUTH'] }
        : { disabledCommands: ['AUTH', 'STARTTLS'] }),
      logger: false,
      onRcptTo: (address, _session, callback) => {
        this.routes
          .resolve(Platform.EMAIL, address.address)
          .then((route) => callback(route ? undefined : smtpReply(550, '5.1.1 No such mailbox here')))
          .catch((e: unknown) => {
            this.logger.warn(`RCPT lookup failed: ${String(e)}`);
            callback(smtpReply(451, '4.3.0 Temporary failure, try again later'));
          });
      },
      onData: (stream, session, callback) => this.receive(stream, session, callback),
    });
    this.server.on('error', (e) => this.logger.error(`inbound SMTP: ${String(e)}`));
    await new Promise<void>((resolve, reject) => {
      this.server!.server.once('error', reject);
      this.server!.listen(smtpPort, smtpHost, () => resolve());
    });
    this.port = (this.server.server.address() as AddressInfo).port;
    this.logger.log(
      `inbound SMTP listening on ${smtpHost}:${this.port}${smtpTls ? ' (STARTTLS offered)' : ''}`,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private receive(
    stream: SMTPServerDataStream,
    session: SMTPServerSession,
    callback: (err?: Error | null) => void,
  ): void {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('error', (e) => callback(smtpReply(451, `4.3.0 ${e.message}`)));
    stream.on('end', () => {
      if (stream.sizeExceeded) return callback(smtpReply(552, '5.3.4 Message too big'));
      const recipients = session.envelope.rcptTo.map((r) => r.address);
      let deliveries;
      try {
        deliveries = emailDeliveries(Buffer.concat(chunks), recipients);
      } catch (e) {
        // The parser does not throw on bad MIME; this is a bug, and the sender should try again later.
        this.logger.error(`inbound mail could not be read: ${String(e)}`);
        return callback(smtpReply(451, '4.3.0 Temporary failure, try again later'));
      }
      this.writer
        .write(deliveries)
        .then(() => callback())
        .catch(() => callback(smtpReply(451, '4.3.0 Temporary failure, try again later')));
    });
  }
}

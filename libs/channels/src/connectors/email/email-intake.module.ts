import { Module } from '@nestjs/common';
import { ChannelsModule } from '../../channels.module';
import { InboundModule } from '../../inbound/inbound.module';
import { EmailIntakeService } from './email-intake.service';

/**
 * The inbound SMTP listener. API process only (like the webhooks): the worker must not bind the
 * same port. Listens only when INBOUND_SMTP_PORT > 0.
 */
@Module({
  imports: [ChannelsModule, InboundModule],
  providers: [EmailIntakeService],
  exports: [EmailIntakeService],
})
export class EmailIntakeModule {}

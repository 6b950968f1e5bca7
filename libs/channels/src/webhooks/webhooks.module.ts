import { Module } from '@nestjs/common';
import { InboundModule } from '../inbound/inbound.module';
import { WebhookController } from './webhook.controller';

/** Webhook endpoints (API only). Connectors come from the global ConnectorRegistry. */
@Module({ imports: [InboundModule], controllers: [WebhookController] })
export class WebhooksModule {}

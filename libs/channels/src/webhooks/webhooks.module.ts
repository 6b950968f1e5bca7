import { Module } from '@nestjs/common';
import { InboundModule } from '../inbound/inbound.module';
import { WebhookIntake } from './webhook-intake';

/**
 * Webhook intake (API only). Connectors come from the global ConnectorRegistry. The API mounts
 * WebhookIntake on its HTTP server (apps/api/src/bootstrap.ts); it is not a Nest controller.
 */
@Module({ imports: [InboundModule], providers: [WebhookIntake], exports: [WebhookIntake] })
export class WebhooksModule {}

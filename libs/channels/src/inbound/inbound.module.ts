import { Module, OnModuleInit } from '@nestjs/common';
import { BrandsModule } from '@caredesk/brands';
import { AttachmentsModule } from '../attachments/attachments.module';
import { ChannelsModule } from '../channels.module';
import { ChannelLifecycleHooks } from '../outbox/channel-lifecycle.hooks';
import { FailedInboundEventsResolver } from './failed-inbound-events.resolver';
import { FailedInboundEventsService } from './failed-inbound-events.service';
import { InboundEventWriter } from './inbound-event.writer';
import { IngestJobs } from './ingest-jobs';
import { IntakePressure } from './intake-pressure';

/**
 * The API's half of the intake pipeline: storing deliveries, the admin view of failed ones, and
 * resuming the events that waited for a channel's reconnect (a review or mention the platform would
 * not let us read with the old token).
 */
@Module({
  imports: [BrandsModule, ChannelsModule, AttachmentsModule],
  providers: [
    InboundEventWriter,
    IngestJobs,
    IntakePressure,
    FailedInboundEventsService,
    FailedInboundEventsResolver,
  ],
  exports: [InboundEventWriter, IngestJobs],
})
export class InboundModule implements OnModuleInit {
  constructor(
    private readonly hooks: ChannelLifecycleHooks,
    private readonly jobs: IngestJobs,
  ) {}

  onModuleInit(): void {
    this.hooks.onReconnect('inbound', async (_ctx, tx, channel) => {
      const rows = await tx.returning<{ id: string }>(
        `UPDATE inbound_events SET status = 'PENDING', attempts = 0, last_error = NULL
          WHERE agency_id = $1 AND channel_id = $2 AND status = 'WAITING_FOR_RECONNECT'
          RETURNING id`,
        [tx.agencyId, channel.id],
      );
      tx.afterCommit(() => this.jobs.enqueueNew(rows.map((r) => ({ agencyId: tx.agencyId, eventId: r.id }))));
    });
  }
}

import { Module } from '@nestjs/common';
import { BrandsModule } from '@caredesk/brands';
import { IdentityModule } from '@caredesk/identity';
import { ConversationEventsResolver } from './conversation-events.resolver';
import { LiveFeedService } from './live-feed.service';
import { LiveHub } from './live-hub';
import { LiveModule } from './live.module';
import { LiveSockets } from './live-sockets';
import { PresenceResolver } from './presence.resolver';
import { PresenceService } from './presence.service';
import { PresenceSweeper } from './presence.sweeper';

/**
 * Live updates in the API: graphql-ws connections (LiveSockets, used by the GraphQL server's
 * options), the Redis subscriber, subscriptions and presence. The worker imports only LiveModule.
 */
@Module({
  imports: [LiveModule, BrandsModule, IdentityModule],
  providers: [
    LiveHub,
    LiveSockets,
    LiveFeedService,
    PresenceService,
    PresenceSweeper,
    ConversationEventsResolver,
    PresenceResolver,
  ],
  exports: [LiveSockets, PresenceService],
})
export class LiveApiModule {}

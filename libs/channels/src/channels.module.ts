import { Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BrandsModule, OnboardingRegistry } from '@caredesk/brands';
import { MailModule } from '@caredesk/core';
import { Channel } from './channel.entity';
import { ChannelCredentialsService } from './channel-credentials.service';
import { ChannelBacklogLoader } from './channel-backlog.loader';
import { ChannelResolver } from './channel.resolver';
import { ChannelRouteService } from './channel-route.service';
import { ChannelService } from './channel.service';
import { ChannelTokenExpiry } from './channel-token-expiry';
import { ChannelLifecycleHooks } from './outbox/channel-lifecycle.hooks';
import { ChannelTokenRefresher } from './tokens/channel-token-refresher';

@Module({
  imports: [TypeOrmModule.forFeature([Channel]), BrandsModule, MailModule],
  providers: [
    ChannelService,
    ChannelResolver,
    ChannelBacklogLoader,
    ChannelCredentialsService,
    ChannelRouteService,
    ChannelLifecycleHooks,
    ChannelTokenExpiry,
    ChannelTokenRefresher,
  ],
  exports: [
    ChannelService,
    ChannelCredentialsService,
    ChannelRouteService,
    ChannelLifecycleHooks,
    ChannelTokenExpiry,
    ChannelTokenRefresher,
  ],
})
export class ChannelsModule implements OnModuleInit {
  constructor(
    private readonly onboarding: OnboardingRegistry,
    private readonly channels: ChannelService,
  ) {}

  onModuleInit(): void {
    this.onboarding.register({
      key: 'CHANNELS_CONNECTED',
      title: 'Connect a channel',
      order: 10,
      isDone: async (ctx, brandIds) => {
        const done = await this.channels.brandsWithActiveChannel(ctx, brandIds);
        return new Map(brandIds.map((id) => [id, done.has(id)]));
      },
    });
  }
}

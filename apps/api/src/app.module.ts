import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { APP_CONFIG, AppConfig, CoreModule, LoggingModule } from '@caredesk/core';
import { AuditModule } from '@caredesk/audit';
import { BrandsModule } from '@caredesk/brands';
import {
  AllConnectorsModule,
  AttachmentDownloadModule,
  ChannelsModule,
  ConnectorsModule,
  EmailIntakeModule,
  WebhooksModule,
} from '@caredesk/channels';
import { GqlAuthGuard, IdentityModule } from '@caredesk/identity';
import { KnowledgeModule } from '@caredesk/knowledge';
import { StyleGuidesModule } from '@caredesk/style-guides';
import { ConversationsModule, InboxModule, LiveApiModule, LiveSockets } from '@caredesk/inbox';
import { graphqlOptions } from './graphql/graphql-options';
import { HealthModule } from './health/health.module';
import { IdeModule } from './ide/ide.module';
import { MetricsModule } from './metrics/metrics.module';

@Module({
  imports: [
    CoreModule,
    LoggingModule,
    GraphQLModule.forRootAsync<ApolloDriverConfig>({
      driver: ApolloDriver,
      imports: [LiveApiModule],
      inject: [APP_CONFIG, LiveSockets],
      useFactory: (config: AppConfig, sockets: LiveSockets) => graphqlOptions(config, sockets),
    }),
    HealthModule,
    IdeModule,
    AuditModule,
    IdentityModule,
    BrandsModule,
    ChannelsModule,
    ConnectorsModule,
    AllConnectorsModule,
    WebhooksModule,
    EmailIntakeModule,
    AttachmentDownloadModule,
    MetricsModule,
    InboxModule,
    ConversationsModule,
    LiveApiModule,
    KnowledgeModule,
    StyleGuidesModule,
  ],
  providers: [{ provide: APP_GUARD, useExisting: GqlAuthGuard }],
})
export class AppModule {}

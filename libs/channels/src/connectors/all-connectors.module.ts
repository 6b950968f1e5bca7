import { Module } from '@nestjs/common';
import { MetaConnectorModule } from './meta/meta-connector.module';
import { XConnectorModule } from './x/x-connector.module';
import { LinkedInConnectorModule } from './linkedin/linkedin-connector.module';
import { GoogleConnectorModule } from './google/google-connector.module';
import { TikTokConnectorModule } from './tiktok/tiktok-connector.module';
import { EmailConnectorModule } from './email/email-connector.module';

/**
 * Every platform connector module. The API (webhooks) and the worker (normalize, send) import this
 * one module, so adding a platform is one line here. Additive edits only: engineers add their line.
 */
@Module({
  imports: [
    MetaConnectorModule,
    XConnectorModule,
    LinkedInConnectorModule,
    GoogleConnectorModule,
    TikTokConnectorModule,
    EmailConnectorModule,
  ],
})
export class AllConnectorsModule {}

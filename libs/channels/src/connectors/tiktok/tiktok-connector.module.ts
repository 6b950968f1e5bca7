import { Inject, Module, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@caredesk/core';
import { ConnectorRegistry } from '../connector.registry';
import { TikTokConnector } from './tiktok.connector';

/** Registers the TikTok connector (API: webhooks; worker: normalize and send). */
@Module({})
export class TikTokConnectorModule implements OnModuleInit {
  constructor(
    private readonly registry: ConnectorRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.registry.register(new TikTokConnector(this.config.platforms));
  }
}

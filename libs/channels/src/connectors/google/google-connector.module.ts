import { Inject, Module, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@caredesk/core';
import { ConnectorRegistry } from '../connector.registry';
import { GoogleConnector } from './google.connector';

/** Registers the Google Business Profile connector (API: webhooks; worker: normalize and send). */
@Module({})
export class GoogleConnectorModule implements OnModuleInit {
  constructor(
    private readonly registry: ConnectorRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.registry.register(new GoogleConnector(this.config.platforms));
  }
}

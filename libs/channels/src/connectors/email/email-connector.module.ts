import { Inject, Module, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@caredesk/core';
import { ConnectorRegistry } from '../connector.registry';
import { EmailConnector } from './email.connector';

/** Registers the email connector (API: relay webhook; worker: normalize and send). */
@Module({})
export class EmailConnectorModule implements OnModuleInit {
  constructor(
    private readonly registry: ConnectorRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.registry.register(new EmailConnector(this.config.platforms));
  }
}

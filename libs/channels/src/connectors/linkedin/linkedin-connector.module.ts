import { Module, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@caredesk/core';
import { ConnectorRegistry } from '../connector.registry';
import { LinkedInConnector } from './linkedin.connector';

/** Registers the LinkedIn connector with the process's ConnectorRegistry. */
@Module({
  providers: [
    {
      provide: LinkedInConnector,
      inject: [APP_CONFIG],
      useFactory: (c: AppConfig) => new LinkedInConnector(c.platforms),
    },
  ],
  exports: [LinkedInConnector],
})
export class LinkedInConnectorModule implements OnModuleInit {
  constructor(
    private readonly registry: ConnectorRegistry,
    private readonly connector: LinkedInConnector,
  ) {}

  onModuleInit(): void {
    this.registry.register(this.connector);
  }
}

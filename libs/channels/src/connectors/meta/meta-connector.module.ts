import { Module, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@caredesk/core';
import { ConnectorRegistry } from '../connector.registry';
import { MetaConnector } from './meta.connector';

/** Registers the Meta connector (Facebook Page + Instagram) with the process's ConnectorRegistry. */
@Module({
  providers: [
    {
      provide: MetaConnector,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        new MetaConnector({ ...config.platforms.meta, timeoutMs: config.platforms.timeoutMs }),
    },
  ],
  exports: [MetaConnector],
})
export class MetaConnectorModule implements OnModuleInit {
  constructor(
    private readonly registry: ConnectorRegistry,
    private readonly connector: MetaConnector,
  ) {}

  onModuleInit(): void {
    this.registry.register(this.connector);
  }
}

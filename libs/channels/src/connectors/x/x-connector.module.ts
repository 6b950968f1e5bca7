import { Module, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@caredesk/core';
import { ConnectorRegistry } from '../connector.registry';
import { XConnector } from './x.connector';

/** Registers the X connector with the process's ConnectorRegistry (API: webhooks; worker: ingest, send). */
@Module({
  providers: [
    { provide: XConnector, inject: [APP_CONFIG], useFactory: (c: AppConfig) => new XConnector(c.platforms) },
  ],
  exports: [XConnector],
})
export class XConnectorModule implements OnModuleInit {
  constructor(
    private readonly registry: ConnectorRegistry,
    private readonly connector: XConnector,
  ) {}

  onModuleInit(): void {
    this.registry.register(this.connector);
  }
}

import { Global, Module } from '@nestjs/common';
import { ConnectorRegistry } from './connector.registry';

/**
 * The one ConnectorRegistry of a process. Each platform's connector module (imported by the API for
 * webhooks and by the worker for normalize/send) registers its connector here in onModuleInit.
 */
@Global()
@Module({ providers: [ConnectorRegistry], exports: [ConnectorRegistry] })
export class ConnectorsModule {}

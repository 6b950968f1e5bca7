import { Injectable } from '@nestjs/common';
import { Platform } from '../platform';
import { PlatformConnector } from './connector';

/**
 * Every platform connector, by webhook name and by platform. Connector modules register themselves
 * in onModuleInit (the same pattern as OnboardingRegistry), so adding a platform touches no switch.
 */
@Injectable()
export class ConnectorRegistry {
  private readonly byName = new Map<string, PlatformConnector>();
  private readonly byPlatform = new Map<Platform, PlatformConnector>();

  register(connector: PlatformConnector): void {
    if (this.byName.has(connector.name)) throw new Error(`Connector ${connector.name} registered twice`);
    this.byName.set(connector.name, connector);
    for (const p of connector.platforms) this.byPlatform.set(p, connector);
  }

  /**
   * TEST ONLY: replaces whatever connector serves `connector.name` and its platforms, so an e2e test
   * can drive the ingest and send workers with a scripted connector. Production code registers.
   */
  override(connector: PlatformConnector): void {
    this.byName.set(connector.name, connector);
    for (const p of connector.platforms) this.byPlatform.set(p, connector);
  }

  forWebhook(name: string): PlatformConnector | undefined {
    return this.byName.get(name);
  }

  forPlatform(platform: Platform): PlatformConnector {
    const c = this.byPlatform.get(platform);
    if (!c) throw new Error(`No connector for ${platform}`);
    return c;
  }
}

/**
 * Preloaded (`node -r`) into a worker child process by ingest-crash.e2e-spec.ts: the real worker
 * (apps/worker/src/main.ts), except that the scripted connector serves its platform. Patched on the
 * prototype because the registry instance only exists once Nest has booted.
 */
import { ConnectorRegistry, Platform, PlatformConnector } from '@caredesk/channels';
import { SCRIPTED_PLATFORM, scriptedConnector } from './scripted-connector';

const forPlatform = ConnectorRegistry.prototype.forPlatform;
ConnectorRegistry.prototype.forPlatform = function (
  this: ConnectorRegistry,
  platform: Platform,
): PlatformConnector {
  return platform === SCRIPTED_PLATFORM ? scriptedConnector : forPlatform.call(this, platform);
};

import Redis from 'ioredis';
import { AppConfig } from '@caredesk/core';

/**
 * A Redis connection for live updates. Commands fail fast (one retry) instead of hanging a request
 * while Redis is away; ioredis reconnects by itself, and re-subscribes the channels of a subscriber
 * connection after a reconnect (autoResubscribe).
 */
export function liveRedis(config: AppConfig, name: string): Redis {
  const redis = new Redis(config.redis.url, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    connectionName: `caredesk-live-${name}`,
  });
  // Failures surface on the commands that hit them; an idle connection's error is not a crash.
  redis.on('error', () => undefined);
  return redis;
}

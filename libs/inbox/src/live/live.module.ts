import { Module } from '@nestjs/common';
import { LiveEvents } from './live-events';

/**
 * Publishing side of live updates: no GraphQL, so the worker imports it too (ingest publishes each
 * batch's messages). The API adds LiveApiModule for subscriptions and presence.
 */
@Module({
  providers: [LiveEvents],
  exports: [LiveEvents],
})
export class LiveModule {}

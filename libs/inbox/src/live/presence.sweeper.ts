import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@caredesk/core';
import { PresenceService } from './presence.service';

/**
 * Finds presence entries whose client stopped heartbeating (closed laptop, lost network, crashed
 * API process) and publishes their removal. Runs in every API process: an entry disappears at most
 * one sweep interval after its expiry (a quarter of the TTL, between 250 ms and 1 s).
 */
@Injectable()
export class PresenceSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(PresenceSweeper.name);
  private readonly intervalMs: number;
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly presence: PresenceService,
  ) {
    this.intervalMs = Math.min(1000, Math.max(250, (config.live.presenceTtlSeconds * 1000) / 4));
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    if (this.running) return; // a slow Redis must not pile sweeps up
    this.running = true;
    try {
      await this.presence.sweep();
    } catch (e) {
      this.logger.warn(`presence sweep failed: ${e instanceof Error ? e.message : e}`);
    } finally {
      this.running = false;
    }
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }
}

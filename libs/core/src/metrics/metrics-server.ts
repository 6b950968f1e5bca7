import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { answerMetricsScrape } from './metrics-scrape';

/**
 * `GET /metrics` for a process without an HTTP API (the worker): its own counters — language
 * analysis fallbacks, ingest, sends — live in its own registry, which the API's /metrics cannot see.
 * Listens on WORKER_METRICS_PORT (0: not at all), same METRICS_TOKEN rule as the API.
 */
@Injectable()
export class MetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MetricsServer.name);
  private server: Server | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** The port it listens on (null when off): WORKER_METRICS_PORT. */
  get port(): number | null {
    return this.server ? (this.server.address() as AddressInfo).port : null;
  }

  async onApplicationBootstrap(): Promise<void> {
    const port = this.config.workerMetricsPort;
    if (!port) return;
    const server = createServer((req, res) => {
      if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
        res.writeHead(404, { 'content-type': 'application/json; charset=utf-8' });
        res.end(
          JSON.stringify({ error: { code: 'NOT_FOUND', message: 'Only GET /metrics is served here' } }),
        );
        return;
      }
      answerMetricsScrape(req.headers.authorization, this.config.metricsToken).then(
        (answer) => {
          res.writeHead(answer.status, answer.headers);
          res.end(answer.body);
        },
        (e: unknown) => {
          this.logger.error(`metrics scrape failed: ${String(e)}`);
          res.writeHead(500).end();
        },
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.logger.log(`metrics on :${this.port}/metrics`);
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

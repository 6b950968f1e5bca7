import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { answerMetricsScrape, APP_CONFIG, AppConfig } from '@caredesk/core';

/**
 * Prometheus scrape endpoint of the API process (webhook intake counters, …). Plain HTTP, outside
 * GraphQL auth. With METRICS_TOKEN set it answers only `Authorization: Bearer <METRICS_TOKEN>`;
 * without it, it is open and must be reachable from the internal network only (the load balancer
 * does not route /metrics). The worker serves its own metrics (WORKER_METRICS_PORT).
 */
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get()
  async metrics(
    @Headers('authorization') authorization: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const answer = await answerMetricsScrape(authorization, this.config.metricsToken);
    res.status(answer.status).set(answer.headers).send(answer.body);
  }
}

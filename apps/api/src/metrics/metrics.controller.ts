import { Controller, Get, Res } from '@nestjs/common';
import type { Response } from 'express';
import { register } from 'prom-client';

/**
 * Prometheus scrape endpoint: every metric registered in this process (webhook intake counters, …)
 * in the text exposition format. Plain HTTP, outside GraphQL auth; in production it is reached on the
 * internal network only (the load balancer does not route /metrics).
 */
@Controller('metrics')
export class MetricsController {
  @Get()
  async metrics(@Res() res: Response): Promise<void> {
    res
      .status(200)
      .type(register.contentType)
      .send(await register.metrics());
  }
}

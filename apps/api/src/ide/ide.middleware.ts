import { Inject, Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { APP_CONFIG, AppConfig } from '@caredesk/core';
import { sendIdePage } from './ide.controller';

/**
 * A browser opening GET /graphql gets the IDE; every other request (JSON, GET queries with
 * ?query=…) goes on to Apollo. Runs before Apollo's middleware, which Nest mounts at module init.
 */
@Injectable()
export class IdeMiddleware implements NestMiddleware {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const wantsHtml = req.method === 'GET' && req.accepts(['application/json', 'text/html']) === 'text/html';
    if (!this.config.graphql.ide || !wantsHtml || req.query.query !== undefined) return next();
    sendIdePage(this.config, res);
  }
}

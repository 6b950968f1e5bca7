import { createReadStream } from 'node:fs';
import { Controller, Get, Inject, NotFoundException, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { APP_CONFIG, AppConfig } from '@caredesk/core';
import { assetPath, ideInstalled } from './graphiql-assets';
import { graphiqlPage, IDE_MISSING_TEXT } from './graphiql-page';

/** The offline GraphiQL IDE at /graphiql (and GET /graphql from a browser); 404 in production. */
@Controller('graphiql')
export class IdeController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get()
  page(@Res() res: Response): void {
    sendIdePage(this.config, res);
  }

  @Get('assets/:name')
  asset(@Param('name') name: string, @Res() res: Response): void {
    if (!this.config.graphql.ide) throw new NotFoundException();
    let found: ReturnType<typeof assetPath>;
    try {
      found = assetPath(name);
    } catch {
      res.status(503).type('text/plain').send(IDE_MISSING_TEXT);
      return;
    }
    if (!found) throw new NotFoundException();
    res.type(found.type).setHeader('cache-control', 'public, max-age=3600');
    createReadStream(found.path)
      .on('error', () => res.status(404).end())
      .pipe(res);
  }
}

export function sendIdePage(config: AppConfig, res: Response): void {
  if (!config.graphql.ide) throw new NotFoundException();
  if (!ideInstalled()) {
    res.status(503).type('text/plain').send(IDE_MISSING_TEXT);
    return;
  }
  res.type('text/html').send(graphiqlPage('/graphql'));
}

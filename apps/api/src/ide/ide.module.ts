import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { IdeController } from './ide.controller';
import { IdeMiddleware } from './ide.middleware';

/** Development GraphQL IDE (GraphiQL), served from node_modules: no CDN. Off in production. */
@Module({ controllers: [IdeController], providers: [IdeMiddleware] })
export class IdeModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(IdeMiddleware).forRoutes({ path: 'graphql', method: RequestMethod.GET });
  }
}

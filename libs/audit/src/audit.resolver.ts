import { Args, Int, Query, Resolver } from '@nestjs/graphql';
import { Ctx, RequestContext } from '@caredesk/core';
import { AuditQueryService } from './audit-query.service';
import { AuditEventConnection, AuditEventDto } from './dto/audit-event.dto';
import { AuditEventsFilter } from './dto/audit-events.filter';

@Resolver()
export class AuditResolver {
  constructor(private readonly audit: AuditQueryService) {}

  @Query(() => AuditEventConnection, { description: 'The audit log, newest first. ADMIN and above.' })
  async auditEvents(
    @Ctx() ctx: RequestContext,
    // Typed without `| null`: a union erases the class from the parameter metadata, and the
    // ValidationPipe would then skip the filter's class-validator rules.
    @Args('filter', { type: () => AuditEventsFilter, nullable: true }) filter: AuditEventsFilter,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 50, description: 'At most 200.' })
    first: number | null,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<AuditEventConnection> {
    const page = await this.audit.list(ctx, filter ?? {}, first ?? 50, after);
    return { nodes: page.nodes.map(AuditEventDto.from), pageInfo: page.pageInfo };
  }
}

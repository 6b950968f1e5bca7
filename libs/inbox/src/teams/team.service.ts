import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditService } from '@caredesk/audit';
import { AppError, RequestContext, Role, TenantDb } from '@caredesk/core';
import { TeamDto } from '../conversations/dto/conversation.dto';

/**
 * Agency-level teams, so the inbox's team filter is real. Membership and routing to teams come in
 * a later issue.
 */
@Injectable()
export class TeamService {
  constructor(
    private readonly db: TenantDb,
    private readonly audit: AuditService,
  ) {}

  async list(ctx: RequestContext): Promise<TeamDto[]> {
    ctx.requireRole(Role.AGENT);
    return this.db.run(ctx, (tx) =>
      tx.query<TeamDto>(`SELECT id, name FROM teams WHERE agency_id = $1 ORDER BY lower(name), id`, [
        ctx.agencyId,
      ]),
    );
  }

  /** ADMIN+. Names are unique in the agency, case-insensitively (CONFLICT). */
  async create(ctx: RequestContext, rawName: string): Promise<TeamDto> {
    ctx.requireRole(Role.ADMIN);
    const name = (rawName ?? '').trim().replace(/\s+/gu, ' ');
    if (!name || [...name].length > 100)
      throw AppError.badInput('A team name is 1 to 100 characters', 'name');
    return this.db.run(ctx, async (tx) => {
      const id = randomUUID();
      const [row] = await tx.query<TeamDto>(
        `INSERT INTO teams (agency_id, id, name) VALUES ($1, $2, $3)
         ON CONFLICT (agency_id, lower(name)) DO NOTHING RETURNING id, name`,
        [ctx.agencyId, id, name],
      );
      if (!row) throw AppError.conflict('A team with this name exists');
      await this.audit.record(ctx, {
        action: 'team.create',
        entityType: 'team',
        entityId: id,
        changes: { name },
      });
      return row;
    });
  }
}

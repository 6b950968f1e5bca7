import { Injectable, OnModuleInit } from '@nestjs/common';
import { OnboardingRegistry } from '@caredesk/brands';
import { RequestContext, Role, TenantDb } from '@caredesk/core';

/**
 * Onboarding step "stakeholders invited": a brand has at least one CLIENT_VIEWER member or a live
 * (pending, unexpired) stakeholder invitation. One query for all the brands asked about.
 */
@Injectable()
export class StakeholdersOnboardingStep implements OnModuleInit {
  readonly key = 'STAKEHOLDERS_INVITED';
  readonly title = 'Invite the brand’s stakeholders';
  readonly order = 30;

  constructor(
    private readonly registry: OnboardingRegistry,
    private readonly db: TenantDb,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async isDone(ctx: RequestContext, brandIds: string[]): Promise<Map<string, boolean>> {
    const done = new Map(brandIds.map((id) => [id, false]));
    if (brandIds.length === 0) return done;
    const rows = await this.db.run(ctx, (tx) =>
      tx.query<{ brand_id: string }>(
        `SELECT mb.brand_id
           FROM membership_brands mb
           JOIN memberships m ON m.agency_id = mb.agency_id AND m.id = mb.membership_id
          WHERE mb.agency_id = $1 AND mb.brand_id = ANY($2::uuid[]) AND m.role = $3
         UNION
         SELECT b.brand_id
           FROM invitations i CROSS JOIN LATERAL unnest(i.brand_ids) AS b(brand_id)
          WHERE i.agency_id = $1 AND i.role = $3 AND i.brand_ids && $2::uuid[]
            AND i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > now()`,
        [ctx.agencyId, brandIds, Role.CLIENT_VIEWER],
      ),
    );
    for (const r of rows) if (done.has(r.brand_id)) done.set(r.brand_id, true);
    return done;
  }
}

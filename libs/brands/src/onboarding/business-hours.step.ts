import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { RequestContext, TenantDb } from '@caredesk/core';
import { Brand } from '../entities/brand.entity';
import { OnboardingStepProvider } from './onboarding.registry';

/** Done once the brand has at least one weekly opening window (SLA clocks need them). */
@Injectable()
export class BusinessHoursStep implements OnboardingStepProvider {
  readonly key = 'BUSINESS_HOURS_SET';
  readonly title = 'Set business hours';
  readonly order = 20;

  constructor(private readonly db: TenantDb) {}

  async isDone(ctx: RequestContext, brandIds: string[]): Promise<Map<string, boolean>> {
    const rows = await this.db.run(ctx, (tx) =>
      tx.repo(Brand).find({ select: { id: true, businessHours: true }, where: { id: In(brandIds) } }),
    );
    return new Map(rows.map((b) => [b.id, b.businessHours.length > 0]));
  }
}

import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { AppError, isUuid, RequestContext, TenantDb } from '@caredesk/core';
import { Brand } from './entities/brand.entity';

/**
 * The one access check for client-supplied brand ids (STYLE.md: "another tenant's id is a missing
 * id"). Checks a whole set in one query and answers NOT_FOUND whether a brand is missing, belongs to
 * another agency, or lies outside the actor's brand scope.
 */
@Injectable()
export class BrandAccessService {
  constructor(private readonly db: TenantDb) {}

  /** Returns the brands, in the order asked, or throws NOT_FOUND. Archived brands count as found. */
  async requireVisible(ctx: RequestContext, brandIds: readonly string[]): Promise<Brand[]> {
    const unique = [...new Set(brandIds)];
    if (unique.length === 0) return [];
    if (!unique.every(isUuid) || !unique.every((id) => ctx.canSeeBrand(id))) throw AppError.notFound('Brand');
    const rows = await this.db.run(ctx, (tx) => tx.repo(Brand).findBy({ id: In(unique) }));
    if (rows.length !== unique.length) throw AppError.notFound('Brand');
    const byId = new Map(rows.map((b) => [b.id, b]));
    return brandIds.map((id) => byId.get(id)!);
  }

  async requireOne(ctx: RequestContext, brandId: string): Promise<Brand> {
    return (await this.requireVisible(ctx, [brandId]))[0];
  }
}

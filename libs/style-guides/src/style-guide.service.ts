import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { AuditService } from '@caredesk/audit';
import { BrandAccessService } from '@caredesk/brands';
import { AppError, isUuid, RequestContext, Role, TenantDb, TenantTx } from '@caredesk/core';
import { normalizeRules, StyleRulesDraft } from './engine/normalize-rules';
import { emptyRules, StyleRules } from './engine/style-rules';
import { StyleGuideVersion } from './entities/style-guide-version.entity';
import { StyleGuide } from './entities/style-guide.entity';
import { canonicalJson } from './canonical-json';

export interface CurrentStyleGuide {
  brandId: string;
  version: number;
  versionId: string | null;
  rules: StyleRules;
  updatedByUserId: string | null;
  updatedAt: Date | null;
}

export interface UpdateStyleGuide {
  brandId: string;
  expectedVersion?: number | null;
  rules: StyleRulesDraft;
}

const PAGE_DEFAULT = 20;
const PAGE_MAX = 100;

/**
 * Style guides: one per brand, versioned. Every change inserts the next immutable version and moves
 * the brand's pointer to it, in one transaction; the brand row's lock (`FOR UPDATE` on the pointer)
 * serializes concurrent editors, and `expectedVersion` lets an editor refuse to overwrite a change
 * they have not seen (CONFLICT).
 */
@Injectable()
export class StyleGuideService {
  constructor(
    private readonly db: TenantDb,
    private readonly access: BrandAccessService,
    private readonly audit: AuditService,
  ) {}

  /** AGENT and above (agents write by it); a CLIENT_VIEWER sees reports only (DESIGN.md). */
  async current(ctx: RequestContext, brandId: string): Promise<CurrentStyleGuide> {
    ctx.requireRole(Role.AGENT);
    await this.access.requireOne(ctx, brandId);
    return this.db.run(ctx, async (tx) => {
      const pointer = await tx.repo(StyleGuide).findOneBy({ brandId });
      const version = pointer
        ? await tx.repo(StyleGuideVersion).findOneBy({ id: pointer.currentVersionId })
        : null;
      if (!version) {
        return {
          brandId,
          version: 0,
          versionId: null,
          rules: emptyRules(),
          updatedByUserId: null,
          updatedAt: null,
        };
      }
      return {
        brandId,
        version: version.number,
        versionId: version.id,
        rules: version.rules,
        updatedByUserId: version.createdByUserId,
        updatedAt: version.createdAt,
      };
    });
  }

  /** Newest first; the cursor is the last version number of the page. */
  async versions(
    ctx: RequestContext,
    brandId: string,
    first: number | null | undefined,
    after: string | null | undefined,
  ): Promise<{ nodes: StyleGuideVersion[]; pageInfo: { endCursor: string | null; hasNextPage: boolean } }> {
    const limit = first ?? PAGE_DEFAULT;
    if (!Number.isInteger(limit) || limit < 1 || limit > PAGE_MAX) {
      throw AppError.badInput(`first must be 1–${PAGE_MAX}`, 'first');
    }
    const before = after == null ? null : decodeVersionCursor(after);
    ctx.requireRole(Role.AGENT);
    await this.access.requireOne(ctx, brandId);
    const rows = await this.db.run(ctx, (tx) => {
      const q = tx
        .repo(StyleGuideVersion)
        .createQueryBuilder('v')
        .andWhere('v.brandId = :brandId', { brandId })
        .orderBy('v.number', 'DESC')
        .limit(limit + 1);
      if (before !== null) q.andWhere('v.number < :before', { before });
      return q.getMany();
    });
    const nodes = rows.slice(0, limit);
    const last = nodes[nodes.length - 1];
    return {
      nodes,
      pageInfo: {
        endCursor: last ? encodeVersionCursor(last.number) : null,
        hasNextPage: rows.length > limit,
      },
    };
  }

  /** MANAGER and above, for a brand in their scope. The rules replace the current ones entirely. */
  async update(ctx: RequestContext, input: UpdateStyleGuide): Promise<StyleGuideVersion> {
    ctx.requireRole(Role.MANAGER);
    await this.access.requireOne(ctx, input.brandId);
    const expected = input.expectedVersion;
    if (expected != null && (!Number.isInteger(expected) || expected < 0)) {
      throw AppError.badInput('expectedVersion is 0 or a version number', 'expectedVersion');
    }
    const rules = normalizeRules(input.rules ?? {});
    return this.save(ctx, input.brandId, expected ?? null, rules);
  }

  private save(
    ctx: RequestContext,
    brandId: string,
    expected: number | null,
    rules: StyleRules,
  ): Promise<StyleGuideVersion> {
    return this.db.run(ctx, async (tx) => {
      const versionId = randomUUID();
      const pointer = await this.claimOrLock(tx, brandId, versionId);
      const currentNumber = pointer?.version ?? 0;
      if (expected != null && expected !== currentNumber) {
        throw AppError.conflict(
          `The style guide is at version ${currentNumber}, not ${expected}: reload it and apply your change again`,
        );
      }
      const previous = pointer ? await tx.repo(StyleGuideVersion).findOneBy({ id: pointer.versionId }) : null;
      // Saving the same rules again is not a change: no version, no audit entry.
      if (previous && canonicalJson(previous.rules) === canonicalJson(rules)) return previous;

      const version = await this.insertVersion(tx, ctx, brandId, versionId, currentNumber + 1, rules);
      await this.audit.record(ctx, {
        action: 'style_guide.update',
        entityType: 'style_guide',
        entityId: version.id,
        brandId,
        changes: {
          version: version.number,
          previousVersion: previous ? previous.number : null,
          changed: changedRules(previous?.rules ?? emptyRules(), rules),
        },
      });
      return version;
    });
  }

  /**
   * Brand duplicate (BrandCopyProvider): the source's current rules become version 1 of the copy,
   * inside the duplication's transaction.
   */
  async copy(ctx: RequestContext, fromBrandId: string, toBrandId: string): Promise<void> {
    await this.db.run(ctx, async (tx) => {
      const pointer = await tx.repo(StyleGuide).findOneBy({ brandId: fromBrandId });
      if (!pointer) return;
      const source = await tx.repo(StyleGuideVersion).findOneBy({ id: pointer.currentVersionId });
      if (!source) return;
      const versionId = randomUUID();
      await this.claimOrLock(tx, toBrandId, versionId);
      await this.insertVersion(tx, ctx, toBrandId, versionId, 1, source.rules);
    });
  }

  /** Onboarding: which of the brands have saved a style guide; one query for the set. */
  async brandsWithGuide(ctx: RequestContext, brandIds: string[]): Promise<Set<string>> {
    const ids = brandIds.filter(isUuid);
    if (ids.length === 0) return new Set();
    const rows = await this.db.run(ctx, (tx) =>
      tx.repo(StyleGuide).find({ select: { brandId: true }, where: { brandId: In(ids) } }),
    );
    return new Set(rows.map((r) => r.brandId));
  }

  /**
   * The brand's pointer row, locked until commit (concurrent saves queue here, so each gets the next
   * number). A brand without one gets it now, already pointing at `newVersionId` (that foreign key
   * is deferred to commit) — and answers null, "no current version". Two first saves at once: the
   * loser's insert waits for the winner's commit, does nothing, and the loser locks the winner's row
   * (READ COMMITTED: the next statement sees it), continuing as the next version.
   */
  private async claimOrLock(
    tx: TenantTx,
    brandId: string,
    newVersionId: string,
  ): Promise<{ versionId: string; version: number } | null> {
    const lock = async () =>
      (
        await tx.query<{ versionId: string; version: number }>(
          `SELECT current_version_id AS "versionId", current_version AS version
             FROM style_guides WHERE agency_id = $1 AND brand_id = $2 FOR UPDATE`,
          [tx.agencyId, brandId],
        )
      )[0] ?? null;
    const existing = await lock();
    if (existing) return existing;
    const claimed = await tx.query(
      `INSERT INTO style_guides (agency_id, brand_id, current_version_id, current_version)
       VALUES ($1, $2, $3, 1) ON CONFLICT (agency_id, brand_id) DO NOTHING RETURNING brand_id`,
      [tx.agencyId, brandId, newVersionId],
    );
    return claimed.length === 1 ? null : lock();
  }

  /** Inserts version `number` and moves the pointer to it (a claimed pointer already points there). */
  private async insertVersion(
    tx: TenantTx,
    ctx: RequestContext,
    brandId: string,
    id: string,
    number: number,
    rules: StyleRules,
  ): Promise<StyleGuideVersion> {
    if (number > 1) {
      await tx.execute(
        `UPDATE style_guides SET current_version_id = $3, current_version = $4, updated_at = now()
          WHERE agency_id = $1 AND brand_id = $2`,
        [tx.agencyId, brandId, id, number],
      );
    }
    await tx.repo(StyleGuideVersion).insert({ id, brandId, number, rules, createdByUserId: ctx.userId });
    return (await tx.repo(StyleGuideVersion).findOneBy({ id }))!;
  }
}

/** Which top-level rules differ, for the audit entry (the full rules are in the version itself). */
function changedRules(before: StyleRules, after: StyleRules): string[] {
  return (Object.keys(after) as Array<keyof StyleRules>).filter(
    (k) => canonicalJson(before[k]) !== canonicalJson(after[k]),
  );
}

function encodeVersionCursor(number: number): string {
  return Buffer.from(`v:${number}`).toString('base64url');
}

function decodeVersionCursor(cursor: string): number {
  const m = /^v:(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) throw AppError.badInput('Malformed cursor', 'after');
  return Number(m[1]);
}

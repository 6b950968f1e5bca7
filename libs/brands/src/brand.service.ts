import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { In, IsNull } from 'typeorm';
import { AppError, isUniqueViolation, RequestContext, Role, TenantDb, TenantTx } from '@caredesk/core';
import { AuditService } from '@caredesk/audit';
import { BrandAccessService } from './brand-access.service';
import { BrandCopyRegistry } from './copy/brand-copy.registry';
import { CreateBrandInput } from './dto/create-brand.input';
import { UpdateBrandInput } from './dto/update-brand.input';
import { Brand } from './entities/brand.entity';
import {
  normalizeBusinessHours,
  normalizeColor,
  normalizeHolidays,
  normalizeLanguages,
  normalizeLogoUrl,
  normalizeReopenWindowHours,
  normalizeTimezone,
  optionalText,
  requireText,
} from './settings/brand-settings';
import { firstFreeSlug, slugFromName, validateSlug } from './settings/slug';

/** The fields a client sets; everything else on a brand is the system's. */
type BrandSettings = Pick<
  Brand,
  | 'name'
  | 'timezone'
  | 'languages'
  | 'businessHours'
  | 'holidays'
  | 'displayName'
  | 'logoUrl'
  | 'primaryColor'
>;

interface NewBrand {
  settings: BrandSettings;
  /** A slug the client chose (CONFLICT when taken), or null to derive one from the name. */
  wantedSlug: string | null;
  action: string;
  extraSettings?: Record<string, unknown>;
  extraChanges?: Record<string, unknown>;
  /** Runs in the insert's transaction, after the row exists. */
  afterInsert?: (brand: Brand) => Promise<void>;
}

const SLUG_CONSTRAINT = 'brands_agency_slug_key';

/**
 * Brands: the agency's clients. Identity and settings (name, slug, timezone, hours, white-label look)
 * are agency-level decisions, so every mutation here needs ADMIN; managers work on what hangs off a
 * brand in their scope (style guides, routing, SLA) in those contexts (DESIGN.md, "Who uses it").
 */
@Injectable()
export class BrandService {
  constructor(
    private readonly db: TenantDb,
    private readonly access: BrandAccessService,
    private readonly audit: AuditService,
    private readonly copiers: BrandCopyRegistry,
  ) {}

  /** The brands the caller may see, by name. */
  list(ctx: RequestContext, includeArchived = false): Promise<Brand[]> {
    if (ctx.brandIds?.length === 0) return Promise.resolve([]);
    return this.db.run(ctx, (tx) =>
      tx.repo(Brand).find({
        where: {
          ...(ctx.brandIds ? { id: In([...ctx.brandIds]) } : {}),
          ...(includeArchived ? {} : { archivedAt: IsNull() }),
        },
        order: { name: 'ASC', id: 'ASC' },
      }),
    );
  }

  get(ctx: RequestContext, id: string): Promise<Brand> {
    return this.access.requireOne(ctx, id);
  }

  /**
   * Adding a brand is an agency-wide act: an admin limited to some brands would create one they then
   * could not see (their scope is identity's data, not ours to widen).
   */
  private requireAgencyWideAdmin(ctx: RequestContext): void {
    ctx.requireRole(Role.ADMIN);
    if (ctx.brandIds !== null)
      throw AppError.forbidden('Only admins with access to every brand can add brands');
  }

  async create(ctx: RequestContext, input: CreateBrandInput): Promise<Brand> {
    this.requireAgencyWideAdmin(ctx);
    const settings = this.settingsFromCreate(input);
    const wanted = input.slug == null ? null : validateSlug(input.slug);
    const reopenWindowHours = normalizeReopenWindowHours(input.reopenWindowHours ?? null);
    const extra = reopenWindowHours === null ? undefined : { reopenWindowHours };
    return this.insertBrand(ctx, {
      settings,
      wantedSlug: wanted,
      action: 'brand.create',
      extraSettings: extra,
      extraChanges: extra,
    });
  }

  async update(ctx: RequestContext, input: UpdateBrandInput): Promise<Brand> {
    ctx.requireRole(Role.ADMIN);
    await this.access.requireOne(ctx, input.id);
    const patch = this.settingsFromUpdate(input);
    const slug = input.slug === undefined ? undefined : validateSlug(requireNonNull(input.slug, 'slug'));
    const reopen =
      input.reopenWindowHours === undefined ? undefined : normalizeReopenWindowHours(input.reopenWindowHours);

    return this.withSlugConflict(() =>
      this.db.run(ctx, async (tx) => {
        const repo = tx.repo(Brand);
        const before = await repo.findOneBy({ id: input.id });
        if (!before) throw AppError.notFound('Brand');
        if (slug !== undefined && slug !== before.slug && (await repo.exists({ slug }))) {
          throw AppError.conflict(`The slug "${slug}" is already taken`);
        }
        const next: Partial<Brand> = { ...patch, ...(slug !== undefined ? { slug } : {}) };
        const changes = diff(before, next);
        const reopenBefore = (before.settings?.reopenWindowHours as number | undefined) ?? null;
        if (reopen !== undefined && reopen !== reopenBefore) {
          changes.reopenWindowHours = { from: reopenBefore, to: reopen };
          // One key of the settings document, changed in place: other modules' keys stay as they are.
          await tx.execute(
            `UPDATE brands SET settings = CASE WHEN $3::int IS NULL THEN settings - 'reopenWindowHours'
                                               ELSE jsonb_set(settings, '{reopenWindowHours}', to_jsonb($3::int)) END
              WHERE agency_id = $1 AND id = $2`,
            [tx.agencyId, before.id, reopen],
          );
        }
        if (Object.keys(changes).length === 0) return before;
        if (Object.keys(next).length > 0) await repo.update({ id: before.id }, next);
        await this.audit.record(ctx, {
          action: 'brand.update',
          entityType: 'brand',
          entityId: before.id,
          brandId: before.id,
          changes,
        });
        return (await repo.findOneBy({ id: before.id }))!;
      }),
    );
  }

  archive(ctx: RequestContext, id: string): Promise<Brand> {
    return this.setArchived(ctx, id, true);
  }

  restore(ctx: RequestContext, id: string): Promise<Brand> {
    return this.setArchived(ctx, id, false);
  }

  /**
   * A new brand with the settings of an existing one (for agencies that onboard similar clients):
   * timezone, languages, hours, holidays, look and settings here, plus whatever each registered
   * BrandCopyProvider copies, all in one transaction. Channels, conversations and members stay behind.
   */
  async duplicate(ctx: RequestContext, brandId: string, name: string): Promise<Brand> {
    ctx.requireRole(Role.ADMIN);
    // Visibility first, so an out-of-scope source answers NOT_FOUND like a missing one.
    const source = await this.access.requireOne(ctx, brandId);
    this.requireAgencyWideAdmin(ctx);
    const settings: BrandSettings = {
      name: requireText(name, 'name'),
      timezone: source.timezone,
      languages: source.languages,
      businessHours: source.businessHours,
      holidays: source.holidays,
      displayName: source.displayName,
      logoUrl: source.logoUrl,
      primaryColor: source.primaryColor,
    };
    return this.insertBrand(ctx, {
      settings,
      wantedSlug: null,
      extraSettings: source.settings,
      action: 'brand.duplicate',
      extraChanges: { fromBrandId: source.id },
      afterInsert: async (copy) => {
        for (const provider of this.copiers.providersInOrder()) await provider.copy(ctx, source.id, copy.id);
      },
    });
  }

  private async insertBrand(ctx: RequestContext, plan: NewBrand): Promise<Brand> {
    const { settings, wantedSlug, action } = plan;
    // A derived slug that loses a race to a concurrent insert is simply derived again.
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.db.run(ctx, async (tx) => {
          const slug = await this.allocateSlug(tx, settings.name, wantedSlug);
          const id = randomUUID();
          await tx.repo(Brand).insert({ id, slug, ...settings, settings: plan.extraSettings ?? {} });
          const brand = (await tx.repo(Brand).findOneBy({ id }))!;
          await plan.afterInsert?.(brand);
          await this.audit.record(ctx, {
            action,
            entityType: 'brand',
            entityId: id,
            brandId: id,
            changes: { ...plan.extraChanges, slug, ...settings },
          });
          return brand;
        });
      } catch (e) {
        if (!isSlugConflict(e)) throw e;
        if (wantedSlug !== null || attempt >= 2) throw AppError.conflict('The slug is already taken');
      }
    }
  }

  private async allocateSlug(tx: TenantTx, name: string, wanted: string | null): Promise<string> {
    const repo = tx.repo(Brand);
    if (wanted !== null) {
      if (await repo.exists({ slug: wanted }))
        throw AppError.conflict(`The slug "${wanted}" is already taken`);
      return wanted;
    }
    const base = slugFromName(name);
    const taken = await repo
      .createQueryBuilder('b')
      .select('b.slug', 'slug')
      .andWhere('(b.slug = :base OR b.slug LIKE :prefix)', { base, prefix: `${base}-%` }) // a slug has no % or _
      .getRawMany<{ slug: string }>();
    return firstFreeSlug(base, new Set(taken.map((r) => r.slug)));
  }

  private async setArchived(ctx: RequestContext, id: string, archived: boolean): Promise<Brand> {
    ctx.requireRole(Role.ADMIN);
    await this.access.requireOne(ctx, id);
    return this.db.run(ctx, async (tx) => {
      const repo = tx.repo(Brand);
      const brand = await repo.findOneBy({ id });
      if (!brand) throw AppError.notFound('Brand');
      // Idempotent: archiving an archived brand changes nothing and records nothing.
      if ((brand.archivedAt !== null) === archived) return brand;
      const archivedAt = archived ? new Date() : null;
      await repo.update({ id }, { archivedAt });
      await this.audit.record(ctx, {
        action: archived ? 'brand.archive' : 'brand.restore',
        entityType: 'brand',
        entityId: id,
        brandId: id,
        changes: { archivedAt: { from: brand.archivedAt, to: archivedAt } },
      });
      return (await repo.findOneBy({ id }))!;
    });
  }

  private settingsFromCreate(input: CreateBrandInput): BrandSettings {
    return {
      name: requireText(input.name, 'name'),
      timezone: normalizeTimezone(input.timezone),
      languages: normalizeLanguages(input.languages),
      businessHours: normalizeBusinessHours(input.businessHours ?? []),
      holidays: normalizeHolidays(input.holidays ?? []),
      displayName: optionalText(input.displayName ?? null, 'displayName'),
      logoUrl: normalizeLogoUrl(input.logoUrl ?? null),
      primaryColor: normalizeColor(input.primaryColor ?? null),
    };
  }

  private settingsFromUpdate(input: UpdateBrandInput): Partial<BrandSettings> {
    const patch: Partial<BrandSettings> = {};
    if (input.name !== undefined) patch.name = requireText(requireNonNull(input.name, 'name'), 'name');
    if (input.timezone !== undefined)
      patch.timezone = normalizeTimezone(requireNonNull(input.timezone, 'timezone'));
    if (input.languages !== undefined) {
      patch.languages = normalizeLanguages(requireNonNull(input.languages, 'languages'));
    }
    if (input.businessHours !== undefined)
      patch.businessHours = normalizeBusinessHours(input.businessHours ?? []);
    if (input.holidays !== undefined) patch.holidays = normalizeHolidays(input.holidays ?? []);
    if (input.displayName !== undefined) patch.displayName = optionalText(input.displayName, 'displayName');
    if (input.logoUrl !== undefined) patch.logoUrl = normalizeLogoUrl(input.logoUrl);
    if (input.primaryColor !== undefined) patch.primaryColor = normalizeColor(input.primaryColor);
    return patch;
  }

  private async withSlugConflict<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (e) {
      if (isSlugConflict(e)) throw AppError.conflict('The slug is already taken');
      throw e;
    }
  }
}

function requireNonNull<T>(value: T | null, field: string): T {
  if (value === null) throw AppError.badInput(`${field} cannot be cleared`, field);
  return value;
}

/** `{ field: { from, to } }` for each field whose value changes. */
function diff(before: Brand, next: Partial<Brand>): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const [key, to] of Object.entries(next)) {
    const from = before[key as keyof Brand];
    if (JSON.stringify(from) !== JSON.stringify(to)) changes[key] = { from, to };
  }
  return changes;
}

function isSlugConflict(e: unknown): boolean {
  return isUniqueViolation(e, SLUG_CONSTRAINT);
}

import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import {
  AppError,
  isUniqueViolation,
  isUuid,
  RequestContext,
  Role,
  TenantDb,
  TenantTx,
} from '@caredesk/core';
import { AuditService } from '@caredesk/audit';
import { BrandAccessService } from '@caredesk/brands';
import { CannedReply, CannedReplyVariant } from '../entities/canned-reply.entity';
import {
  escapeLike,
  FUZZY_THRESHOLD_SQL,
  normalizeShortcut,
  normalizeTags,
  requireText,
} from '../shared/fields';
import { normalizeLanguage, primaryAliases } from '../shared/language';
import { Page, pageArgs, toPage } from '../shared/page';
import { searchBoxQuery } from '../search/search-terms';
import { CannedReplyStyleCheck } from './canned-reply-style-check';
import { normalizeVariants } from './canned-reply-variants';
import { CreateCannedReplyInput } from './dto/create-canned-reply.input';
import { UpdateCannedReplyInput } from './dto/update-canned-reply.input';

const SHORTCUT_KEY = 'canned_replies_shortcut_key';

export interface CannedReplyWithVariants {
  reply: CannedReply;
  variants: CannedReplyVariant[];
}

export interface CannedReplyListOptions {
  search?: string | null;
  language?: string | null;
  first: number;
  after?: string | null;
}

/**
 * Canned replies of a brand. Agents list and use them; MANAGER and above write them (audited), and a
 * reply whose template breaks the brand's style guide is refused before anything is written.
 */
@Injectable()
export class CannedReplyService {
  constructor(
    private readonly db: TenantDb,
    private readonly brands: BrandAccessService,
    private readonly audit: AuditService,
    private readonly style: CannedReplyStyleCheck,
  ) {}

  /**
   * Newest first. `search` matches words of the title, shortcut and tags as prefixes, a shortcut by
   * its start ("/ref"), or a title by trigram similarity (typos); `language` keeps replies with a
   * variant in that language.
   */
  async list(
    ctx: RequestContext,
    brandId: string,
    opts: CannedReplyListOptions,
  ): Promise<Page<CannedReplyWithVariants>> {
    ctx.requireRole(Role.AGENT);
    const { first, cursor } = pageArgs(opts.first, opts.after);
    await this.brands.requireOne(ctx, brandId);
    const languages = opts.language ? primaryAliases(normalizeLanguage(opts.language)) : null;

    return this.db.run(ctx, async (tx) => {
      const q = tx.repo(CannedReply).createQueryBuilder('r').andWhere('r.brandId = :brandId', { brandId });
      if (languages) {
        q.andWhere(
          `EXISTS (SELECT 1 FROM canned_reply_variants v WHERE v.agency_id = r.agency_id
             AND v.canned_reply_id = r.id AND split_part(lower(v.language), '-', 1) = ANY(:languages))`,
          { languages },
        );
      }
      // A lone "/" is the agent starting to type a shortcut: everything matches.
      const search = opts.search?.trim().replace(/^\/$/, '');
      if (search) {
        await tx.query(FUZZY_THRESHOLD_SQL);
        const tsq = searchBoxQuery(search);
        const shortcut = `${escapeLike(search.replace(/^\//, '').toLowerCase())}%`;
        q.andWhere(
          `(lower(r.shortcut) LIKE :shortcut OR :search <% r.title` +
            (tsq
              ? ` OR r.search @@ (to_tsquery('simple', :tsq) || to_tsquery('simple', knowledge_unaccent(:tsq))))`
              : ')'),
          { shortcut, search, tsq },
        );
      }
      if (cursor) q.andWhere('(r.createdAt, r.id) < (:at, :id)', { at: cursor.createdAt, id: cursor.id });
      const rows = await q
        .orderBy('r.createdAt', 'DESC')
        .addOrderBy('r.id', 'DESC')
        .take(first + 1)
        .getMany();
      const page = toPage(rows, first);
      const variants = await this.variantsOf(
        tx,
        page.nodes.map((r) => r.id),
      );
      return {
        ...page,
        nodes: page.nodes.map((reply) => ({ reply, variants: variants.get(reply.id) ?? [] })),
      };
    });
  }

  /** Variants of many replies in one query, by reply id, sorted by language. */
  async variantsOf(tx: TenantTx, ids: string[]): Promise<Map<string, CannedReplyVariant[]>> {
    const byReply = new Map<string, CannedReplyVariant[]>();
    if (ids.length === 0) return byReply;
    const rows = await tx.repo(CannedReplyVariant).find({
      where: { cannedReplyId: In(ids) },
      order: { language: 'ASC' },
    });
    for (const v of rows) byReply.set(v.cannedReplyId, [...(byReply.get(v.cannedReplyId) ?? []), v]);
    return byReply;
  }

  /** The reply, NOT_FOUND when missing, another agency's or of a brand out of the caller's scope. */
  async visible(ctx: RequestContext, tx: TenantTx, id: string): Promise<CannedReply> {
    const reply = isUuid(id) ? await tx.repo(CannedReply).findOneBy({ id }) : null;
    if (!reply || !ctx.canSeeBrand(reply.brandId)) throw AppError.notFound('Canned reply');
    return reply;
  }

  async create(ctx: RequestContext, input: CreateCannedReplyInput): Promise<CannedReplyWithVariants> {
    ctx.requireRole(Role.MANAGER);
    const brand = await this.brands.requireOne(ctx, input.brandId);
    const fields = {
      title: requireText(input.title, 'title', 200),
      shortcut: normalizeShortcut(input.shortcut),
      tags: normalizeTags(input.tags),
    };
    const variants = normalizeVariants(input.variants);
    await this.style.assertClean(ctx, brand, variants);

    return this.withShortcutConflict(() =>
      this.db.run(ctx, async (tx) => {
        await this.assertShortcutFree(tx, brand.id, fields.shortcut);
        const id = randomUUID();
        await tx.repo(CannedReply).insert({ id, brandId: brand.id, ...fields, createdByUserId: ctx.userId });
        await tx
          .repo(CannedReplyVariant)
          .insert(variants.map((v) => ({ cannedReplyId: id, brandId: brand.id, ...v })));
        await this.audit.record(ctx, {
          action: 'canned_reply.create',
          entityType: 'canned_reply',
          entityId: id,
          brandId: brand.id,
          changes: { ...fields, variants },
        });
        return this.load(tx, id);
      }),
    );
  }

  async update(ctx: RequestContext, input: UpdateCannedReplyInput): Promise<CannedReplyWithVariants> {
    ctx.requireRole(Role.MANAGER);
    const patch: Partial<Pick<CannedReply, 'title' | 'shortcut' | 'tags'>> = {};
    if (input.title != null) patch.title = requireText(input.title, 'title', 200);
    if (input.shortcut != null) patch.shortcut = normalizeShortcut(input.shortcut);
    if (input.tags != null) patch.tags = normalizeTags(input.tags);
    const variants = input.variants != null ? normalizeVariants(input.variants) : null;

    return this.withShortcutConflict(() =>
      this.db.run(ctx, async (tx) => {
        const before = await this.visible(ctx, tx, input.id);
        if (variants)
          await this.style.assertClean(ctx, await this.brands.requireOne(ctx, before.brandId), variants);
        if (patch.shortcut && patch.shortcut.toLowerCase() !== before.shortcut.toLowerCase()) {
          await this.assertShortcutFree(tx, before.brandId, patch.shortcut);
        }
        const changes: Record<string, unknown> = {};
        for (const [key, to] of Object.entries(patch)) {
          const from = before[key as keyof CannedReply];
          if (JSON.stringify(from) !== JSON.stringify(to)) changes[key] = { from, to };
        }
        if (variants) {
          const old = (await this.variantsOf(tx, [before.id])).get(before.id) ?? [];
          const oldPlain = old.map((v) => ({ language: v.language, body: v.body }));
          if (JSON.stringify(oldPlain) !== JSON.stringify(variants)) {
            changes.variants = { from: oldPlain, to: variants };
            await tx.repo(CannedReplyVariant).delete({ cannedReplyId: before.id });
            await tx
              .repo(CannedReplyVariant)
              .insert(variants.map((v) => ({ cannedReplyId: before.id, brandId: before.brandId, ...v })));
          }
        }
        if (Object.keys(changes).length === 0) return this.load(tx, before.id);
        await tx.repo(CannedReply).update({ id: before.id }, { ...patch, updatedAt: new Date() });
        await this.audit.record(ctx, {
          action: 'canned_reply.update',
          entityType: 'canned_reply',
          entityId: before.id,
          brandId: before.brandId,
          changes,
        });
        return this.load(tx, before.id);
      }),
    );
  }

  async delete(ctx: RequestContext, id: string): Promise<boolean> {
    ctx.requireRole(Role.MANAGER);
    return this.db.run(ctx, async (tx) => {
      const reply = await this.visible(ctx, tx, id);
      // Variants go with it (ON DELETE CASCADE).
      await tx.repo(CannedReply).delete({ id: reply.id });
      await this.audit.record(ctx, {
        action: 'canned_reply.delete',
        entityType: 'canned_reply',
        entityId: reply.id,
        brandId: reply.brandId,
        changes: { title: reply.title, shortcut: reply.shortcut },
      });
      return true;
    });
  }

  private async load(tx: TenantTx, id: string): Promise<CannedReplyWithVariants> {
    const reply = (await tx.repo(CannedReply).findOneBy({ id }))!;
    return { reply, variants: (await this.variantsOf(tx, [id])).get(id) ?? [] };
  }

  /** A readable CONFLICT before the insert; the unique index still decides a race (withShortcutConflict). */
  private async assertShortcutFree(tx: TenantTx, brandId: string, shortcut: string): Promise<void> {
    const [taken] = await tx.query(
      `SELECT 1 FROM canned_replies WHERE agency_id = $1 AND brand_id = $2 AND lower(shortcut) = lower($3)`,
      [tx.agencyId, brandId, shortcut],
    );
    if (taken) throw AppError.conflict(`The shortcut "/${shortcut}" is already used in this brand`);
  }

  private async withShortcutConflict<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (e) {
      if (isUniqueViolation(e, SHORTCUT_KEY))
        throw AppError.conflict('The shortcut is already used in this brand');
      throw e;
    }
  }
}

import { Injectable } from '@nestjs/common';
import { RequestContext } from '@caredesk/core';

/**
 * Copies one context's per-brand settings when a brand is duplicated (style guides, canned replies,
 * routing rules, SLA policies, report schedules…). Each context registers a provider in its module's
 * `onModuleInit`, so brands need not know the other contexts' tables.
 *
 * `copy` runs inside the duplication's transaction: use `TenantDb.run(ctx, …)`, which joins it, so a
 * failing provider rolls the whole duplicate back. Copy settings only — never conversations, contacts,
 * channels or members.
 */
export interface BrandCopyProvider {
  /** Stable key, e.g. `STYLE_GUIDES`. */
  key: string;
  /** Providers run in ascending order (a later one may depend on rows an earlier one copied). */
  order: number;
  copy(ctx: RequestContext, fromBrandId: string, toBrandId: string): Promise<void>;
}

@Injectable()
export class BrandCopyRegistry {
  private readonly providers = new Map<string, BrandCopyProvider>();

  register(provider: BrandCopyProvider): void {
    if (this.providers.has(provider.key))
      throw new Error(`Brand copy provider ${provider.key} registered twice`);
    this.providers.set(provider.key, provider);
  }

  providersInOrder(): BrandCopyProvider[] {
    return [...this.providers.values()].sort((a, b) => a.order - b.order);
  }
}

import { Injectable } from '@nestjs/common';
import { TenantTx } from '@caredesk/core';
import { compileStyleGuide, CompiledStyleGuide } from './engine/compile-style-guide';
import { LruCache } from './engine/lru-cache';
import { StyleGuideVersion } from './entities/style-guide-version.entity';
import { StyleGuide } from './entities/style-guide.entity';

/** Compiled versions kept per process; a few hundred brands' guides at ~100 KB each at most. */
const CACHE_SIZE = 256;

/**
 * A brand's current version, compiled. Versions are immutable, so a compiled guide is cached by
 * version id for the life of the process: the hot path (every reply) reads one small row (the
 * pointer) and compiles nothing. The key includes the agency only as a belt to RLS's braces.
 */
@Injectable()
export class CompiledStyleGuides {
  private readonly cache = new LruCache<string, CompiledStyleGuide>(CACHE_SIZE);

  async current(
    tx: TenantTx,
    brandId: string,
  ): Promise<{ versionId: string; guide: CompiledStyleGuide } | null> {
    const pointer = await tx.repo(StyleGuide).findOneBy({ brandId });
    if (!pointer) return null;
    const versionId = pointer.currentVersionId;
    const key = `${tx.agencyId}:${versionId}`;
    let guide = this.cache.get(key);
    if (!guide) {
      const version = await tx.repo(StyleGuideVersion).findOneBy({ id: versionId });
      if (!version) throw new Error(`Style guide version ${versionId} is missing`);
      guide = compileStyleGuide(version.rules);
      this.cache.set(key, guide);
    }
    return { versionId, guide };
  }
}

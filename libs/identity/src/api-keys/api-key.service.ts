import { randomUUID } from 'node:crypto';
import { forwardRef, Inject, Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { AuditService } from '@caredesk/audit';
import { BrandAccessService } from '@caredesk/brands';
import {
  AppError,
  isUuid,
  randomToken,
  RequestContext,
  Role,
  roleAtLeast,
  sha256,
  TenantDb,
  TenantTx,
} from '@caredesk/core';
import { ApiKey, ApiKeyBrand } from './api-key.entity';
import { ApiKeyDto, CreatedApiKeyDto } from './dto/api-key.dto';
import { CreateApiKeyInput } from './dto/create-api-key.input';

/**
 * `cdk_<agency id, 32 hex>_<43 base64url chars>`: the agency part lets the key be looked up inside
 * that tenant's RLS scope before anything is authenticated; the random part carries 256 bits.
 */
const KEY_FORMAT = /^cdk_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$/;

export function isApiKeyFormat(token: string): boolean {
  return token.startsWith('cdk_');
}

function agencyOfKey(key: string): string | null {
  const m = KEY_FORMAT.exec(key);
  if (!m) return null;
  const h = m[1];
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

@Injectable()
export class ApiKeyService {
  constructor(
    private readonly db: TenantDb,
    private readonly audit: AuditService,
    // forwardRef: brands may depend on identity (e.g. stakeholder invitations); this breaks the cycle.
    @Inject(forwardRef(() => BrandAccessService)) private readonly brandAccess: BrandAccessService,
  ) {}

  async create(ctx: RequestContext, input: CreateApiKeyInput): Promise<CreatedApiKeyDto> {
    const userId = requireAdminUser(ctx);
    const name = input.name.trim();
    if (!name) throw AppError.badInput('Name must not be blank', 'name');
    if (input.role === Role.OWNER) throw AppError.badInput('An API key cannot be OWNER', 'role');
    if (!roleAtLeast(ctx.role, input.role))
      throw AppError.forbidden('An API key cannot have more power than you');

    const brandIds = input.brandIds ? [...new Set(input.brandIds)] : null;
    if (brandIds && brandIds.length === 0)
      throw AppError.badInput('List at least one brand, or omit brandIds', 'brandIds');
    if (input.role === Role.CLIENT_VIEWER && brandIds?.length !== 1) {
      throw AppError.badInput('A CLIENT_VIEWER key is for exactly one brand', 'brandIds');
    }
    // A key never sees more than its creator: someone limited to some brands must name them.
    if (!brandIds && ctx.brandIds !== null)
      throw AppError.badInput('List the brands the key may see', 'brandIds');
    if (brandIds) await this.brandAccess.requireVisible(ctx, brandIds);

    const id = randomUUID();
    const secret = `cdk_${ctx.agencyId.replace(/-/g, '')}_${randomToken(32)}`;
    return this.db.run(ctx, async (tx) => {
      await tx.repo(ApiKey).insert({
        id,
        name,
        role: input.role,
        allBrands: !brandIds,
        keyHash: sha256(secret),
        keyPrefix: secret.slice(0, 4 + 32 + 1 + 6),
        createdByUserId: userId,
      });
      if (brandIds) await tx.repo(ApiKeyBrand).insert(brandIds.map((brandId) => ({ apiKeyId: id, brandId })));
      await this.audit.record(ctx, {
        action: 'api_key.create',
        entityType: 'api_key',
        entityId: id,
        brandId: brandIds?.length === 1 ? brandIds[0] : null,
        changes: { name, role: input.role, brandIds },
      });
      const row = await tx.repo(ApiKey).findOneBy({ id });
      return { apiKey: ApiKeyDto.from(row!, brandIds), secret };
    });
  }

  /** Keys whose whole scope the caller may see; newest first. Revoked keys stay listed. */
  async list(ctx: RequestContext): Promise<ApiKeyDto[]> {
    ctx.requireRole(Role.ADMIN);
    return this.db.run(ctx, async (tx) => {
      const keys = await tx.repo(ApiKey).find({ order: { createdAt: 'DESC', id: 'ASC' } });
      const scopes = await this.scopesOf(tx, keys);
      return keys
        .filter((k) => this.visible(ctx, scopes.get(k.id)!))
        .map((k) => ApiKeyDto.from(k, scopes.get(k.id)!));
    });
  }

  /** Idempotent; a key of another agency or reaching beyond the caller's brands is NOT_FOUND. */
  async revoke(ctx: RequestContext, id: string): Promise<ApiKeyDto> {
    ctx.requireRole(Role.ADMIN);
    if (!isUuid(id)) throw AppError.notFound('API key');
    return this.db.run(ctx, async (tx) => {
      const key = await tx.repo(ApiKey).findOneBy({ id });
      if (!key) throw AppError.notFound('API key');
      const scope = (await this.scopesOf(tx, [key])).get(id)!;
      if (!this.visible(ctx, scope)) throw AppError.notFound('API key');
      if (!key.revokedAt) {
        await tx.repo(ApiKey).update({ id }, { revokedAt: new Date() });
        await this.audit.record(ctx, {
          action: 'api_key.revoke',
          entityType: 'api_key',
          entityId: id,
          brandId: scope?.length === 1 ? scope[0] : null,
          changes: { name: key.name },
        });
      }
      return ApiKeyDto.from((await tx.repo(ApiKey).findOneBy({ id }))!, scope);
    });
  }

  /** The context a valid, unrevoked key grants; null for anything else. */
  async contextFromKey(key: string, ip?: string): Promise<RequestContext | null> {
    const agencyId = agencyOfKey(key);
    if (!agencyId) return null;
    return this.db.run(agencyId, async (tx) => {
      const [row] = await tx.query<{ id: string; role: Role; allBrands: boolean }>(
        `SELECT id, role, all_brands AS "allBrands" FROM api_keys
          WHERE agency_id = $1 AND key_hash = $2 AND revoked_at IS NULL`,
        [agencyId, sha256(key)],
      );
      if (!row) return null;
      const brandIds = row.allBrands
        ? null
        : (await tx.repo(ApiKeyBrand).findBy({ apiKeyId: row.id })).map((b) => b.brandId);
      // At most one write a minute per key, so a busy integration does not write on every request.
      await tx.query(
        `UPDATE api_keys SET last_used_at = now()
          WHERE agency_id = $1 AND id = $2 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
        [agencyId, row.id],
      );
      return new RequestContext({
        agencyId,
        actor: { kind: 'apiKey', apiKeyId: row.id },
        role: row.role,
        brandIds,
        ip,
      });
    });
  }

  private async scopesOf(tx: TenantTx, keys: ApiKey[]): Promise<Map<string, string[] | null>> {
    const limited = keys.filter((k) => !k.allBrands).map((k) => k.id);
    const links = limited.length ? await tx.repo(ApiKeyBrand).findBy({ apiKeyId: In(limited) }) : [];
    const scopes = new Map<string, string[] | null>(keys.map((k) => [k.id, k.allBrands ? null : []]));
    for (const l of links) scopes.get(l.apiKeyId)!.push(l.brandId);
    return scopes;
  }

  private visible(ctx: RequestContext, scope: string[] | null): boolean {
    return scope === null ? ctx.brandIds === null : scope.every((b) => ctx.canSeeBrand(b));
  }
}

/** Keys are made by people: a key that could mint keys would outlive its own revocation. */
function requireAdminUser(ctx: RequestContext): string {
  ctx.requireRole(Role.ADMIN);
  if (!ctx.userId) throw AppError.forbidden('API keys are managed by users, not by other keys');
  return ctx.userId;
}

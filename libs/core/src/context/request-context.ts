import { AppError } from '../errors/app-error';
import { Role, roleAtLeast } from './role';

export type Actor =
  | { kind: 'user'; userId: string; membershipId: string }
  | { kind: 'apiKey'; apiKeyId: string }
  | { kind: 'system'; reason: string };

export interface RequestContextInit {
  agencyId: string;
  actor: Actor;
  role: Role;
  /** The brands this actor may see; `null` means every brand of the agency. */
  brandIds: readonly string[] | null;
  ip?: string;
  requestId?: string;
  /** Set on tokens that passed two-factor authentication. */
  mfa?: boolean;
}

/**
 * Who is acting, for which agency, and which brands they may see. Built once at the edge (auth guard,
 * job processor) and passed explicitly as the first argument of every service method.
 */
export class RequestContext {
  readonly agencyId: string;
  readonly actor: Actor;
  readonly role: Role;
  readonly brandIds: readonly string[] | null;
  readonly ip?: string;
  readonly requestId?: string;

  constructor(init: RequestContextInit) {
    if (!init.agencyId) throw new Error('RequestContext needs an agencyId');
    Object.assign(this, init);
    this.agencyId = init.agencyId;
    this.actor = init.actor;
    this.role = init.role;
    this.brandIds = init.brandIds;
  }

  /** A context for work the platform does itself (jobs, seeds). Sees every brand of the agency. */
  static system(agencyId: string, reason: string): RequestContext {
    return new RequestContext({
      agencyId,
      actor: { kind: 'system', reason },
      role: Role.OWNER,
      brandIds: null,
    });
  }

  get userId(): string | null {
    return this.actor.kind === 'user' ? this.actor.userId : null;
  }

  canSeeBrand(brandId: string): boolean {
    return this.brandIds === null || this.brandIds.includes(brandId);
  }

  hasRole(atLeast: Role): boolean {
    return roleAtLeast(this.role, atLeast);
  }

  /** Throws FORBIDDEN unless the actor has at least `role`. */
  requireRole(atLeast: Role): void {
    if (!this.hasRole(atLeast)) throw AppError.forbidden();
  }

  /**
   * Throws NOT_FOUND (never FORBIDDEN) for a brand outside the actor's scope, so an id the actor may
   * not see behaves exactly like one that does not exist.
   */
  requireBrand(brandId: string, what = 'Brand'): void {
    if (!this.canSeeBrand(brandId)) throw AppError.notFound(what);
  }
}

import {
  DeepPartial,
  EntityManager,
  EntityTarget,
  FindManyOptions,
  FindOptionsWhere,
  ObjectLiteral,
  SelectQueryBuilder,
} from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { isUuid } from './uuid';

export interface TenantOwned {
  agencyId: string;
}

type Where<T> = FindOptionsWhere<T> | FindOptionsWhere<T>[];

/**
 * A repository that can only see one agency's rows. Every read and write carries `agency_id`
 * (on top of RLS, which would hide the rest anyway), and it refuses to exist without a tenant id.
 *
 * TypeORM silently drops `undefined` from a `where`, which would widen a query to every row the
 * transaction can see; `scope()` refuses undefined values instead.
 */
export class ScopedRepository<T extends TenantOwned & ObjectLiteral> {
  constructor(
    private readonly manager: EntityManager,
    private readonly entity: EntityTarget<T>,
    readonly agencyId: string,
  ) {
    if (!isUuid(agencyId)) {
      throw new Error('ScopedRepository refuses an empty or malformed tenant id');
    }
  }

  private scopeOne(where: FindOptionsWhere<T>): FindOptionsWhere<T> {
    for (const [key, value] of Object.entries(where)) {
      if (value === undefined) throw new Error(`Refusing a query with undefined "${key}" in where`);
    }
    return { ...where, agencyId: this.agencyId } as FindOptionsWhere<T>;
  }

  private scope(where: Where<T> = {}): Where<T> {
    return Array.isArray(where) ? where.map((w) => this.scopeOne(w)) : this.scopeOne(where);
  }

  find(options: FindManyOptions<T> & { where?: Where<T> } = {}): Promise<T[]> {
    return this.manager.find(this.entity, { ...options, where: this.scope(options.where) });
  }

  findBy(where: Where<T>): Promise<T[]> {
    return this.manager.findBy(this.entity, this.scope(where));
  }

  findOneBy(where: Where<T>): Promise<T | null> {
    return this.manager.findOneBy(this.entity, this.scope(where));
  }

  count(where: Where<T> = {}): Promise<number> {
    return this.manager.countBy(this.entity, this.scope(where));
  }

  exists(where: Where<T>): Promise<boolean> {
    return this.manager.existsBy(this.entity, this.scope(where));
  }

  /** Inserts rows of this agency; the caller cannot choose another agency. */
  async insert(values: DeepPartial<T> | DeepPartial<T>[]): Promise<void> {
    const rows = (Array.isArray(values) ? values : [values]).map((v) => ({ ...v, agencyId: this.agencyId }));
    if (rows.length === 0) return;
    await this.manager.insert(this.entity, rows as unknown as QueryDeepPartialEntity<T>[]);
  }

  /** Saves an entity of this agency (insert or update by primary key). */
  save(entity: T): Promise<T> {
    if (entity.agencyId && entity.agencyId !== this.agencyId) {
      throw new Error('Refusing to save an entity of another agency');
    }
    entity.agencyId = this.agencyId;
    return this.manager.save(this.entity, entity);
  }

  /** Updates the matching rows; returns how many changed. `agencyId` cannot be changed. */
  async update(where: FindOptionsWhere<T>, patch: DeepPartial<T>): Promise<number> {
    const { agencyId: _ignored, ...rest } = patch as DeepPartial<T> & { agencyId?: unknown };
    const result = await this.manager.update(
      this.entity,
      this.scopeOne(where),
      rest as unknown as QueryDeepPartialEntity<T>,
    );
    return result.affected ?? 0;
  }

  async delete(where: FindOptionsWhere<T>): Promise<number> {
    const result = await this.manager.delete(this.entity, this.scopeOne(where));
    return result.affected ?? 0;
  }

  /** A query builder already limited to this agency; add conditions with `andWhere`. */
  createQueryBuilder(alias: string): SelectQueryBuilder<T> {
    return this.manager
      .createQueryBuilder(this.entity, alias)
      .where(`${alias}.agencyId = :__tenantAgencyId`, { __tenantAgencyId: this.agencyId });
  }
}

import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { AppError, isUuid, RequestContext, Role, TenantDb, TenantTx } from '@caredesk/core';
import { AuditService } from '@caredesk/audit';
import { BrandAccessService } from '@caredesk/brands';
import { Channel } from './channel.entity';
import { credentialFieldNames, credentialsFromInput } from './channel-credentials';
import { ChannelCredentialsService } from './channel-credentials.service';
import { ChannelRouteService } from './channel-route.service';
import { ConnectChannelInput } from './dto/connect-channel.input';
import { ReconnectChannelInput } from './dto/reconnect-channel.input';
import { ChannelLifecycleHooks } from './outbox/channel-lifecycle.hooks';
import { ChannelStatus, normalizeExternalAccountId } from './platform';

/**
 * Channel records: connect, disconnect, reconnect, list. Changing channels is brand onboarding, an
 * ADMIN task (DESIGN.md, "Who uses it"), and needs the brand in the admin's scope; reading them is
 * open to agents and up (they work the inbox), never to CLIENT_VIEWERs (reports only).
 */
@Injectable()
export class ChannelService {
  constructor(
    private readonly db: TenantDb,
    private readonly brands: BrandAccessService,
    private readonly credentials: ChannelCredentialsService,
    private readonly routes: ChannelRouteService,
    private readonly audit: AuditService,
    private readonly lifecycle: ChannelLifecycleHooks,
  ) {}

  async connect(ctx: RequestContext, input: ConnectChannelInput): Promise<Channel> {
    ctx.requireRole(Role.ADMIN);
    const creds = credentialsFromInput(input.credentials);
    return this.db.run(ctx, async (tx) => {
      const brand = await this.brands.requireOne(ctx, input.brandId);
      if (brand.archivedAt)
        throw AppError.badInput('Restore the brand before connecting channels', 'brandId');
      const id = randomUUID();
      const channel = Object.assign(new Channel(), {
        id,
        agencyId: ctx.agencyId,
        brandId: brand.id,
        platform: input.platform,
        externalAccountId: normalizeExternalAccountId(input.platform, input.externalAccountId),
        displayName: input.displayName.trim(),
        credentialsSealed: this.credentials.seal(ctx.agencyId, id, creds),
        status: ChannelStatus.ACTIVE,
        connectedAt: new Date(),
        disconnectedAt: null,
      });
      await this.routes.claim(tx, channel);
      await tx.repo(Channel).insert(channel);
      await this.audit.record(ctx, {
        action: 'channel.connect',
        entityType: 'channel',
        entityId: id,
        brandId: brand.id,
        changes: {
          platform: channel.platform,
          externalAccountId: channel.externalAccountId,
          displayName: channel.displayName,
          credentialFields: credentialFieldNames(creds),
        },
      });
      return (await tx.repo(Channel).findOneBy({ id }))!;
    });
  }

  /**
   * Keeps the row (conversations will refer to it) but wipes the secrets and frees the account.
   * Disconnecting a disconnected channel changes nothing.
   */
  async disconnect(ctx: RequestContext, id: string): Promise<Channel> {
    ctx.requireRole(Role.ADMIN);
    return this.db.run(ctx, async (tx) => {
      const channel = await this.lockVisible(ctx, tx, id);
      if (channel.status === ChannelStatus.DISCONNECTED) return channel;
      await this.routes.release(tx, channel);
      await tx
        .repo(Channel)
        .update(
          { id },
          { status: ChannelStatus.DISCONNECTED, disconnectedAt: new Date(), credentialsSealed: '' },
        );
      // In this transaction: e.g. the outbox fails the sends that waited for a reconnect.
      await this.lifecycle.disconnected(ctx, tx, { ...channel, status: ChannelStatus.DISCONNECTED });
      await this.audit.record(ctx, {
        action: 'channel.disconnect',
        entityType: 'channel',
        entityId: id,
        brandId: channel.brandId,
        changes: { status: { from: channel.status, to: ChannelStatus.DISCONNECTED } },
      });
      return (await tx.repo(Channel).findOneBy({ id }))!;
    });
  }

  /** New credentials, status ACTIVE, and the account claimed again (CONFLICT if another channel took it). */
  async reconnect(ctx: RequestContext, input: ReconnectChannelInput): Promise<Channel> {
    ctx.requireRole(Role.ADMIN);
    const creds = credentialsFromInput(input.credentials);
    return this.db.run(ctx, async (tx) => {
      const channel = await this.lockVisible(ctx, tx, input.id);
      await this.routes.claim(tx, channel);
      await tx.repo(Channel).update(
        { id: channel.id },
        {
          status: ChannelStatus.ACTIVE,
          credentialsSealed: this.credentials.seal(ctx.agencyId, channel.id, creds),
          connectedAt: new Date(),
          disconnectedAt: null,
        },
      );
      await this.audit.record(ctx, {
        action: 'channel.reconnect',
        entityType: 'channel',
        entityId: channel.id,
        brandId: channel.brandId,
        changes: {
          status: { from: channel.status, to: ChannelStatus.ACTIVE },
          credentialFields: credentialFieldNames(creds),
        },
      });
      const reconnected = (await tx.repo(Channel).findOneBy({ id: channel.id }))!;
      // In this transaction: e.g. the outbox re-queues the sends that waited for this channel.
      await this.lifecycle.reconnected(ctx, tx, reconnected);
      return reconnected;
    });
  }

  async list(ctx: RequestContext, brandId: string, includeDisconnected = false): Promise<Channel[]> {
    ctx.requireRole(Role.AGENT);
    return this.db.run(ctx, async (tx) => {
      await this.brands.requireOne(ctx, brandId);
      const qb = tx.repo(Channel).createQueryBuilder('c').andWhere('c.brandId = :brandId', { brandId });
      if (!includeDisconnected)
        qb.andWhere('c.status <> :disconnected', { disconnected: ChannelStatus.DISCONNECTED });
      return qb.orderBy('c.createdAt', 'ASC').addOrderBy('c.id', 'ASC').getMany();
    });
  }

  async get(ctx: RequestContext, id: string): Promise<Channel> {
    ctx.requireRole(Role.AGENT);
    return this.db.run(ctx, async (tx) => {
      const channel = isUuid(id) ? await tx.repo(Channel).findOneBy({ id }) : null;
      if (!channel || !ctx.canSeeBrand(channel.brandId)) throw AppError.notFound('Channel');
      return channel;
    });
  }

  /**
   * As `get`, for acting through the channel (a reply, a moderation): a DISCONNECTED channel has its
   * secrets wiped and nothing could go out through it until an admin reconnects it, so it is refused
   * before anything is written — BAD_USER_INPUT on `field`, the input that named it. A channel that
   * NEEDS_RECONNECT is answered: its work waits for the reconnect (WAITING_FOR_RECONNECT).
   */
  async getConnected(ctx: RequestContext, id: string, field: string): Promise<Channel> {
    const channel = await this.get(ctx, id);
    if (channel.status === ChannelStatus.DISCONNECTED) {
      throw AppError.badInput(
        `The channel ${channel.displayName} is disconnected; reconnect it first`,
        field,
      );
    }
    return channel;
  }

  /** Several channels in one query, in no particular order; NOT_FOUND as `get` if any is not visible. */
  async getMany(ctx: RequestContext, ids: readonly string[]): Promise<Channel[]> {
    ctx.requireRole(Role.AGENT);
    const unique = [...new Set(ids)];
    if (unique.length === 0) return [];
    if (!unique.every(isUuid)) throw AppError.notFound('Channel');
    const rows = await this.db.run(ctx, (tx) => tx.repo(Channel).findBy({ id: In(unique) }));
    if (rows.length !== unique.length || !rows.every((c) => ctx.canSeeBrand(c.brandId))) {
      throw AppError.notFound('Channel');
    }
    return rows;
  }

  /** Which of `brandIds` have at least one ACTIVE channel; one query for the whole set. */
  async brandsWithActiveChannel(ctx: RequestContext, brandIds: string[]): Promise<Set<string>> {
    const ids = brandIds.filter(isUuid);
    if (ids.length === 0) return new Set();
    const rows = await this.db.run(ctx, (tx) =>
      tx
        .repo(Channel)
        .createQueryBuilder('c')
        .select('DISTINCT c.brand_id', 'brandId')
        .andWhere('c.brandId IN (:...ids)', { ids })
        .andWhere('c.status = :active', { active: ChannelStatus.ACTIVE })
        .getRawMany<{ brandId: string }>(),
    );
    return new Set(rows.map((r) => r.brandId));
  }

  /**
   * The channel, locked for the rest of the transaction so a concurrent disconnect and reconnect
   * serialise. NOT_FOUND for a missing id, another agency's, or one of a brand out of scope.
   */
  private async lockVisible(ctx: RequestContext, tx: TenantTx, id: string): Promise<Channel> {
    const [channel] = isUuid(id)
      ? await tx.repo(Channel).find({ where: { id }, lock: { mode: 'pessimistic_write' } })
      : [];
    if (!channel || !ctx.canSeeBrand(channel.brandId)) throw AppError.notFound('Channel');
    return channel;
  }
}

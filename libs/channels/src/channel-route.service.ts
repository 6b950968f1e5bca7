import { Injectable } from '@nestjs/common';
import { SystemDb, TenantTx } from '@caredesk/core';
import { Channel } from './channel.entity';
import { ChannelError } from './channel.error';
import { normalizeExternalAccountId, Platform } from './platform';

export interface ChannelRoute {
  agencyId: string;
  brandId: string;
  channelId: string;
}

/**
 * `channel_routes` maps (platform, external account id) to the one channel that serves it, across all
 * agencies. Its primary key is what makes an account belong to at most one connected channel, and it
 * is how a webhook, which names only the platform account, finds its tenant.
 */
@Injectable()
export class ChannelRouteService {
  constructor(private readonly systemDb: SystemDb) {}

  /**
   * Claims the route for `channel` inside the caller's tenant transaction, so the claim commits or
   * rolls back with the channel. CONFLICT when another channel (of any agency) holds the account.
   *
   * Race-safe without locks: of two transactions inserting the same key, the second waits for the
   * first; if it commits, ON CONFLICT DO NOTHING inserts nothing and the follow-up read (a new
   * statement, so it sees the committed row) names the other channel. Not DO UPDATE: that would have
   * to pass RLS on another tenant's row.
   */
  async claim(tx: TenantTx, channel: Channel): Promise<void> {
    const inserted = await tx.query(
      `INSERT INTO channel_routes (platform, external_account_id, agency_id, channel_id, brand_id)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (platform, external_account_id) DO NOTHING
       RETURNING channel_id`,
      [channel.platform, channel.externalAccountId, tx.agencyId, channel.id, channel.brandId],
    );
    if (inserted.length > 0) return;
    const [holder] = await tx.query<{ agency_id: string; channel_id: string }>(
      `SELECT agency_id, channel_id FROM channel_routes WHERE platform = $1 AND external_account_id = $2`,
      [channel.platform, channel.externalAccountId],
    );
    // Re-claiming a route this channel already holds (reconnecting an ACTIVE channel) is fine.
    if (holder && holder.agency_id === tx.agencyId && holder.channel_id === channel.id) return;
    throw ChannelError.accountTaken();
  }

  /** Frees the account so it can be connected again, anywhere. Only this channel's own route. */
  async release(tx: TenantTx, channel: Channel): Promise<void> {
    await tx.query(
      `DELETE FROM channel_routes
       WHERE platform = $1 AND external_account_id = $2 AND agency_id = $3 AND channel_id = $4`,
      [channel.platform, channel.externalAccountId, tx.agencyId, channel.id],
    );
  }

  /**
   * The webhook lookup: which agency, brand and channel serve this platform account, or null.
   * Deliberately unscoped (SystemDb): a webhook arrives before any tenant is known, and this is how
   * it is found. Reads only the routing table, which holds no secrets.
   */
  async resolve(platform: Platform, externalAccountId: string): Promise<ChannelRoute | null> {
    const rows = await this.systemDb.run('webhook channel resolution', (manager) =>
      manager.query(
        `SELECT agency_id, brand_id, channel_id FROM channel_routes WHERE platform = $1 AND external_account_id = $2`,
        [platform, normalizeExternalAccountId(platform, externalAccountId)],
      ),
    );
    if (rows.length === 0) return null;
    return { agencyId: rows[0].agency_id, brandId: rows[0].brand_id, channelId: rows[0].channel_id };
  }
}

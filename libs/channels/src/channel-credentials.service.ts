import { Injectable } from '@nestjs/common';
import { AppError, isUuid, RequestContext, SecretBox, TenantDb, TenantTx } from '@caredesk/core';
import { Channel } from './channel.entity';
import { ChannelCredentials } from './channel-credentials';
import { CredentialsUnreadableError } from './channel.error';
import { ChannelStatus } from './platform';

/**
 * The only code that seals or opens channel secrets. The associated data is [agency id, channel id]
 * (DESIGN.md, "Tenancy"): a ciphertext copied into another row, of this agency or another, fails
 * authentication instead of decrypting.
 */
@Injectable()
export class ChannelCredentialsService {
  constructor(
    private readonly box: SecretBox,
    private readonly db: TenantDb,
  ) {}

  seal(agencyId: string, channelId: string, creds: ChannelCredentials): string {
    return this.box.seal(JSON.stringify(creds), [agencyId, channelId]);
  }

  /**
   * For connectors (usually with a system context from a job): the channel's credentials, or
   * NOT_FOUND for a channel that is missing, not visible, or disconnected (its secrets are wiped).
   * A value sealed with a previous key is re-sealed with the active one on the way, so keys rotate
   * as channels are used.
   */
  async open(ctx: RequestContext, channelId: string): Promise<ChannelCredentials> {
    if (!isUuid(channelId)) throw AppError.notFound('Channel');
    return this.db.run(ctx, async (tx) => {
      const channel = await tx.repo(Channel).findOneBy({ id: channelId });
      if (!channel || !ctx.canSeeBrand(channel.brandId) || channel.credentialsSealed === '') {
        throw AppError.notFound('Channel');
      }
      const plaintext = this.unseal(ctx.agencyId, channel.id, channel.credentialsSealed);
      if (this.box.needsRotation(channel.credentialsSealed)) {
        // Compare-and-set: a reconnect that committed meanwhile must not be overwritten by old secrets.
        // Raw SQL, not the repository: updated_at stays (see replace: the same secrets are no reconnect).
        await tx.execute(
          `UPDATE channels SET credentials_sealed = $4
            WHERE agency_id = $1 AND id = $2 AND credentials_sealed = $3`,
          [
            ctx.agencyId,
            channel.id,
            channel.credentialsSealed,
            this.box.seal(plaintext, [ctx.agencyId, channel.id]),
          ],
        );
      }
      return JSON.parse(plaintext) as ChannelCredentials;
    });
  }

  /**
   * In the caller's transaction: locks the channel row (FOR NO KEY UPDATE: it serialises writers of
   * the credentials, e.g. two token refreshes, without blocking rows that reference the channel) and
   * answers its credentials as they are after the lock, or null when the channel is gone,
   * disconnected or not ACTIVE (a reconnect is awaited: nothing to refresh).
   */
  async openLocked(tx: TenantTx, channelId: string): Promise<ChannelCredentials | null> {
    const [row] = await tx.query<{ credentials_sealed: string; status: string }>(
      `SELECT credentials_sealed, status FROM channels WHERE agency_id = $1 AND id = $2 FOR NO KEY UPDATE`,
      [tx.agencyId, channelId],
    );
    if (!row || row.credentials_sealed === '' || row.status !== ChannelStatus.ACTIVE) return null;
    return JSON.parse(this.unseal(tx.agencyId, channelId, row.credentials_sealed)) as ChannelCredentials;
  }

  /** The sealed secrets' plaintext; CredentialsUnreadableError when they do not open (another row's, a retired key). */
  private unseal(agencyId: string, channelId: string, sealed: string): string {
    try {
      return this.box.open(sealed, [agencyId, channelId]);
    } catch {
      throw new CredentialsUnreadableError(channelId);
    }
  }

  /**
   * In the caller's transaction (after `openLocked`): seals `creds` as the channel's credentials (a
   * token refresh). `updated_at` is left alone: ingest reads a change of it on an ACTIVE channel as
   * "reconnected since the token was read" (IngestService.waitForReconnect), and a refreshed token the
   * platform still refuses must park the channel for a reconnect, not be retried as if reconnected.
   */
  async replace(tx: TenantTx, channelId: string, creds: ChannelCredentials): Promise<void> {
    await tx.execute(`UPDATE channels SET credentials_sealed = $3 WHERE agency_id = $1 AND id = $2`, [
      tx.agencyId,
      channelId,
      this.seal(tx.agencyId, channelId, creds),
    ]);
  }
}

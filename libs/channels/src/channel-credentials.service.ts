import { Injectable } from '@nestjs/common';
import { AppError, isUuid, RequestContext, SecretBox, TenantDb } from '@caredesk/core';
import { Channel } from './channel.entity';
import { ChannelCredentials } from './channel-credentials';
import { CredentialsUnreadableError } from './channel.error';

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
      let plaintext: string;
      try {
        plaintext = this.box.open(channel.credentialsSealed, [ctx.agencyId, channel.id]);
      } catch {
        throw new CredentialsUnreadableError(channel.id);
      }
      if (this.box.needsRotation(channel.credentialsSealed)) {
        // Compare-and-set: a reconnect that committed meanwhile must not be overwritten by old secrets.
        await tx
          .repo(Channel)
          .update(
            { id: channel.id, credentialsSealed: channel.credentialsSealed },
            { credentialsSealed: this.box.seal(plaintext, [ctx.agencyId, channel.id]) },
          );
      }
      return JSON.parse(plaintext) as ChannelCredentials;
    });
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, MailService, renderActionMail, TenantTx } from '@caredesk/core';
import { Channel } from './channel.entity';
import { ChannelStatus } from './platform';

/**
 * A platform refused a channel's token (expired, revoked): the channel becomes NEEDS_RECONNECT and
 * the agency's admins are mailed — once per transition ACTIVE → NEEDS_RECONNECT, not once per
 * message: the UPDATE … WHERE status = 'ACTIVE' lets exactly one concurrent failure win. Used by
 * the send path (replies wait) and the ingest path (notifications that must be read through the
 * channel — Google reviews, Instagram mentions — wait); ChannelService.reconnect resumes both.
 */
@Injectable()
export class ChannelTokenExpiry {
  constructor(
    private readonly mail: MailService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** In the caller's transaction; the mails go after it commits. Answers whether this call changed it. */
  async markNeedsReconnect(tx: TenantTx, channelId: string): Promise<boolean> {
    const changed = await tx.execute(
      `UPDATE channels SET status = $3, updated_at = now() WHERE agency_id = $1 AND id = $2 AND status = $4`,
      [tx.agencyId, channelId, ChannelStatus.NEEDS_RECONNECT, ChannelStatus.ACTIVE],
    );
    if (changed === 0) return false;
    const channel = (await tx.repo(Channel).findOneBy({ id: channelId }))!;
    // Memberships and users are read in the tenant transaction: RLS keeps it to this agency.
    const admins = await tx.query<{ email: string }>(
      `SELECT u.email FROM memberships m JOIN users u ON u.id = m.user_id
        WHERE m.agency_id = $1 AND m.role IN ('OWNER','ADMIN') ORDER BY u.email`,
      [tx.agencyId],
    );
    tx.afterCommit(async () => {
      for (const { email } of admins) await this.mail.enqueue(this.reconnectMail(email, channel));
    });
    return true;
  }

  private reconnectMail(to: string, channel: Channel) {
    return renderActionMail({
      to,
      subject: `Reconnect ${channel.displayName}: replies are waiting`,
      paragraphs: [
        `The ${channel.platform} channel "${channel.displayName}" stopped accepting our access token (it expired or was revoked).`,
        'Replies to this channel, and the reviews and mentions we read through it, are kept and will be processed as soon as an admin reconnects it.',
      ],
      actionLabel: 'Reconnect the channel',
      actionUrl: `${this.config.appUrl}/brands/${channel.brandId}/channels/${channel.id}`,
    });
  }
}

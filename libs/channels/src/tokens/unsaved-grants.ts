import { ChannelCredentials } from '../channel-credentials';

/** A grant the platform made whose tokens are not stored yet, and the refresh token it was made with. */
interface UnsavedGrant {
  from: string;
  tokens: ChannelCredentials;
}

/**
 * Tokens a refresh grant answered that could not be stored (the transaction failed after the grant:
 * the database went away, the commit failed). X and TikTok rotate refresh tokens — the one the grant
 * used is dead from that moment — so forgetting the answer would leave the channel with nothing but
 * a dead token and, at its next refresh, invalid_grant and NEEDS_RECONNECT.
 *
 * Kept per process, in memory, until stored: ChannelTokenRefresher stores them at its next refresh
 * of that channel instead of asking the platform again, but only while the channel still holds the
 * refresh token the grant was made with (a reconnect in between stored newer tokens: these are
 * dropped). Not shared between processes and gone with this one; the refresher first retries the
 * store for a few seconds, so this only matters when the database stays away longer than that.
 */
export class UnsavedGrants {
  private readonly byChannel = new Map<string, UnsavedGrant>();

  remember(channelId: string, from: string, tokens: ChannelCredentials): void {
    this.byChannel.set(channelId, { from, tokens });
  }

  /** The unsaved tokens of a grant made with `refreshToken` (the one stored now), or undefined. */
  madeWith(channelId: string, refreshToken: string | undefined): ChannelCredentials | undefined {
    const unsaved = this.byChannel.get(channelId);
    if (!unsaved) return undefined;
    if (unsaved.from === refreshToken) return unsaved.tokens;
    this.byChannel.delete(channelId); // stale: the channel holds other tokens now
    return undefined;
  }

  /** Forget `tokens` once stored (or superseded); a newer unsaved grant of the channel stays. */
  forget(channelId: string, tokens: ChannelCredentials): void {
    if (this.byChannel.get(channelId)?.tokens === tokens) this.byChannel.delete(channelId);
  }

  get size(): number {
    return this.byChannel.size;
  }
}

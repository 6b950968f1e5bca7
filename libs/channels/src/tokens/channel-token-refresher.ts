import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig, TenantDb } from '@caredesk/core';
import { ChannelCredentials } from '../channel-credentials';
import { ChannelCredentialsService } from '../channel-credentials.service';
import { ConnectorError } from '../connectors/connector';
import { Platform } from '../platform';
import { GrantedTokens, oauthClientFor, refreshGrant } from './refresh-grant';
import { UnsavedGrants } from './unsaved-grants';

/** Why a refresh is asked for: the token is about to expire, or the platform just refused it. */
export type RefreshReason = 'expiring' | 'refused';

/** How long to wait before each new try at storing tokens a grant answered (about 4 s in all). */
const STORE_RETRY_DELAYS_MS = [250, 500, 1000, 2000];

/**
 * Keeps channel access tokens alive with each platform's refresh grant (Google ~1 h, X ~2 h, TikTok
 * ~24 h, LinkedIn 60 days), so routine expiry never reaches NEEDS_RECONNECT.
 *
 * One refresh per channel at a time: X and TikTok rotate refresh tokens (the old one dies with the
 * first use), so two workers refreshing with the same one would leave the loser with invalid_grant and
 * the channel wrongly NEEDS_RECONNECT. The refresh runs in one transaction holding the channel's row
 * lock; whoever waited re-reads the credentials after the lock and uses the token the winner stored.
 * The lock (and a pooled connection) is held for the grant's HTTP call, at most PLATFORM_TIMEOUT_MS,
 * and only when a token actually needs refreshing. New tokens are sealed and stored in the same
 * transaction. Should that transaction fail after the grant (the database went away, the commit
 * failed), the answer is not dropped: with rotating refresh tokens the one just used is dead, and the
 * channel would be left with nothing that works. It is stored again in a new transaction, and kept
 * in memory until stored (UnsavedGrants), so the next refresh stores it instead of asking again.
 */
@Injectable()
export class ChannelTokenRefresher {
  private readonly logger = new Logger(ChannelTokenRefresher.name);
  /** Grants whose tokens could not be stored yet, per channel (see UnsavedGrants). */
  readonly unsaved = new UnsavedGrants();

  constructor(
    private readonly db: TenantDb,
    private readonly credentials: ChannelCredentialsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Whether this channel's tokens can be refreshed here: a refreshing platform, configured, with a refresh token. */
  canRefresh(platform: Platform, creds: ChannelCredentials): boolean {
    return !!creds.refreshToken && !!oauthClientFor(this.config.platforms, platform);
  }

  /** Whether `creds` should be refreshed before use: refreshable and expiring within the margin. */
  expiresSoon(platform: Platform, creds: ChannelCredentials, now = Date.now()): boolean {
    if (!creds.expiresAt || !this.canRefresh(platform, creds)) return false;
    const at = Date.parse(creds.expiresAt);
    return Number.isNaN(at) || at - now <= this.config.platforms.tokenRefreshMarginSeconds * 1000;
  }

  /**
   * Runs `call` (one platform call with the channel's credentials) with a usable token: refreshed
   * first when it expires within the margin, and refreshed once more when the platform refuses it
   * anyway (revoked early, clock skew, no expiresAt stored) — a refusal means the platform did
   * nothing, so calling again cannot duplicate. Only when no refresh is possible does AUTH_EXPIRED
   * reach the caller (which marks the channel NEEDS_RECONNECT). Null: the channel stopped being
   * ACTIVE while a refresh waited for it.
   */
  async withFreshToken<T>(
    agencyId: string,
    channel: { id: string; platform: Platform },
    creds: ChannelCredentials,
    call: (creds: ChannelCredentials) => Promise<T>,
  ): Promise<T | null> {
    let refreshed = false;
    if (this.expiresSoon(channel.platform, creds)) {
      const fresh = await this.refresh(agencyId, channel.id, channel.platform, creds, 'expiring');
      if (!fresh) return null;
      creds = fresh;
      refreshed = true;
    }
    try {
      return await call(creds);
    } catch (e) {
      const refused = e instanceof ConnectorError && e.code === 'AUTH_EXPIRED';
      if (!refused || refreshed || !this.canRefresh(channel.platform, creds)) throw e;
      this.logger.warn(`channel ${channel.id}: ${channel.platform} refused the token; refreshing once`);
    }
    const fresh = await this.refresh(agencyId, channel.id, channel.platform, creds, 'refused');
    return fresh ? call(fresh) : null;
  }

  /**
   * The channel's credentials with a usable access token. `used` is what the caller holds: when the
   * stored token differs after the lock, another worker refreshed meanwhile and its token is answered
   * without a grant. Throws ConnectorError AUTH_EXPIRED when no refresh is possible (no refresh token,
   * platform not configured, the grant refused: invalid_grant, revoked), and RATE_LIMITED / TRANSIENT
   * as the token endpoint answers; null when the channel stopped being ACTIVE (disconnected,
   * NEEDS_RECONNECT) while we waited.
   */
  async refresh(
    agencyId: string,
    channelId: string,
    platform: Platform,
    used: ChannelCredentials,
    reason: RefreshReason,
  ): Promise<ChannelCredentials | null> {
    // What the platform granted in this call, once it has (set inside the transaction).
    const grant: { tokens?: ChannelCredentials } = {};
    try {
      const result = await this.db.run(agencyId, async (tx) => {
        const current = await this.credentials.openLocked(tx, channelId);
        if (!current) return null;
        const unsaved = this.unsaved.madeWith(channelId, current.refreshToken);
        if (unsaved) {
          // An earlier grant's answer that could not be stored: the token it was made with may be dead.
          await this.credentials.replace(tx, channelId, unsaved);
          this.logger.log(`channel ${channelId}: stored the ${platform} tokens an earlier refresh could not`);
          return unsaved;
        }
        if (current.accessToken !== used.accessToken) return current;
        if (reason === 'expiring' && !this.expiresSoon(platform, current)) return current;
        const oauth = oauthClientFor(this.config.platforms, platform);
        if (!oauth || !current.refreshToken) {
          throw new ConnectorError(
            'AUTH_EXPIRED',
            `${platform} channel token refused and cannot be refreshed`,
          );
        }
        const answer = await refreshGrant(
          oauth.name,
          oauth.client,
          current.refreshToken,
          this.config.platforms.timeoutMs,
        );
        const next = grantedCredentials(current, answer);
        grant.tokens = next;
        this.unsaved.remember(channelId, current.refreshToken, next);
        await this.credentials.replace(tx, channelId, next);
        this.logger.log(`channel ${channelId}: ${platform} access token refreshed (${reason})`);
        return next;
      });
      if (result) this.unsaved.forget(channelId, result);
      return result;
    } catch (e) {
      if (!grant.tokens) throw e;
      return this.storeUnsaved(agencyId, channelId, grant.tokens, e);
    }
  }

  /**
   * The platform granted new tokens but the transaction that stored them failed (after the grant,
   * the refresh token it used may be dead: X, TikTok). Stores them in a new transaction, retried for a
   * few seconds; should the database stay away, rethrows `error` (the job runs again later) and the
   * tokens wait in UnsavedGrants for this channel's next refresh. Answers what is stored then: these
   * tokens, or the channel's current ones when a reconnect stored others meanwhile; null when the
   * channel stopped being ACTIVE.
   */
  private async storeUnsaved(
    agencyId: string,
    channelId: string,
    tokens: ChannelCredentials,
    error: unknown,
  ): Promise<ChannelCredentials | null> {
    this.logger.warn(`channel ${channelId}: refreshed tokens not stored (${String(error)}); storing again`);
    for (const delay of STORE_RETRY_DELAYS_MS) {
      await sleep(delay);
      try {
        const stored = await this.db.run(agencyId, async (tx) => {
          const current = await this.credentials.openLocked(tx, channelId);
          if (!current) return null;
          if (this.unsaved.madeWith(channelId, current.refreshToken) !== tokens) return current;
          await this.credentials.replace(tx, channelId, tokens);
          return tokens;
        });
        this.unsaved.forget(channelId, tokens);
        this.logger.log(`channel ${channelId}: refreshed tokens stored on a second try`);
        return stored;
      } catch (again) {
        this.logger.warn(`channel ${channelId}: storing refreshed tokens failed again: ${String(again)}`);
      }
    }
    throw error;
  }
}

/** The channel's credentials after a grant: the new access token, a rotated refresh token, the expiry. */
function grantedCredentials(current: ChannelCredentials, granted: GrantedTokens): ChannelCredentials {
  const next: ChannelCredentials = {
    ...current,
    accessToken: granted.accessToken,
    refreshToken: granted.refreshToken ?? current.refreshToken,
  };
  if (granted.expiresInSeconds) {
    next.expiresAt = new Date(Date.now() + granted.expiresInSeconds * 1000).toISOString();
  } else {
    delete next.expiresAt;
  }
  return next;
}

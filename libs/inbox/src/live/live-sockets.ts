import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig, RequestContext } from '@caredesk/core';
import { AuthService } from '@caredesk/identity';
import { LiveConnection } from './live-connection';
import { PresenceService } from './presence.service';

/**
 * Close codes for a refused `connection_init`, after the graphql-ws protocol's own: 4401 when the
 * token grants nothing (the client should sign in again rather than retry), 4403 when it is valid
 * but the agency requires two-factor sign-in the token has not passed.
 */
export const CLOSE_UNAUTHORIZED = {
  code: 4401,
  reason: 'Unauthorized: a valid access token or API key is required',
};
export const CLOSE_TWO_FACTOR = { code: 4403, reason: 'Forbidden: your agency requires two-factor sign-in' };

export type OpenResult = { connection: LiveConnection } | { refused: { code: number; reason: string } };

/** Opens and closes graphql-ws connections: authentication at `connection_init`, clean-up at close. */
@Injectable()
export class LiveSockets {
  private readonly logger = new Logger(LiveSockets.name);
  private readonly scopeCacheMs: number;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly auth: AuthService,
    private readonly presence: PresenceService,
  ) {
    this.scopeCacheMs = config.live.scopeCacheSeconds * 1000;
  }

  /**
   * `connectionParams.authorization` is `Bearer <access token or API key>` (browsers cannot set
   * headers on a websocket). Authenticated exactly like an HTTP request, 2FA requirement included.
   */
  async open(connectionParams: Record<string, unknown> | undefined, ip?: string): Promise<OpenResult> {
    const authorization = connectionParams?.authorization ?? connectionParams?.Authorization;
    const token =
      typeof authorization === 'string' ? /^Bearer\s+(\S+)$/i.exec(authorization)?.[1] : undefined;
    if (!token) return { refused: CLOSE_UNAUTHORIZED };
    const granted = await this.auth.authenticate(token, ip).catch(() => null);
    if (!granted) return { refused: CLOSE_UNAUTHORIZED };
    if (granted.twoFactorSetupRequired) return { refused: CLOSE_TWO_FACTOR };
    const reauthenticate = async (): Promise<RequestContext | null> => {
      const again = await this.auth.authenticate(token, ip);
      return again && !again.twoFactorSetupRequired ? again.ctx : null;
    };
    const connection = new LiveConnection(
      randomUUID(),
      `Bearer ${token}`,
      ip,
      granted.ctx,
      reauthenticate,
      this.scopeCacheMs,
    );
    return { connection };
  }

  /** A closed socket takes its presence with it, so others stop seeing a viewer who left. */
  async close(connection: LiveConnection): Promise<void> {
    try {
      await this.presence.leaveAll(connection);
    } catch (e) {
      // The entries still expire after PRESENCE_TTL_SECONDS.
      this.logger.warn(`presence of a closed socket not removed: ${e instanceof Error ? e.message : e}`);
    }
  }
}

import { registerEnumType } from '@nestjs/graphql';

/** The platforms a channel can connect; the same list as the CHECK constraints on channels and channel_routes. */
export enum Platform {
  FACEBOOK_PAGE = 'FACEBOOK_PAGE',
  INSTAGRAM = 'INSTAGRAM',
  X = 'X',
  LINKEDIN = 'LINKEDIN',
  TIKTOK = 'TIKTOK',
  GOOGLE_BUSINESS = 'GOOGLE_BUSINESS',
  EMAIL = 'EMAIL',
}

registerEnumType(Platform, {
  name: 'Platform',
  description: 'A social platform (or email) a channel connects.',
});

export enum ChannelStatus {
  /** Connected and usable. */
  ACTIVE = 'ACTIVE',
  /** Connected, but the platform rejected the credentials (expired or revoked): an admin must reconnect. */
  NEEDS_RECONNECT = 'NEEDS_RECONNECT',
  /** Disconnected by an admin; kept for history, its account free to connect again. */
  DISCONNECTED = 'DISCONNECTED',
}

registerEnumType(ChannelStatus, { name: 'ChannelStatus' });

/**
 * The form an external account id is stored and routed in. Email addresses are case-insensitive in
 * practice, so `Support@Brand.com` and `support@brand.com` must claim the same route; the other
 * platforms' ids (numeric ids, URNs, `accounts/…/locations/…`) are case-sensitive and kept as given.
 */
export function normalizeExternalAccountId(platform: Platform, externalAccountId: string): string {
  const id = externalAccountId.trim();
  return platform === Platform.EMAIL ? id.toLowerCase() : id;
}

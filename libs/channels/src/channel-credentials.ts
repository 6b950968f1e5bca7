import { AppError } from '@caredesk/core';
import { ChannelCredentialsInput } from './dto/channel-credentials.input';

/** What connectors get back from `ChannelCredentialsService.open`. */
export interface ChannelCredentials {
  accessToken?: string;
  accessTokenSecret?: string;
  refreshToken?: string;
  /** ISO 8601 */
  expiresAt?: string;
  /** Platform-specific fields (SMTP password, page-scoped ids…). */
  extra: Record<string, string>;
}

/**
 * Turns validated GraphQL input into the record that gets sealed. Throws BAD_USER_INPUT (field
 * `credentials`) when no secret is given or an `extra` key repeats: class-validator checks each field,
 * not these rules across fields.
 */
export function credentialsFromInput(input: ChannelCredentialsInput | null | undefined): ChannelCredentials {
  const extra: Record<string, string> = {};
  for (const { key, value } of input?.extra ?? []) {
    if (Object.prototype.hasOwnProperty.call(extra, key)) {
      throw AppError.badInput(`Credential field "${key}" is given twice`, 'credentials');
    }
    extra[key] = value;
  }
  const creds: ChannelCredentials = { extra };
  if (input?.accessToken) creds.accessToken = input.accessToken;
  if (input?.accessTokenSecret) creds.accessTokenSecret = input.accessTokenSecret;
  if (input?.refreshToken) creds.refreshToken = input.refreshToken;
  if (input?.expiresAt) creds.expiresAt = input.expiresAt.toISOString();
  if (
    !creds.accessToken &&
    !creds.accessTokenSecret &&
    !creds.refreshToken &&
    Object.keys(extra).length === 0
  ) {
    throw AppError.badInput('Give at least one credential (a token or an extra field)', 'credentials');
  }
  return creds;
}

/** Names of the fields given, for the audit log (never the values). */
export function credentialFieldNames(creds: ChannelCredentials): string[] {
  const names = (['accessToken', 'accessTokenSecret', 'refreshToken', 'expiresAt'] as const).filter(
    (k) => creds[k],
  );
  return [...names, ...Object.keys(creds.extra).map((k) => `extra.${k}`)];
}

import { AppError, ErrorCode } from '@caredesk/core';

/** Expected failures of the channels context (so logs name it); codes map to `extensions.code`. */
export class ChannelError extends AppError {
  static accountTaken(): ChannelError {
    return new ChannelError(ErrorCode.CONFLICT, 'This account is already connected');
  }
}

/**
 * Sealed credentials that do not open: a ciphertext not made for this row (copied from another), a
 * retired key, or tampering. Not a client error: a connector that meets it should ask for a reconnect.
 */
export class CredentialsUnreadableError extends Error {
  override name = 'CredentialsUnreadableError';
  constructor(readonly channelId: string) {
    super(`Credentials of channel ${channelId} cannot be opened`);
  }
}

import { isUuid, randomToken, sha256 } from '@caredesk/core';

/**
 * An invitation token reads `<agencyId>.<secret>`. The agency id lets an anonymous request find the
 * invitation inside that tenant's RLS scope; only sha256(secret) is stored.
 */
export function newInvitationToken(agencyId: string): { token: string; tokenHash: string } {
  const secret = randomToken();
  return { token: `${agencyId}.${secret}`, tokenHash: sha256(secret) };
}

/** Returns null for anything that cannot be a token we issued (it then behaves like an unknown one). */
export function parseInvitationToken(token: string): { agencyId: string; tokenHash: string } | null {
  const dot = token.indexOf('.');
  const agencyId = token.slice(0, dot);
  const secret = token.slice(dot + 1);
  if (dot < 0 || !isUuid(agencyId) || !/^[A-Za-z0-9_-]{16,128}$/.test(secret)) return null;
  return { agencyId: agencyId.toLowerCase(), tokenHash: sha256(secret) };
}

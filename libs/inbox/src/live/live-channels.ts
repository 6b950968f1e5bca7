/** What travels on an agency's live channel. Ids only: a subscriber reads details through queries. */
export type LiveEvent =
  | { kind: 'MESSAGE_CREATED'; brandId: string; conversationId: string; messageId: string }
  | { kind: 'CONVERSATION_CHANGED'; brandId: string; conversationId: string; change: string }
  | { kind: 'MESSAGE_UPDATED'; brandId: string; conversationId: string; messageId: string; change: string }
  | { kind: 'PRESENCE_CHANGED'; brandId: string; conversationId: string };

/**
 * One Redis channel per agency, so an API process subscribes only to the agencies its connected
 * clients belong to and never receives the others' traffic. The queue prefix keeps deployments (and
 * parallel test files) sharing one Redis apart.
 */
export function agencyChannel(prefix: string, agencyId: string): string {
  return `${prefix}:live:agency:${agencyId}`;
}

/** Names of the bull queues. Producers (API) and processors (worker) refer to queues only through these. */
export const QUEUES = {
  MAIL: 'mail',
  /** inbound_events → conversations and messages (job data: { agencyId, eventId }) */
  INGEST: 'ingest',
  /** outbound_messages → platform APIs (job data: { agencyId, outboundId }) */
  SEND: 'send',
  /** copies of platform attachments before their URLs expire (job data: { agencyId, messageId }) */
  ATTACHMENTS: 'attachments',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

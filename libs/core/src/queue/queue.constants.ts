/** Names of the bull queues. Producers (API) and processors (worker) refer to queues only through these. */
export const QUEUES = {
  MAIL: 'mail',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

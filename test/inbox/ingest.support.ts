import { randomUUID } from 'node:crypto';
import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import type { NormalizedEvent, NormalizedMessage } from '@caredesk/channels';
import { ConnectorRegistry } from '@caredesk/channels';
import { QUEUES } from '@caredesk/core';
import { IngestService } from '@caredesk/inbox';
import { Pipeline, SignedUp } from '../support/pipeline';
import { SCRIPTED_PLATFORM, scriptedConnector } from './scripted-connector';

export { SCRIPTED_PLATFORM, scriptedConnector };

export function installScriptedConnector(p: Pipeline): void {
  p.worker!.app.get(ConnectorRegistry).override(scriptedConnector);
}

let seq = 0;
const nextId = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++seq}`;

/** A customer message with sensible defaults; `customerId` decides the DM thread. */
export function message(over: Partial<NormalizedMessage> & { customerId?: string } = {}): NormalizedMessage {
  const { customerId = 'cust-1', ...rest } = over;
  return {
    type: 'message',
    kind: 'DM',
    direction: 'INBOUND',
    visibility: 'PRIVATE',
    externalId: nextId('m'),
    threadKey: `dm:${customerId}`,
    parentExternalId: null,
    customer: {
      externalUserId: customerId,
      username: `user_${customerId}`,
      displayName: 'Casey Customer',
      avatarUrl: null,
    },
    body: 'Hello, my order has not arrived',
    subject: null,
    rating: null,
    attachments: [],
    occurredAt: new Date(),
    replyContext: {},
    ...rest,
  };
}

/** A comment on `postId` in the thread of top-level comment `topId` (itself when `parent` is null). */
export function comment(
  postId: string,
  topId: string,
  id: string,
  parent: string | null,
  author = 'fan-1',
): NormalizedMessage {
  return message({
    kind: 'COMMENT',
    visibility: 'PUBLIC',
    externalId: id,
    threadKey: `comment:${postId}:${topId}`,
    parentExternalId: parent,
    customerId: author,
    body: `comment ${id}`,
  });
}

export interface Tenant {
  agencyId: string;
  brandId: string;
  channelId: string;
}

/** A new agency with a brand and a channel on the scripted platform, and its owner (for GraphQL). */
export async function tenant(p: Pipeline): Promise<Tenant & { owner: SignedUp }> {
  const owner = await p.signUp();
  const brandId = await p.createBrand(owner);
  const channel = await p.connectChannel(owner, brandId, SCRIPTED_PLATFORM);
  return { agencyId: owner.agencyId, brandId, channelId: channel.id, owner };
}

/**
 * Stores a delivery the way the webhook writer does (a PENDING inbound_events row, written as the
 * owner) carrying `events`; returns its id. Not enqueued: call `ingest` or `enqueue`.
 */
export async function storeEvent(
  p: Pipeline,
  t: Tenant,
  events: NormalizedEvent[] | { fail: string },
  eventKey = nextId('evt'),
): Promise<string> {
  const id = randomUUID();
  const payload = Array.isArray(events) ? { events } : events;
  await p.t.ownerQuery(
    `INSERT INTO inbound_events (agency_id, id, brand_id, channel_id, platform, event_key, payload)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [t.agencyId, id, t.brandId, t.channelId, SCRIPTED_PLATFORM, eventKey, JSON.stringify(payload)],
  );
  return id;
}

/** Runs the ingest of one event in the test's worker, as the processor does (errors included). */
export function ingest(p: Pipeline, t: Tenant, eventId: string) {
  return p.worker!.app.get(IngestService).process(t.agencyId, eventId);
}

/** Puts jobs on the ingest queue (through the API's queue: the same Redis and prefix as the worker). */
export async function enqueue(p: Pipeline, t: Tenant, eventIds: string[], jobIds?: string[]): Promise<void> {
  const queue = p.t.app.get<Queue>(getQueueToken(QUEUES.INGEST));
  await queue.addBulk(
    eventIds.map((eventId, i) => ({
      data: { agencyId: t.agencyId, eventId },
      opts: { jobId: jobIds?.[i] ?? eventId, removeOnComplete: true },
    })),
  );
}

/** Stores and processes one delivery; returns the event id. */
export async function deliver(p: Pipeline, t: Tenant, ...events: NormalizedEvent[]): Promise<string> {
  const id = await storeEvent(p, t, events);
  await ingest(p, t, id);
  return id;
}

export async function eventRow(p: Pipeline, t: Tenant, id: string) {
  const [row] = await p.t.ownerQuery(
    `SELECT status, attempts, last_error, processed_at FROM inbound_events WHERE agency_id = $1 AND id = $2`,
    [t.agencyId, id],
  );
  return row;
}

export async function messageRow(p: Pipeline, t: Tenant, externalId: string) {
  const [row] = await p.t.ownerQuery(
    `SELECT m.*, c.status AS conversation_status, c.kind AS conversation_kind FROM messages m
       JOIN conversations c ON c.agency_id = m.agency_id AND c.id = m.conversation_id
      WHERE m.agency_id = $1 AND m.channel_id = $2 AND m.external_id = $3`,
    [t.agencyId, t.channelId, externalId],
  );
  return row;
}

/** Marks a conversation resolved `hoursAgo` hours ago, as an agent would have. */
export async function resolve(
  p: Pipeline,
  t: Tenant,
  conversationId: string,
  hoursAgo: number,
): Promise<void> {
  await p.t.ownerQuery(
    `UPDATE conversations SET status = 'RESOLVED', resolved_at = now() - make_interval(secs => $3::float8 * 3600)
      WHERE agency_id = $1 AND id = $2`,
    [t.agencyId, conversationId, hoursAgo],
  );
}

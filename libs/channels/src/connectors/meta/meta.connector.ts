import { Platform } from '../../platform';
import {
  NormalizedEvent,
  OutboundRequest,
  PlatformConnector,
  SendResult,
  WebhookRequest,
  WebhookVerdict,
} from '../connector';
import { normalizeFeedChange, normalizeInstagramChange } from './meta-changes.normalize';
import { MetaGraphClient } from './meta-graph.client';
import { hydrateMentions, needsMentionHydration } from './meta-mention-hydration';
import { normalizeMessagingEvent } from './meta-messaging.normalize';
import { fromEpoch } from './meta-normalize.util';
import { MetaEntry } from './meta.types';
import { MetaWebhookSettings, verifyMetaWebhook } from './meta-webhook';
import { sendToMeta } from './meta-send';
import { reconcileWithMeta } from './meta-reconcile';

export interface MetaConnectorSettings extends MetaWebhookSettings {
  apiUrl: string;
  timeoutMs: number;
}

/** Facebook Pages (feed comments, Messenger) and Instagram (comments, mentions, DMs): one app, one secret. */
export class MetaConnector implements PlatformConnector {
  readonly name = 'meta' as const;
  readonly platforms = [Platform.FACEBOOK_PAGE, Platform.INSTAGRAM];
  private readonly graph: MetaGraphClient;

  constructor(private readonly settings: MetaConnectorSettings) {
    this.graph = new MetaGraphClient({
      apiUrl: settings.apiUrl,
      timeoutMs: settings.timeoutMs,
      appSecret: settings.appSecret,
    });
  }

  /** Without the app secret no delivery can be verified: the webhook answers "not configured". */
  isConfigured(): boolean {
    return !!this.settings.appSecret;
  }

  verifyWebhook(req: WebhookRequest): WebhookVerdict {
    return verifyMetaWebhook(this.settings, req);
  }

  /** One stored `entry` → its events; an entry may carry several changes or messaging events. */
  normalize(delivery: {
    platform: Platform;
    externalAccountId: string;
    payload: unknown;
  }): NormalizedEvent[] {
    const entry = (delivery.payload ?? {}) as MetaEntry;
    const accountId = delivery.externalAccountId;
    const entryTime = fromEpoch(entry.time) ?? new Date();
    const out: NormalizedEvent[] = [];
    for (const change of entry.changes ?? []) {
      out.push(
        ...(delivery.platform === Platform.INSTAGRAM
          ? normalizeInstagramChange(accountId, change, entryTime)
          : normalizeFeedChange(accountId, change, entryTime)),
      );
    }
    for (const event of [...(entry.messaging ?? []), ...(entry.standby ?? [])]) {
      out.push(...normalizeMessagingEvent(delivery.platform, accountId, event, entryTime));
    }
    return out;
  }

  /** Only Instagram mentions name what they are about without carrying it: see hydrateMentions. */
  needsHydration(delivery: { platform: Platform; externalAccountId: string; payload: unknown }): boolean {
    return needsMentionHydration(delivery);
  }

  hydrate(
    delivery: { platform: Platform; externalAccountId: string; payload: unknown },
    credentials: Record<string, unknown>,
  ): Promise<MetaEntry> {
    return hydrateMentions(this.graph, delivery, credentials);
  }

  send(request: OutboundRequest): Promise<SendResult> {
    return sendToMeta(this.graph, request);
  }

  reconcile(request: OutboundRequest): Promise<SendResult | null> {
    return reconcileWithMeta(this.graph, request);
  }
}

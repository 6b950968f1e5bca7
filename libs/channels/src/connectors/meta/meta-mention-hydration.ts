import { Platform } from '../../platform';
import { ConnectorError } from '../connector';
import { MetaGraphClient } from './meta-graph.client';
import { readMentioned } from './meta-mentioned';
import { str } from './meta-normalize.util';
import { IgMentionValue, MetaChange, MetaEntry } from './meta.types';

type Delivery = { platform: Platform; externalAccountId: string; payload: unknown };

const COMMENT_FIELDS = 'id,text,timestamp,username,media{id,permalink}';
const MEDIA_FIELDS = 'id,caption,media_type,media_url,permalink,timestamp,username';

/** The `mentions` changes of an Instagram entry that still carry only ids. */
function unhydratedMentions(delivery: Delivery): MetaChange[] {
  if (delivery.platform !== Platform.INSTAGRAM) return [];
  const entry = (delivery.payload ?? {}) as MetaEntry;
  return (entry.changes ?? []).filter((c) => {
    if (c.field !== 'mentions') return false;
    const v = (c.value ?? {}) as IgMentionValue;
    return str(v.comment_id) ? !v.mentioned_comment : !!str(v.media_id) && !v.mentioned_media;
  });
}

export function needsMentionHydration(delivery: Delivery): boolean {
  return unhydratedMentions(delivery).length > 0;
}

/**
 * Reads what each mention names (Instagram "Mentions" guide; readMentioned): a comment @mention
 * through `mentioned_comment`, a caption @mention through `mentioned_media`, and returns the entry
 * with the answers added to the change values. Graph failures are ConnectorErrors: the ingest worker counts the attempt and tries again
 * (FAILED after the last one, listed by failedInboundEvents, retried with retryInboundEvent).
 */
export async function hydrateMentions(
  graph: MetaGraphClient,
  delivery: Delivery,
  credentials: Record<string, unknown>,
): Promise<MetaEntry> {
  const entry = (delivery.payload ?? {}) as MetaEntry;
  const pending = new Set(unhydratedMentions(delivery));
  if (pending.size === 0) return entry;
  const token = typeof credentials.accessToken === 'string' ? credentials.accessToken : '';
  if (!token) throw new ConnectorError('AUTH_EXPIRED', 'Instagram channel has no access token');
  const changes: MetaChange[] = [];
  for (const change of entry.changes ?? []) {
    if (!pending.has(change)) {
      changes.push(change);
      continue;
    }
    const v = (change.value ?? {}) as IgMentionValue;
    const commentId = str(v.comment_id);
    const [kind, id, fields] = commentId
      ? (['comment', commentId, COMMENT_FIELDS] as const)
      : (['media', str(v.media_id)!, MEDIA_FIELDS] as const);
    const read = await readMentioned(graph, delivery.externalAccountId, token, kind, id, fields);
    changes.push({ ...change, value: { ...v, [`mentioned_${kind}`]: read ?? { id } } });
  }
  return { ...entry, changes };
}

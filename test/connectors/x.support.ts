import { signedXDelivery } from '../fakes/x-api';
import { Pipeline } from '../support/pipeline';

/** The brand's X account and the customer in test/fixtures/x (user ids as the payloads carry them). */
export const X_FIXTURE_ACCOUNT = '3001969357';
export const X_FIXTURE_CUSTOMER = '1112223334445556667';

/**
 * A v1.1 tweet as the Account Activity API delivers it to `account` (no conversation_id): `from` wrote
 * it, in answer to `replyTo` (a tweet id, by `to`) when given. Written in id order, a second apart
 * (its time comes from the id's last six digits), so "out of order" is about delivery, not writing.
 */
export function xTweet(
  account: string,
  id: string,
  from: string,
  text: string,
  replyTo?: { id: string; to: string },
) {
  const writtenAt = Number(id.slice(-6)) * 1000 + 1795250000000;
  return {
    for_user_id: account,
    tweet_create_events: [
      {
        created_at: new Date(writtenAt).toUTCString(),
        id_str: id,
        text,
        in_reply_to_status_id_str: replyTo?.id ?? null,
        in_reply_to_user_id_str: replyTo?.to ?? null,
        in_reply_to_screen_name: null,
        user: { id_str: from, screen_name: `u${from.slice(-4)}`, name: `User ${from.slice(-4)}` },
        entities: {
          user_mentions: from === account ? [] : [{ screen_name: 'CaredeskBrand', id_str: account }],
        },
        timestamp_ms: String(writtenAt),
      },
    ],
  };
}

/** POSTs `body` to /webhooks/x signed with `secret` (or with `headers` as given). */
export function postToX(p: Pipeline, secret: string, body: unknown, headers?: Record<string, string>) {
  const signed = signedXDelivery(body, secret);
  return fetch(`${p.t.baseUrl}/webhooks/x`, {
    method: 'POST',
    headers: headers ?? signed.headers,
    body: signed.rawBody,
  });
}

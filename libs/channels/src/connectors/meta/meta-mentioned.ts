import { MetaGraphClient } from './meta-graph.client';

/** What an Instagram mention names: a comment that @mentions the account, or a captioned media. */
export type MentionedKind = 'comment' | 'media';

/**
 * Reads the comment or media a mention names through the IG User's mention fields (Instagram Graph
 * API reference, "IG User Mentioned Comment" / "Mentioned Media"):
 * GET /{ig-user-id}?fields=mentioned_comment.comment_id({id}){fields} (or mentioned_media.media_id).
 * It is the only way in: "Requests cannot be performed on comments discovered through the Mentions
 * API unless the request is made by the comment owner. Instead, use the Mentioned Comment node."
 * (IG Comment reference). Answers the field's value; throws what the Graph API answers.
 */
export async function readMentioned<T>(
  graph: MetaGraphClient,
  igUserId: string,
  token: string,
  kind: MentionedKind,
  id: string,
  fields: string,
): Promise<T | undefined> {
  const key = `mentioned_${kind}`;
  const res = await graph.call<Record<string, T | undefined>>(
    'GET',
    `/${encodeURIComponent(igUserId)}`,
    token,
    undefined,
    { fields: `${key}.${kind}_id(${id}){${fields}}` },
  );
  return res[key];
}

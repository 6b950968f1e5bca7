/**
 * Whether `platformText` (what a platform answers for a post it stored) is the `sent` body: platforms
 * rewrite links (X's t.co), escape &, < and > in tweets, and trim. Used to reconcile a send whose
 * answer was lost: the newest thing the account said in that thread is this reply.
 */
export function sameSentText(platformText: string | undefined, sent: string): boolean {
  if (typeof platformText !== 'string') return false;
  const norm = (s: string) =>
    s
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&')
      .replace(/https?:\/\/\S+/g, '<link>')
      .replace(/\s+/g, ' ')
      .trim();
  return norm(platformText) === norm(sent);
}

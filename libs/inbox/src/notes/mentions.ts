/**
 * Mention syntax in notes: `@handle`, where handle is the local part of a member's email
 * (`@jane.doe` for jane.doe@agency.com), or `@` followed by the whole email (`@jane@agency.com`)
 * when two members share a local part. Case-insensitive. A handle must start after a space,
 * punctuation or the start of the text, so an email address written in a note mentions nobody;
 * trailing punctuation ("@jane.") is not part of the handle.
 */
const MENTION = /(?<![\p{L}\p{N}._%+-])@([\p{L}\p{N}._%+-]+(?:@[\p{L}\p{N}.-]+\.[\p{L}]{2,})?)/gu;

/** The handles mentioned in `body`, lower-case, de-duplicated, in order of first appearance. */
export function parseMentions(body: string): string[] {
  const handles = new Set<string>();
  for (const match of body.matchAll(MENTION)) {
    const handle = match[1].replace(/[._%+-]+$/u, '').toLowerCase();
    if (handle) handles.add(handle);
  }
  return [...handles];
}

/** Does `handle` (from parseMentions) name the member with `email`? */
export function mentionMatches(handle: string, email: string): boolean {
  const e = email.toLowerCase();
  return handle.includes('@') ? handle === e : e.slice(0, e.lastIndexOf('@')) === handle;
}

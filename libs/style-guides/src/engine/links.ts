import { domainToASCII } from 'node:url';
import LinkifyIt from 'linkify-it';
import { regexen } from 'twitter-text';

/**
 * Every top-level domain X's reference implementation knows (twitter-text's gTLD and ccTLD lists,
 * IDN TLDs included): a bare "scam.top" or "evil.fun" is a link as much as "brand.com", while "e.g.",
 * "f.eks." or "fil.txt" are not.
 */
const TLDS = [regexen.validGTLD, regexen.validCCTLD].flatMap((re) =>
  re.source
    .replace(/^\(\?:\(\?:/, '')
    .replace(/\)\(\?=.*$/, '')
    .split('|')
    .filter((t) => t.length > 0),
);

/**
 * Links as platforms autolink them: with a scheme (http, https, ftp, //), "www.", or a bare domain
 * with a known TLD or an IP address. E-mail addresses are not links.
 */
const linkify = new LinkifyIt({}, { fuzzyLink: true, fuzzyEmail: false, fuzzyIP: true })
  .add('mailto:', null)
  .tlds(TLDS, false);

export interface FoundLink {
  start: number;
  end: number;
  /** Lower-case ASCII (punycode) host, without port or user info; null when it cannot be parsed. */
  host: string | null;
}

export function findLinks(body: string): FoundLink[] {
  if (!linkify.pretest(body)) return [];
  return (linkify.match(body) ?? []).map((m) => ({ start: m.index, end: m.lastIndex, host: hostOf(m.url) }));
}

/**
 * The host a browser would open, parsed the WHATWG way (what browsers and platforms' link
 * previews do): "https://evil.com\\@brand.com" goes to evil.com (a backslash ends the authority),
 * "https://brand.com@evil.com" to evil.com (user info), IDNs to punycode.
 */
function hostOf(url: string): string | null {
  try {
    const host = new URL(url).hostname.toLowerCase().replace(/\.$/, '');
    return host || null;
  } catch {
    return null;
  }
}

/** True when `host` is one of `domains` or a subdomain of one. */
export function hostAllowed(host: string | null, domains: readonly string[]): boolean {
  if (!host) return false;
  return domains.some((d) => host === d || host.endsWith(`.${d}`));
}

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * A domain a manager allows, as stored: lower-case ASCII (IDNs in punycode, "bråkmakare.no" →
 * "xn--brkmakare-62a.no"). Null when it is not a plain, well-formed domain name (no scheme, path,
 * port, wildcard or IP address).
 */
export function normalizeDomain(input: string): string | null {
  const text = input.trim().toLowerCase().replace(/\.$/, '');
  if (!text || text.length > 253 || /[\s/:@*?#]/.test(text)) return null;
  const ascii = domainToASCII(text);
  if (!ascii) return null;
  const labels = ascii.split('.');
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l))) return null;
  const tld = labels[labels.length - 1];
  if (!/^(?:[a-z]{2,63}|xn--[a-z0-9-]+)$/.test(tld)) return null;
  return ascii;
}

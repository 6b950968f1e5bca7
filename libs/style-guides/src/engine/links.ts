import { domainToASCII } from 'node:url';

/**
 * Top-level domains a bare "brand.com" is recognised by (platforms autolink these too). Links with
 * a scheme or "www." are found whatever their TLD; a bare name needs one of these, so "e.g." or
 * "file.txt" is not a link.
 */
const BARE_TLDS = [
  'com',
  'net',
  'org',
  'info',
  'biz',
  'io',
  'co',
  'app',
  'dev',
  'ai',
  'me',
  'ly',
  'gl',
  'gg',
  'tv',
  'shop',
  'store',
  'online',
  'site',
  'link',
  'xyz',
  'eu',
  'uk',
  'us',
  'ca',
  'au',
  'nz',
  'de',
  'fr',
  'es',
  'it',
  'nl',
  'be',
  'ch',
  'at',
  'no',
  'se',
  'dk',
  'fi',
  'is',
  'pl',
  'cz',
  'sk',
  'pt',
  'ie',
  'id',
  'vn',
  'sg',
  'my',
  'ph',
  'th',
  'jp',
  'kr',
  'cn',
  'in',
  'br',
  'mx',
  'ru',
  'ua',
].join('|');

const URL_TEXT = `[^\\s<>"'\`]*`;
const LINK = new RegExp(
  [
    `(?<![\\p{L}\\p{N}])(?:https?:\\/\\/|www\\.)[^\\s<>"'\`]+`,
    // A bare domain, not part of an email address, a path or a longer word.
    `(?<![\\p{L}\\p{N}\\p{M}@.\\/-])(?:[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]{0,61}[\\p{L}\\p{N}])?\\.)+(?:${BARE_TLDS})(?![\\p{L}\\p{N}\\p{M}-])(?:[\\/?#]${URL_TEXT})?`,
  ].join('|'),
  'giu',
);

/** Sentence punctuation after a link is not part of it ("see brand.com/help."). */
const TRAILING = /[.,;:!?)\]}'"»”’]+$/u;

export interface FoundLink {
  start: number;
  end: number;
  /** Lower-case ASCII (punycode) host, without port or user info; null when it cannot be parsed. */
  host: string | null;
}

export function findLinks(body: string): FoundLink[] {
  const found: FoundLink[] = [];
  for (const m of body.matchAll(LINK)) {
    const text = m[0].replace(TRAILING, '');
    if (!text) continue;
    found.push({ start: m.index, end: m.index + text.length, host: hostOf(text) });
  }
  return found;
}

function hostOf(link: string): string | null {
  const withoutScheme = link.replace(/^https?:\/\//i, '');
  const authority = withoutScheme.split(/[/?#]/, 1)[0];
  const host = authority
    .slice(authority.lastIndexOf('@') + 1)
    .replace(/:\d*$/, '')
    .replace(/\.$/, '');
  const ascii = domainToASCII(host.toLowerCase());
  return ascii || null;
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

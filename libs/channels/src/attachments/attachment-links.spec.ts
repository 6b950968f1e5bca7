import type { AppConfig } from '@caredesk/core';
import { AttachmentLinks, AttachmentRef } from './attachment-links';

const config = (jwtSecret = 'j'.repeat(40), ttl = 3600) =>
  ({
    auth: { jwtSecret },
    attachments: { linkTtlSeconds: ttl },
    publicApiUrl: 'https://api.example',
  }) as unknown as AppConfig;
const ref: AttachmentRef = {
  agencyId: '11111111-1111-4111-8111-111111111111',
  brandId: '22222222-2222-4222-8222-222222222222',
  sha256: 'a'.repeat(64),
  name: 'kvittering/mai 2026.pdf',
};
const parts = (url: string) => {
  const u = new URL(url);
  return {
    path: u.pathname,
    expires: u.searchParams.get('expires')!,
    signature: u.searchParams.get('signature')!,
  };
};

describe('AttachmentLinks', () => {
  const links = new AttachmentLinks(config());
  const now = Date.UTC(2026, 10, 24, 10, 20, 0);

  it('signs every part of the path; the name is one escaped segment', () => {
    const { path, expires, signature } = parts(links.url(ref, now));
    expect(path).toBe(
      `/attachments/${ref.agencyId}/${ref.brandId}/${ref.sha256}/kvittering%2Fmai%202026.pdf`,
    );
    expect(links.verify(ref, expires, signature, now)).toEqual({ ok: true });
    for (const changed of [
      { ...ref, agencyId: '33333333-3333-4333-8333-333333333333' },
      { ...ref, brandId: '33333333-3333-4333-8333-333333333333' },
      { ...ref, sha256: 'b'.repeat(64) },
      { ...ref, name: 'kvittering.html' },
    ]) {
      expect(links.verify(changed, expires, signature, now)).toEqual({ ok: false, reason: 'BAD_SIGNATURE' });
    }
    expect(links.verify(ref, String(Number(expires) + 1), signature, now).ok).toBe(false);
    expect(links.verify(ref, expires, undefined, now).ok).toBe(false);
    expect(links.verify(ref, 'soon', signature, now).ok).toBe(false);
  });

  it('a key from another JWT_SECRET does not verify (links die with a rotated secret)', () => {
    const { expires, signature } = parts(links.url(ref, now));
    expect(new AttachmentLinks(config('k'.repeat(40))).verify(ref, expires, signature, now).ok).toBe(false);
  });

  it('expiry on the TTL grid: one link per window, valid between TTL and 2 × TTL, then LINK_EXPIRED', () => {
    const a = parts(links.url(ref, now));
    expect(parts(links.url(ref, now + 30 * 60_000))).toEqual(a); // same hour → same link
    const left = Number(a.expires) - now / 1000;
    expect(left).toBeGreaterThan(3600);
    expect(left).toBeLessThanOrEqual(7200);
    expect(links.verify(ref, a.expires, a.signature, Number(a.expires) * 1000 - 1)).toEqual({ ok: true });
    expect(links.verify(ref, a.expires, a.signature, Number(a.expires) * 1000)).toEqual({
      ok: false,
      reason: 'LINK_EXPIRED',
    });
  });
});

import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@caredesk/core';

/** What a download link names: the bytes of one brand's attachment, and the file name to save it as. */
export interface AttachmentRef {
  agencyId: string;
  brandId: string;
  /** SHA-256 (hex) of the bytes: attachment_contents' key. */
  sha256: string;
  name: string;
}

export type LinkVerdict = { ok: true } | { ok: false; reason: 'BAD_SIGNATURE' | 'LINK_EXPIRED' };

/**
 * Signed download links for attachments Caredesk keeps (email): the API hands one out with the
 * message to a caller who may read it (conversation(id), the inbox page), and the download endpoint
 * serves whoever presents it until it expires — so an `<img src>` or a click in the dashboard works
 * without a bearer header, like an S3 pre-signed URL.
 *
 * `/attachments/<agency>/<brand>/<sha256>/<name>?expires=<unix s>&signature=<base64url HMAC-SHA256>`
 * over every part of the path and the expiry, with a key derived from JWT_SECRET (HKDF, its own
 * label, so a link's MAC can never be confused with a token's). The expiry is rounded up to the
 * TTL's grid: one link per window, which the browser caches, valid for TTL to 2 × TTL.
 */
@Injectable()
export class AttachmentLinks {
  private readonly key: Buffer;
  private readonly ttl: number;
  private readonly base: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.key = Buffer.from(
      hkdfSync('sha256', config.auth.jwtSecret, 'caredesk', 'attachment download links v1', 32),
    );
    this.ttl = config.attachments.linkTtlSeconds;
    this.base = config.publicApiUrl;
  }

  url(ref: AttachmentRef, now = Date.now()): string {
    const expires = (Math.floor(now / 1000 / this.ttl) + 2) * this.ttl;
    return `${this.base}${pathOf(ref)}?expires=${expires}&signature=${this.sign(ref, expires)}`;
  }

  verify(
    ref: AttachmentRef,
    expires: string | undefined,
    signature: string | undefined,
    now = Date.now(),
  ): LinkVerdict {
    if (!expires || !/^\d{1,12}$/.test(expires) || !signature) return { ok: false, reason: 'BAD_SIGNATURE' };
    const given = Buffer.from(signature, 'base64url');
    const expected = Buffer.from(this.sign(ref, Number(expires)), 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return { ok: false, reason: 'BAD_SIGNATURE' };
    }
    // Checked after the signature, so an expiry is only reported for a link we issued.
    return Number(expires) * 1000 <= now ? { ok: false, reason: 'LINK_EXPIRED' } : { ok: true };
  }

  private sign(ref: AttachmentRef, expires: number): string {
    return createHmac('sha256', this.key)
      .update([ref.agencyId, ref.brandId, ref.sha256, ref.name, String(expires)].join('\n'))
      .digest('base64url');
  }
}

/** The path part of a link; the name is one segment (a "/" in it is escaped). */
export function pathOf(ref: AttachmentRef): string {
  return `/attachments/${ref.agencyId}/${ref.brandId}/${ref.sha256}/${encodeURIComponent(ref.name)}`;
}

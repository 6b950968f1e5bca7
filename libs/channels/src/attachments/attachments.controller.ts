import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import contentDisposition from 'content-disposition';
import type { Response } from 'express';
import parseRange from 'range-parser';
import { ErrorCode, isUuid } from '@caredesk/core';
import { AttachmentContentStore } from './attachment-content.store';
import { AttachmentLinks, AttachmentRef } from './attachment-links';

/** Shown in the browser; anything else is offered as a download (an HTML or SVG file would run script). */
const INLINE =
  /^(image\/(png|jpeg|gif|webp|avif)|video\/(mp4|webm|ogg|quicktime)|audio\/(mpeg|ogg|wav|webm|mp4|aac))$/;
const MIME = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;

/**
 * GET /attachments/<agency>/<brand>/<sha256>/<name>?expires&signature — the bytes of an attachment
 * Caredesk keeps (email), for whoever holds a link the API signed (AttachmentLinks). Plain HTTP, no
 * bearer token: the link is the credential, as with a pre-signed S3 URL.
 *
 * 403 FORBIDDEN (reason BAD_SIGNATURE or LINK_EXPIRED) for a link we did not issue or that ran out;
 * 404 NOT_FOUND for one whose bytes are not there. Served with `nosniff` and a sandboxing CSP, inline
 * only for raster images, video and audio. Content-addressed, so the hash is a strong ETag and a
 * revalidation is answered 304 without reading the database. One byte range is served as 206 (video
 * and audio players seek that way; Safari plays no video without it), 416 when it lies past the end;
 * several ranges, a malformed one, or an If-Range naming other bytes get the whole file (RFC 9110
 * lets a server ignore Range).
 */
@Controller('attachments')
export class AttachmentsController {
  constructor(
    private readonly links: AttachmentLinks,
    private readonly store: AttachmentContentStore,
  ) {}

  @Get(':agencyId/:brandId/:sha256/:name')
  async download(
    @Param() params: Record<'agencyId' | 'brandId' | 'sha256' | 'name', string>,
    @Query('expires') expires: string | undefined,
    @Query('signature') signature: string | undefined,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Headers('range') rangeHeader: string | undefined,
    @Headers('if-range') ifRange: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const ref: AttachmentRef = { ...params };
    if (!isUuid(ref.agencyId) || !isUuid(ref.brandId) || !/^[0-9a-f]{64}$/.test(ref.sha256)) {
      return fail(res, 404, ErrorCode.NOT_FOUND, 'Attachment not found');
    }
    const verdict = this.links.verify(ref, first(expires), first(signature));
    if (!verdict.ok) {
      return fail(
        res,
        403,
        ErrorCode.FORBIDDEN,
        verdict.reason === 'LINK_EXPIRED'
          ? 'This download link has expired: open the conversation again for a new one'
          : 'This download link is not valid',
        verdict.reason,
      );
    }
    const etag = `"${ref.sha256}"`;
    const maxAge = Math.max(0, Number(expires) - Math.floor(Date.now() / 1000));
    res.set({
      'Cache-Control': `private, max-age=${maxAge}, immutable`,
      ETag: etag,
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; sandbox",
      'Accept-Ranges': 'bytes',
    });
    if (ifNoneMatch?.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) {
      res.status(304).end();
      return;
    }
    // If-Range holds an ETag (never a date: there is no Last-Modified); only a strong match counts.
    const header = rangeHeader !== undefined && (ifRange === undefined || ifRange.trim() === etag);
    let choice: RangeChoice = { kind: 'whole' };
    const content = header
      ? await this.store.readRange(ref.agencyId, ref.brandId, ref.sha256, (size) => {
          choice = chooseRange(size, rangeHeader);
          if (choice.kind === 'unsatisfiable') return null;
          return choice.kind === 'part' ? choice : { start: 0, end: size - 1 };
        })
      : await this.store.read(ref.agencyId, ref.brandId, ref.sha256);
    if (!content) {
      res.removeHeader('ETag');
      res.set('Cache-Control', 'no-store');
      return fail(res, 404, ErrorCode.NOT_FOUND, 'Attachment not found');
    }
    const chosen = choice as RangeChoice;
    if (chosen.kind === 'unsatisfiable') {
      res.set('Content-Range', `bytes */${content.size}`);
      return fail(
        res,
        416,
        ErrorCode.BAD_USER_INPUT,
        `The range lies outside the file's ${content.size} bytes`,
      );
    }
    const type = MIME.test(content.mimeType.toLowerCase())
      ? content.mimeType.toLowerCase()
      : 'application/octet-stream';
    const bytes = content.bytes ?? Buffer.alloc(0);
    res.status(chosen.kind === 'part' ? 206 : 200).set({
      'Content-Type': type,
      'Content-Length': String(bytes.length),
      'Content-Disposition': contentDisposition(ref.name, {
        type: INLINE.test(type) ? 'inline' : 'attachment',
        fallback: asciiName(ref.name),
      }),
    });
    if (chosen.kind === 'part')
      res.set('Content-Range', `bytes ${chosen.start}-${chosen.end}/${content.size}`);
    res.end(bytes);
  }
}

type RangeChoice =
  { kind: 'whole' } | { kind: 'part'; start: number; end: number } | { kind: 'unsatisfiable' };

/**
 * What a Range header asks of a file of `size` bytes: one part (clamped to the end), nothing that
 * exists (416), or — malformed, several parts, another unit — the whole file.
 */
export function chooseRange(size: number, header: string): RangeChoice {
  const parsed = parseRange(size, header, { combine: true });
  if (parsed === -1) return { kind: 'unsatisfiable' };
  if (parsed === -2 || parsed.type !== 'bytes' || parsed.length !== 1) return { kind: 'whole' };
  return { kind: 'part', start: parsed[0].start, end: parsed[0].end };
}

/**
 * `filename=` for clients that do not read RFC 5987's `filename*`: header bytes must be ASCII to be
 * read the same everywhere, so accents are dropped and anything else non-ASCII becomes "_".
 */
function asciiName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]/g, '_');
}

/** Express hands a repeated query key over as an array. */
function first(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Errors in the API's shape: a message and a code, never a stack. */
function fail(res: Response, status: number, code: ErrorCode, message: string, reason?: string): void {
  res
    .status(status)
    .set('Cache-Control', 'no-store')
    .json({ errors: [{ message, extensions: { code, ...(reason ? { reason } : {}) } }] });
}

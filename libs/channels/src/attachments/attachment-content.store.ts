import { Injectable } from '@nestjs/common';
import { TenantDb, TenantTx } from '@caredesk/core';
import { ChannelRouteService } from '../channel-route.service';
import { InboundContent, InboundDelivery } from '../connectors/connector';

export interface StoredContent {
  mimeType: string;
  size: number;
  bytes: Buffer;
}

/**
 * attachment_contents: the bytes of attachments no platform hosts (email), per brand, by SHA-256.
 * Written by the intake before the deliveries that name them (so an event never names bytes that are
 * missing: if this fails, the delivery is refused and the sender retries), read by the download
 * endpoint. Idempotent: the same bytes again (a retry, a second mailbox) add nothing — but they set the
 * row's created_at to now: it is the time the bytes were last stored, and the garbage collector
 * (AttachmentContentCollector) leaves rows that young alone, so bytes about to be named again are never
 * deleted under the intake that names them (see migration 1764310000000).
 */
@Injectable()
export class AttachmentContentStore {
  constructor(
    private readonly routes: ChannelRouteService,
    private readonly tenantDb: TenantDb,
  ) {}

  /**
   * Stores the contents the deliveries carry, each under the brand whose channel the delivery is
   * routed to; deliveries for no connected channel are skipped (the intake drops them too).
   * Resolves once committed.
   */
  async keep(deliveries: InboundDelivery[]): Promise<void> {
    for (const d of deliveries) {
      if (!d.contents?.length) continue;
      const route = await this.routes.resolve(d.platform, d.externalAccountId);
      if (!route) continue;
      // In hash order, the order the collector deletes in: two writers of the same rows, or a writer
      // and the collector, never wait on each other in a cycle.
      const contents = [...d.contents].sort((x, y) =>
        x.sha256 < y.sha256 ? -1 : x.sha256 > y.sha256 ? 1 : 0,
      );
      await this.tenantDb.run(route.agencyId, async (tx) => {
        for (const c of contents) await insert(tx, route.brandId, c);
      });
    }
  }

  /** Stores one brand's copy of a file (a platform attachment the worker downloaded). */
  async keepOne(agencyId: string, brandId: string, content: InboundContent): Promise<void> {
    await this.tenantDb.run(agencyId, (tx) => insert(tx, brandId, content));
  }

  /** The bytes, or null when this brand of this agency has none with that hash. */
  async read(agencyId: string, brandId: string, sha256: string): Promise<StoredContent | null> {
    const rows = await this.tenantDb.run(agencyId, (tx) =>
      tx.query<{ mime_type: string; size: number; content: Buffer }>(
        `SELECT mime_type, size, content FROM attachment_contents
          WHERE agency_id = $1 AND brand_id = $2 AND sha256 = $3`,
        [agencyId, brandId, sha256],
      ),
    );
    return rows[0] ? { mimeType: rows[0].mime_type, size: rows[0].size, bytes: rows[0].content } : null;
  }

  /**
   * Part of the bytes (`start`..`end`, inclusive, zero-based), for a Range request: a video player
   * seeks by asking for pieces. The content column is stored uncompressed (STORAGE EXTERNAL), so
   * PostgreSQL reads only the TOAST chunks the slice covers. `pick` gets the size and names the slice,
   * or null for none (an unsatisfiable range: no bytes are read). Null as for read().
   */
  async readRange(
    agencyId: string,
    brandId: string,
    sha256: string,
    pick: (size: number) => { start: number; end: number } | null,
  ): Promise<(Omit<StoredContent, 'bytes'> & { bytes?: Buffer }) | null> {
    return this.tenantDb.run(agencyId, async (tx) => {
      const [meta] = await tx.query<{ mime_type: string; size: number }>(
        `SELECT mime_type, size FROM attachment_contents
          WHERE agency_id = $1 AND brand_id = $2 AND sha256 = $3`,
        [agencyId, brandId, sha256],
      );
      if (!meta) return null;
      const range = pick(meta.size);
      if (!range) return { mimeType: meta.mime_type, size: meta.size };
      const [part] = await tx.query<{ bytes: Buffer }>(
        `SELECT substring(content FROM $4 FOR $5) AS bytes FROM attachment_contents
          WHERE agency_id = $1 AND brand_id = $2 AND sha256 = $3`,
        [agencyId, brandId, sha256, range.start + 1, range.end - range.start + 1],
      );
      return { mimeType: meta.mime_type, size: meta.size, bytes: part.bytes };
    });
  }
}

/**
 * Stores the bytes, or touches the row that has them: the update writes no bytes (the content column
 * is out of line and unchanged, so the new row version points at the same TOAST chunks). Against a
 * collector deleting the row at this moment, the insert waits for its commit and stores the bytes anew.
 */
async function insert(tx: TenantTx, brandId: string, c: InboundContent): Promise<void> {
  await tx.query(
    `INSERT INTO attachment_contents (agency_id, brand_id, sha256, mime_type, size, content)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (agency_id, brand_id, sha256) DO UPDATE SET created_at = now()`,
    [tx.agencyId, brandId, c.sha256, c.mimeType.slice(0, 255), c.bytes.length, c.bytes],
  );
}

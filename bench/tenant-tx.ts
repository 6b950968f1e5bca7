/**
 * What does tenant isolation cost per request? The same primary-key read of a brand, 20,000 times at
 * 16 concurrent: (1) the floor, one bare query on a pool connected as the owner (no RLS, one round
 * trip); (2) through TenantDb.run as caredesk_app (BEGIN, set_config('app.agency_id', …, true), the
 * read through a ScopedRepository with RLS, COMMIT: four round trips).
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { TenantDb } from '@caredesk/core';
import { Brand } from '@caredesk/brands';
import { benchDatabase, load, report } from './support';

const TOTAL = Number(process.env.BENCH_TOTAL ?? 20000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const AGENCIES = 50;

async function main() {
  const db = await benchDatabase();
  const owner = new Client({ connectionString: db.ownerUrl });
  await owner.connect();
  const brands: Array<{ agencyId: string; id: string }> = [];
  for (let a = 0; a < AGENCIES; a++) {
    const agencyId = randomUUID();
    await owner.query(`INSERT INTO agencies (id, name) VALUES ($1, $2)`, [agencyId, `Agency ${a}`]);
    for (let b = 0; b < 4; b++) {
      const id = randomUUID();
      await owner.query(
        `INSERT INTO brands (agency_id, id, name, slug, timezone) VALUES ($1, $2, $3, $4, 'UTC')`,
        [agencyId, id, `Brand ${b}`, `brand-${b}`],
      );
      brands.push({ agencyId, id });
    }
  }
  await owner.end();

  const ds = new DataSource({
    type: 'postgres',
    url: db.appUrl,
    entities: [Brand],
    extra: { max: CONCURRENCY },
  });
  await ds.initialize();
  const ownerDs = new DataSource({ type: 'postgres', url: db.ownerUrl, extra: { max: CONCURRENCY } });
  await ownerDs.initialize();
  const tenantDb = new TenantDb(ds);
  const pick = (i: number) => brands[i % brands.length];

  console.log(
    `tenant-tx: ${TOTAL} reads, ${CONCURRENCY} concurrent, ${brands.length} brands in ${AGENCIES} agencies`,
  );
  // Warm-up: connections opened, plans cached.
  await load(2000, CONCURRENCY, (i) => ds.query('SELECT 1 FROM brands WHERE id = $1', [pick(i).id]));
  await load(2000, CONCURRENCY, (i) => ownerDs.query('SELECT 1 FROM brands WHERE id = $1', [pick(i).id]));

  const bare = report(
    'floor: bare query as owner',
    await load(TOTAL, CONCURRENCY, async (i) => {
      const rows = await ownerDs.query('SELECT * FROM brands WHERE agency_id = $1 AND id = $2', [
        pick(i).agencyId,
        pick(i).id,
      ]);
      if (rows.length !== 1) throw new Error('floor read found nothing');
    }),
  );
  const scoped = report(
    'TenantDb.run + repo read',
    await load(TOTAL, CONCURRENCY, async (i) => {
      const { agencyId, id } = pick(i);
      const found = await tenantDb.run(agencyId, (tx) => tx.repo(Brand).findOneBy({ id }));
      if (!found) throw new Error('tenant read found nothing');
    }),
  );
  const raw = report(
    'TenantDb.run + raw SQL read',
    await load(TOTAL, CONCURRENCY, async (i) => {
      const { agencyId, id } = pick(i);
      const rows = await tenantDb.run(agencyId, (tx) => tx.query('SELECT * FROM brands WHERE id = $1', [id]));
      if (rows.length !== 1) throw new Error('tenant read found nothing');
    }),
  );
  console.log(`ratio (raw SQL): ${(raw.rps / bare.rps).toFixed(2)}x`);
  console.log(
    `ratio: ${(scoped.rps / bare.rps).toFixed(2)}x the throughput of the bare query, ` +
      `p50 +${(scoped.p50 - bare.p50).toFixed(2)} ms`,
  );
  await ds.destroy();
  await ownerDs.destroy();
  await db.drop();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

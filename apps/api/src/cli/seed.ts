import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigError, CoreModule, loadConfig, RequestContext, SystemDb, TenantDb } from '@caredesk/core';
import { AuditModule } from '@caredesk/audit';
import { Brand, BrandService, BrandsModule } from '@caredesk/brands';
import { AuthService, IdentityModule, User } from '@caredesk/identity';

export const DEMO_EMAIL = 'demo@caredesk.local';
const DEMO_AGENCY = 'Demo Agency';
const DEMO_BRANDS = [
  { name: 'Northwind Coffee', timezone: 'Europe/Oslo', languages: ['en', 'nb'] },
  { name: 'Lumen Skincare', timezone: 'Asia/Jakarta', languages: ['id', 'en'] },
];

/** Only what seeding needs: no HTTP, no GraphQL. */
@Module({ imports: [CoreModule, AuditModule, IdentityModule, BrandsModule] })
class SeedModule {}

/**
 * Seeds a demo agency through the application's own services, so the data is exactly what the API
 * would have written. Idempotent: an existing demo owner or brand is left alone.
 */
async function main() {
  const config = loadConfig(process.env);
  const password = process.env.DEMO_PASSWORD;
  if (!password) throw new ConfigError('DEMO_PASSWORD must be set for the seed (npm start generates one)');

  const app = await NestFactory.createApplicationContext(SeedModule, { logger: ['error', 'warn'] });
  try {
    const auth = app.get(AuthService);
    const existing = await app
      .get(SystemDb)
      .run('seed: look up the demo owner', (m) => m.findOneBy(User, { email: DEMO_EMAIL }));
    let agencyId: string;
    if (existing) {
      const agencies = await auth.agenciesOf(existing.id);
      agencyId = (agencies.find((a) => a.name === DEMO_AGENCY) ?? agencies[0]).id;
    } else {
      const payload = await auth.signUp({
        agencyName: DEMO_AGENCY,
        name: 'Dana Demo',
        email: DEMO_EMAIL,
        password,
      });
      agencyId = payload.agency.id;
      console.log(`seed: created "${DEMO_AGENCY}" with owner ${DEMO_EMAIL}`);
    }

    const ctx = RequestContext.system(agencyId, 'seed demo brands');
    const brands = app.get(BrandService);
    for (const brand of DEMO_BRANDS) {
      const found = await app.get(TenantDb).run(ctx, (tx) => tx.repo(Brand).findOneBy({ name: brand.name }));
      if (found) continue;
      await brands.create(ctx, brand);
      console.log(`seed: created brand "${brand.name}"`);
    }

    const url = `http://localhost:${config.port}`;
    console.log(
      [
        '',
        'Once the API is listening, log in with:',
        `  GraphQL IDE  ${url}/graphiql`,
        `  email        ${DEMO_EMAIL}`,
        `  password     ${password}${existing ? '   (DEMO_PASSWORD when the demo owner was created)' : ''}`,
        '',
        '  mutation {',
        `    login(input: { email: "${DEMO_EMAIL}", password: "${password}" }) {`,
        '      accessToken user { email } agency { name }',
        '    }',
        '  }',
        '',
        '  Then send the accessToken as "Authorization: Bearer <accessToken>" (headers pane in the IDE).',
        '',
      ].join('\n'),
    );
  } finally {
    await app.close();
  }
}

main().catch((e) => {
  console.error(e instanceof ConfigError ? e.message : e);
  process.exit(1);
});

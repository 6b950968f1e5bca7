import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { envSchema } from './env.schema';

const ROOT = join(__dirname, '..', '..', '..', '..');
const variables = [...(envSchema.describe().keys ? Object.keys(envSchema.describe().keys) : [])];

/** Keeps the documentation in step with the schema: a new variable must be documented in both places. */
describe('env.schema documentation', () => {
  it('has variables', () => expect(variables.length).toBeGreaterThan(10));

  it.each(variables)('.env.example documents %s', (name) => {
    expect(readFileSync(join(ROOT, '.env.example'), 'utf8')).toMatch(new RegExp(`^#? ?${name}=`, 'm'));
  });

  it("validates every variable .env.example names, but the start script's own", () => {
    // Read by scripts/start.mjs, never by the application.
    const startScript = ['CAREDESK_SKIP_BUILD', 'DEMO_PASSWORD', 'EMBEDDED_PG_PORT'];
    const named = [
      ...readFileSync(join(ROOT, '.env.example'), 'utf8').matchAll(/^#? ?([A-Z][A-Z0-9_]+)=/gm),
    ].map((m) => m[1]);
    expect(named.filter((n) => !variables.includes(n) && !startScript.includes(n))).toEqual([]);
  });

  it.each(variables)('README.md configuration table lists %s', (name) => {
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toMatch(new RegExp(`^\\| \`${name}\` +\\|`, 'm'));
  });
});

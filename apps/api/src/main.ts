import 'reflect-metadata';
import { ConfigError, loadConfig } from '@caredesk/core';
import { createApi } from './bootstrap';

async function main() {
  // Validate first: a bad variable stops start-up with one line naming it, before anything connects.
  const config = loadConfig(process.env);
  const app = await createApi();
  await app.listen(config.port, '0.0.0.0');
  console.log(`caredesk api listening on http://localhost:${config.port}/graphql`);
}

main().catch((e) => {
  console.error(e instanceof ConfigError ? e.message : e);
  process.exit(1);
});

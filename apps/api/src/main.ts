import 'reflect-metadata';
import { ConfigError, loadConfig } from '@caredesk/core/config/app-config';
import { tuneApiHeap } from './heap';

async function main() {
  tuneApiHeap();
  // Validate first: a bad variable stops start-up with one line naming it, before the application
  // (and everything it connects to) is even loaded.
  const config = loadConfig(process.env);
  const { createApi } = await import('./bootstrap');
  const app = await createApi();
  await app.listen(config.port, '0.0.0.0');
  console.log(`caredesk api listening on http://localhost:${config.port}/graphql`);
}

main().catch((e) => {
  console.error(e instanceof ConfigError ? e.message : e);
  process.exit(1);
});

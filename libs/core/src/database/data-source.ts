import 'reflect-metadata';
import { ownerDataSource } from './migrate';

/**
 * For the TypeORM CLI (`npm run migration:run`, `migration:generate`): connects as the owner named by
 * DATABASE_URL. The application itself never uses this; it connects as caredesk_app.
 */
if (!process.env.DATABASE_URL) {
  throw new Error('DATABASE_URL must name the owner connection for the migration CLI');
}
export default ownerDataSource(process.env.DATABASE_URL);

import { Global, Module } from '@nestjs/common';
import { CoreConfigModule } from './config/config.module';
import { SecretBox } from './crypto/secret-box';
import { DatabaseModule } from './database/database.module';

/** Configuration, the database (as the application role), and crypto: what every app needs. */
@Global()
@Module({
  imports: [CoreConfigModule, DatabaseModule],
  providers: [SecretBox],
  exports: [CoreConfigModule, DatabaseModule, SecretBox],
})
export class CoreModule {}

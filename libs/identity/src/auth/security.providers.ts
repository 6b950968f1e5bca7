import { BrandsModule } from '@caredesk/brands';
import { ApiKey, ApiKeyBrand } from '../api-keys/api-key.entity';
import { ApiKeyResolver } from '../api-keys/api-key.resolver';
import { ApiKeyService } from '../api-keys/api-key.service';
import { TwoFactorResolver } from '../two-factor/two-factor.resolver';
import { TwoFactorService } from '../two-factor/two-factor.service';
import { loginThrottleProviders } from './login-throttle.guard';

/**
 * Token rotation's companions: login throttling, two-factor sign-in and API keys, registered in
 * IdentityModule. Kept in one list so identity.module.ts changes by a few lines.
 */
export const SECURITY_IMPORTS = [BrandsModule];
export const SECURITY_ENTITIES = [ApiKey, ApiKeyBrand];
export const SECURITY_PROVIDERS = [
  ...loginThrottleProviders,
  TwoFactorService,
  TwoFactorResolver,
  ApiKeyService,
  ApiKeyResolver,
];

export * from './brands.module';
export * from './brand-access.service';
export * from './entities/brand.entity';
export * from './onboarding/onboarding.registry';

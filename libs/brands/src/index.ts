// Order matters: @caredesk/audit's resolver imports BrandAccessService from here while this barrel may
// still be loading (brands → audit → brands), so the leaf exports come before the module.
export * from './entities/brand.entity';
export * from './brand-access.service';
export * from './onboarding/onboarding.registry';
export * from './copy/brand-copy.registry';
export * from './settings/day-of-week';
export * from './dto/brand.dto';
export * from './brand.service';
export * from './brands.module';

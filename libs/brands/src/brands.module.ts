import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BrandAccessService } from './brand-access.service';
import { Brand } from './entities/brand.entity';
import { OnboardingRegistry } from './onboarding/onboarding.registry';

@Module({
  imports: [TypeOrmModule.forFeature([Brand])],
  providers: [BrandAccessService, OnboardingRegistry],
  exports: [BrandAccessService, OnboardingRegistry],
})
export class BrandsModule {}

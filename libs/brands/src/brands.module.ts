import { Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BrandAccessService } from './brand-access.service';
import { BrandResolver } from './brand.resolver';
import { BrandService } from './brand.service';
import { BrandCopyRegistry } from './copy/brand-copy.registry';
import { Brand } from './entities/brand.entity';
import { BusinessHoursStep } from './onboarding/business-hours.step';
import { OnboardingLoader } from './onboarding/onboarding.loader';
import { OnboardingRegistry } from './onboarding/onboarding.registry';

@Module({
  imports: [TypeOrmModule.forFeature([Brand])],
  providers: [
    BrandAccessService,
    OnboardingRegistry,
    BrandCopyRegistry,
    BrandService,
    BrandResolver,
    OnboardingLoader,
    BusinessHoursStep,
  ],
  exports: [BrandAccessService, OnboardingRegistry, BrandCopyRegistry, BrandService],
})
export class BrandsModule implements OnModuleInit {
  constructor(
    private readonly onboarding: OnboardingRegistry,
    private readonly businessHours: BusinessHoursStep,
  ) {}

  onModuleInit(): void {
    this.onboarding.register(this.businessHours);
  }
}

import { forwardRef, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BrandsModule } from '@caredesk/brands';
import { AuditEvent } from './audit-event.entity';
import { AuditQueryService } from './audit-query.service';
import { AuditResolver } from './audit.resolver';
import { AuditService } from './audit.service';

/**
 * Global: every context records its mutations here. Brands itself records through AuditService, so
 * the files import each other (audit → brands for the brandId filter's access check); forwardRef lets
 * either barrel load first.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([AuditEvent]), forwardRef(() => BrandsModule)],
  providers: [AuditService, AuditQueryService, AuditResolver],
  exports: [AuditService],
})
export class AuditModule {}

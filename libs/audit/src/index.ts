// Order matters: @caredesk/brands imports AuditService from here while this barrel may still be
// loading (audit → brands → audit), so the leaf exports come before the module.
export * from './audit-event.entity';
export * from './audit.service';
export * from './audit.module';

export * from './identity.module';
export * from './auth/auth.guard';
export * from './auth/public.decorator';
export * from './auth/auth.service';
export * from './passwords/password.service';
export * from './entities/agency.entity';
export * from './entities/user.entity';
export * from './entities/membership.entity';

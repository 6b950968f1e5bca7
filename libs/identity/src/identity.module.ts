import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthResolver } from './auth/auth.resolver';
import { AuthService } from './auth/auth.service';
import { BearerStrategy } from './auth/bearer.strategy';
import { GqlAuthGuard } from './auth/auth.guard';
import { SessionService } from './auth/session.service';
import { TokenService } from './auth/token.service';
import { Agency } from './entities/agency.entity';
import { Membership, MembershipBrand } from './entities/membership.entity';
import { RefreshToken } from './entities/refresh-token.entity';
import { User } from './entities/user.entity';
import { PasswordService } from './passwords/password.service';
import { TEAM_ENTITIES, TEAM_IMPORTS, TEAM_PROVIDERS } from './members/team.providers';
import { SECURITY_ENTITIES, SECURITY_IMPORTS, SECURITY_PROVIDERS } from './auth/security.providers';

@Module({
  imports: [
    PassportModule,
    JwtModule.register({}),
    TypeOrmModule.forFeature([Agency, User, Membership, MembershipBrand, RefreshToken]),
    TypeOrmModule.forFeature(TEAM_ENTITIES),
    ...TEAM_IMPORTS,
    TypeOrmModule.forFeature(SECURITY_ENTITIES),
    ...SECURITY_IMPORTS,
  ],
  providers: [
    AuthService,
    AuthResolver,
    BearerStrategy,
    GqlAuthGuard,
    PasswordService,
    SessionService,
    TokenService,
    ...TEAM_PROVIDERS,
    ...SECURITY_PROVIDERS,
  ],
  exports: [AuthService, GqlAuthGuard, PasswordService],
})
export class IdentityModule {}

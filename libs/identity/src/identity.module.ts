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

@Module({
  imports: [
    PassportModule,
    JwtModule.register({}),
    TypeOrmModule.forFeature([Agency, User, Membership, MembershipBrand, RefreshToken]),
  ],
  providers: [AuthService, AuthResolver, BearerStrategy, GqlAuthGuard, PasswordService, SessionService, TokenService],
  exports: [AuthService, GqlAuthGuard, PasswordService],
})
export class IdentityModule {}

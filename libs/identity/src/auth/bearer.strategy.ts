import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-http-bearer';
import { AuthService, Authenticated } from './auth.service';

/** `Authorization: Bearer <token>`: a user's access token (JWT) or an API key (`cdk_…`). */
@Injectable()
export class BearerStrategy extends PassportStrategy(Strategy, 'bearer') {
  constructor(private readonly auth: AuthService) {
    super({ passReqToCallback: true });
  }

  async validate(req: { ip?: string }, token: string): Promise<Authenticated | false> {
    return (await this.auth.authenticate(token, req.ip)) ?? false;
  }
}

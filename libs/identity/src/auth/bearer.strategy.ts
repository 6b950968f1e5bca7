import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-http-bearer';
import { RequestContext } from '@caredesk/core';
import { AuthService } from './auth.service';

/** `Authorization: Bearer <token>`: a user's access token (JWT). */
@Injectable()
export class BearerStrategy extends PassportStrategy(Strategy, 'bearer') {
  constructor(private readonly auth: AuthService) {
    super({ passReqToCallback: true });
  }

  async validate(req: { ip?: string }, token: string): Promise<RequestContext | false> {
    return (await this.auth.contextFromAccessToken(token, req.ip)) ?? false;
  }
}

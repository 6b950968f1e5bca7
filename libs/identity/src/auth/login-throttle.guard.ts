import { CanActivate, ExecutionContext, Inject, Injectable, Provider } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import { ThrottlerGuard, ThrottlerModuleOptions, ThrottlerStorage } from '@nestjs/throttler';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { APP_CONFIG, AppConfig, sha256 } from '@caredesk/core';
import { normalizeEmail } from './auth.service';

const LOGIN_THROTTLE_STORAGE = Symbol('LOGIN_THROTTLE_STORAGE');
const LOGIN_THROTTLER = Symbol('LOGIN_THROTTLER');

function emailOf(context: ExecutionContext): string | null {
  const email = GqlExecutionContext.create(context).getArgs()?.input?.email;
  return typeof email === 'string' && email.length <= 254 ? normalizeEmail(email) : null;
}

/**
 * Limits guessing on the operations that take a credential (login, its two-factor step, token
 * refresh): per client IP, and per email whichever IPs it comes from, in a window shared by every
 * API process through Redis. Over the limit the answer is 429, i.e. RATE_LIMITED.
 *
 * Built from configuration with its own storage (not ThrottlerModule.forRoot), so it neither needs nor
 * collides with a global throttler another part of the app may configure.
 */
class LoginThrottler extends ThrottlerGuard {
  protected override getRequestResponse(context: ExecutionContext) {
    if (context.getType<string>() !== 'graphql') return super.getRequestResponse(context);
    const { req, res } = GqlExecutionContext.create(context).getContext();
    return { req, res: res ?? req.res };
  }

  static options(config: AppConfig): ThrottlerModuleOptions {
    const ttl = config.throttle.windowSeconds * 1000;
    return {
      errorMessage: 'Too many attempts; wait a while and try again',
      // The prefix is per deployment (and per test file), so separate runs never share counters.
      generateKey: (context, tracker, name) =>
        `${config.redis.queuePrefix}:throttle:${context.getHandler().name}:${name}:${sha256(tracker)}`,
      throttlers: [
        // req.ip is the socket address unless Express's `trust proxy` is configured for a known proxy.
        {
          name: 'ip',
          ttl,
          limit: config.throttle.loginPerIp,
          getTracker: (req) => String(req.ip ?? 'unknown'),
        },
        {
          name: 'email',
          ttl,
          limit: config.throttle.loginPerEmail,
          getTracker: (_req, context) => emailOf(context) ?? '',
          // refreshToken carries no email; its 256-bit secret cannot be guessed, the IP limit is enough.
          skipIf: (context) => emailOf(context) === null,
        },
      ],
    };
  }
}

/**
 * What `@UseGuards(LoginThrottleGuard)` names. Nest builds guards named there from their own
 * constructor, so this one only delegates to the throttler built (from configuration) below.
 */
@Injectable()
export class LoginThrottleGuard implements CanActivate {
  constructor(@Inject(LOGIN_THROTTLER) private readonly throttler: LoginThrottler) {}

  canActivate(context: ExecutionContext): Promise<boolean> {
    return this.throttler.canActivate(context);
  }
}

export const loginThrottleProviders: Provider[] = [
  {
    provide: LOGIN_THROTTLE_STORAGE,
    inject: [APP_CONFIG],
    // A provider, so Nest calls its onModuleDestroy and the Redis connection closes with the app.
    useFactory: (config: AppConfig): ThrottlerStorage => new ThrottlerStorageRedisService(config.redis.url),
  },
  {
    provide: LOGIN_THROTTLER,
    inject: [APP_CONFIG, LOGIN_THROTTLE_STORAGE, Reflector],
    useFactory: async (config: AppConfig, storage: ThrottlerStorage, reflector: Reflector) => {
      const guard = new LoginThrottler(LoginThrottler.options(config), storage, reflector);
      await guard.onModuleInit();
      return guard;
    },
  },
];

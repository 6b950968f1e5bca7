import { UseGuards } from '@nestjs/common';
import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { LoginThrottleGuard } from '../auth/login-throttle.guard';
import { Public } from '../auth/public.decorator';
import { RequestPasswordResetArgs, ResetPasswordArgs } from './dto/password-reset.args';
import { PasswordResetService } from './password-reset.service';

@Resolver()
export class PasswordResetResolver {
  constructor(private readonly resets: PasswordResetService) {}

  @Public()
  // Per client IP (the login throttle's Redis window, with its own counter): one address cannot mail-bomb
  // many inboxes. Per email, PasswordResetService drops requests beyond MAX_RESET_MAILS_PER_HOUR silently.
  @UseGuards(LoginThrottleGuard)
  @Mutation(() => Boolean, {
    description:
      'Always true, whether or not the email has an account; if it has, a one-hour link is mailed.',
  })
  requestPasswordReset(@Args() args: RequestPasswordResetArgs): Promise<boolean> {
    return this.resets.request(args.email);
  }

  @Public()
  @Mutation(() => Boolean, {
    description:
      'Sets a new password and signs the user out everywhere. BAD_USER_INPUT (field token) for an invalid, used or expired link.',
  })
  resetPassword(@Args() args: ResetPasswordArgs): Promise<boolean> {
    return this.resets.reset(args.token, args.newPassword);
  }
}

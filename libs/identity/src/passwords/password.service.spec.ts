import { AppError, ErrorCode } from '@caredesk/core';
import { COMMON_PASSWORDS, isCommonPassword } from './common-passwords';
import { PasswordService } from './password.service';

function codeOf(fn: () => void): string | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    return e instanceof AppError ? e.code : 'not an AppError';
  }
}

describe('common passwords', () => {
  it('holds the long entries of the leaked-password list and the most common ones', () => {
    expect(COMMON_PASSWORDS.size).toBeGreaterThan(10_000);
    expect(COMMON_PASSWORDS.has('password1234')).toBe(true);
    expect(COMMON_PASSWORDS.has('qwertyuiop')).toBe(true);
    expect(COMMON_PASSWORDS.has('123456')).toBe(true);
  });

  it('matches case-insensitively', () => {
    expect(isCommonPassword('PassWord1234')).toBe(true);
    expect(isCommonPassword('QWERTYUIOP')).toBe(true);
    expect(isCommonPassword('correct horse battery staple')).toBe(false);
  });
});

describe('PasswordService.assertAcceptable', () => {
  const passwords = new PasswordService();

  it('accepts a long, uncommon password', () => {
    expect(codeOf(() => passwords.assertAcceptable('correct horse battery staple'))).toBeUndefined();
  });

  it('refuses short, overlong, common and personal passwords with BAD_USER_INPUT naming the field', () => {
    expect(codeOf(() => passwords.assertAcceptable('short'))).toBe(ErrorCode.BAD_USER_INPUT);
    expect(codeOf(() => passwords.assertAcceptable('x'.repeat(257)))).toBe(ErrorCode.BAD_USER_INPUT);
    expect(codeOf(() => passwords.assertAcceptable('Password1234'))).toBe(ErrorCode.BAD_USER_INPUT);
    expect(codeOf(() => passwords.assertAcceptable('1234567890'))).toBe(ErrorCode.BAD_USER_INPUT);
    expect(codeOf(() => passwords.assertAcceptable('olivia.owner', 'password', ['olivia.owner']))).toBe(
      ErrorCode.BAD_USER_INPUT,
    );
    try {
      passwords.assertAcceptable('iloveyou12', 'newPassword');
    } catch (e) {
      expect((e as AppError).details).toEqual({ field: 'newPassword' });
    }
  });
});

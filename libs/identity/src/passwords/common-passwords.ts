import { dictionary } from '@zxcvbn-ts/language-common';

/** Most common first; the list zxcvbn itself scores passwords against (leaked-password frequency). */
const RANKED: readonly string[] = dictionary['passwords-common'] as string[];

/**
 * How many of the most common passwords are refused whatever their length. Shorter ones are refused by
 * the length rule today; keeping them means lowering MIN_PASSWORD_LENGTH does not silently let them in.
 */
const TOP = 10_000;

/** Built once, lower-cased: the check is case-insensitive ("Password1234" is as guessable). */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set(
  RANKED.filter((p, rank) => rank < TOP || p.length >= 10).map((p) => p.toLowerCase()),
);

export function isCommonPassword(password: string): boolean {
  return COMMON_PASSWORDS.has(password.toLowerCase());
}

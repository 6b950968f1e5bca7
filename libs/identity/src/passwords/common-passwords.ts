/** Placeholder list; replaced by a maintained list in the identity work. */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  'password123', 'password1234', '1234567890', 'qwertyuiop', '12345678910', 'iloveyou123', 'passw0rd123',
]);

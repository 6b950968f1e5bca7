import { ConfigError, loadConfig } from '@caredesk/core';

const BASE = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/caredesk',
  JWT_SECRET: 'x'.repeat(40),
  ENCRYPTION_KEY: `k1:${Buffer.alloc(32, 1).toString('base64')}`,
};

/** Channel credentials are sealed with ENCRYPTION_KEY: the platform must refuse to start without it. */
describe('ENCRYPTION_KEY is required', () => {
  const failure = (env: Record<string, string>) => {
    try {
      loadConfig(env);
    } catch (e) {
      return e;
    }
    throw new Error('loadConfig accepted the environment');
  };

  it('accepts a well-formed key', () => {
    expect(loadConfig(BASE).encryption.activeKey.id).toBe('k1');
  });

  it('stops with one line naming ENCRYPTION_KEY when it is missing, empty or malformed', () => {
    const { ENCRYPTION_KEY: _omit, ...missing } = BASE;
    for (const env of [
      missing,
      { ...BASE, ENCRYPTION_KEY: '' },
      { ...BASE, ENCRYPTION_KEY: 'k1:tooshort' },
    ]) {
      const e = failure(env);
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as Error).message).toContain('ENCRYPTION_KEY');
      expect((e as Error).message).not.toContain('\n');
    }
  });

  it('names ENCRYPTION_KEYS_PREVIOUS when a previous key is malformed', () => {
    const e = failure({ ...BASE, ENCRYPTION_KEYS_PREVIOUS: 'old:nope' });
    expect((e as Error).message).toContain('ENCRYPTION_KEYS_PREVIOUS');
  });
});

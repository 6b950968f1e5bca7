import { readFileSync } from 'node:fs';
import { testCertificate } from '../../../../test/support/tls-certificate';
import { ConfigError, loadConfig } from './app-config';

const KEY = `k1:${Buffer.alloc(32, 1).toString('base64')}`;
const OLD = `k0:${Buffer.alloc(32, 2).toString('base64')}`;
const valid = {
  DATABASE_URL: 'postgres://owner:secret@db.local:5432/caredesk',
  JWT_SECRET: 'x'.repeat(32),
  ENCRYPTION_KEY: KEY,
};

function failure(env: Record<string, unknown>): string {
  try {
    loadConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    const message = (e as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('expected loadConfig to fail');
}

describe('loadConfig', () => {
  it('leaves /metrics open unless METRICS_TOKEN is set, refuses a short one; the worker serves on 9464', () => {
    expect(loadConfig(valid).metricsToken).toBeUndefined();
    expect(loadConfig(valid).workerMetricsPort).toBe(9464);
    expect(loadConfig({ ...valid, WORKER_METRICS_PORT: '0' }).workerMetricsPort).toBe(0);
    expect(loadConfig({ ...valid, METRICS_TOKEN: 'm'.repeat(16) }).metricsToken).toBe('m'.repeat(16));
    expect(failure({ ...valid, METRICS_TOKEN: 'short' })).toMatch(
      /"METRICS_TOKEN" length must be at least 16/,
    );
  });

  it('Google push OIDC auth: audience and service account together, certs URL defaulted', () => {
    expect(loadConfig(valid).platforms.google.oidcCertsUrl).toBe(
      'https://www.googleapis.com/oauth2/v1/certs',
    );
    const both = {
      ...valid,
      GOOGLE_PUSH_AUDIENCE: 'https://caredesk.example/webhooks/google',
      GOOGLE_PUSH_SERVICE_ACCOUNT: 'push@p.iam.gserviceaccount.com',
    };
    expect(loadConfig(both).platforms.google).toMatchObject({
      pushAudience: 'https://caredesk.example/webhooks/google',
      pushServiceAccount: 'push@p.iam.gserviceaccount.com',
    });
    expect(failure({ ...valid, GOOGLE_PUSH_AUDIENCE: 'https://caredesk.example/webhooks/google' })).toMatch(
      /GOOGLE_PUSH_SERVICE_ACCOUNT/,
    );
    expect(failure({ ...both, GOOGLE_PUSH_SERVICE_ACCOUNT: 'not an email' })).toMatch(
      /GOOGLE_PUSH_SERVICE_ACCOUNT/,
    );
  });

  it('applies defaults to a minimal environment', () => {
    const c = loadConfig(valid);
    expect(c.nodeEnv).toBe('development');
    expect(c.port).toBe(3000);
    expect(c.redis.url).toBe('redis://127.0.0.1:6379');
    expect(c.graphql).toEqual({
      maxDepth: 10,
      maxComplexity: 2000,
      maxAliases: 20,
      maxTokens: 5000,
      ide: true,
      jit: true,
    });
    expect(c.encryption.activeKey.id).toBe('k1');
    expect(c.encryption.activeKey.key).toHaveLength(32);
    expect(c.encryption.previousKeys).toEqual([]);
  });

  it('reads the attachment settings: link TTL, copy hosts (trimmed, lower-cased; empty: none), size cap, API URL', () => {
    const c = loadConfig(valid);
    expect(c.publicApiUrl).toBe('http://localhost:3000');
    expect(c.attachments).toEqual({
      linkTtlSeconds: 3600,
      copyHosts: [
        'fbcdn.net',
        'fbsbx.com',
        'cdninstagram.com',
        'licdn.com',
        'twimg.com',
        'googleusercontent.com',
      ],
      copyMaxBytes: 26214400,
      collectIntervalSeconds: 3600,
    });
    const set = loadConfig({
      ...valid,
      PORT: '8080',
      ATTACHMENT_COPY_HOSTS: ' CDN.Example.com , 127.0.0.1',
      ATTACHMENT_COPY_MAX_BYTES: '1000',
      ATTACHMENT_LINK_TTL_SECONDS: '60',
      ATTACHMENT_GC_PERIOD_SECONDS: '60',
    });
    expect(set.publicApiUrl).toBe('http://localhost:8080');
    expect(set.attachments).toEqual({
      linkTtlSeconds: 60,
      copyHosts: ['cdn.example.com', '127.0.0.1'],
      copyMaxBytes: 1000,
      collectIntervalSeconds: 60,
    });
    expect(loadConfig({ ...valid, ATTACHMENT_COPY_HOSTS: '' }).attachments.copyHosts).toEqual([]);
    expect(loadConfig({ ...valid, PUBLIC_API_URL: 'https://api.example.com/' }).publicApiUrl).toBe(
      'https://api.example.com',
    );
    expect(failure({ ...valid, ATTACHMENT_COPY_HOSTS: 'https://cdn.example.com/x' })).toMatch(
      /"ATTACHMENT_COPY_HOSTS" with value .* fails to match the host names separated by commas pattern/,
    );
    expect(failure({ ...valid, ATTACHMENT_COPY_MAX_BYTES: '0' })).toMatch(
      /"ATTACHMENT_COPY_MAX_BYTES" must be/,
    );
    expect(failure({ ...valid, ATTACHMENT_GC_PERIOD_SECONDS: '0' })).toMatch(
      /"ATTACHMENT_GC_PERIOD_SECONDS" must be/,
    );
    expect(failure({ ...valid, ATTACHMENT_LINK_TTL_SECONDS: '5' })).toMatch(
      /"ATTACHMENT_LINK_TTL_SECONDS" must be/,
    );
    expect(failure({ ...valid, PUBLIC_API_URL: 'ftp://x' })).toMatch(/"PUBLIC_API_URL" must be/);
  });

  it('reads the inbound event retention: 30 days by default, 0 keeps for ever, less than a week is refused', () => {
    expect(loadConfig(valid).pipeline.inboundRetentionDays).toBe(30);
    expect(loadConfig({ ...valid, INBOUND_EVENT_RETENTION_DAYS: '0' }).pipeline.inboundRetentionDays).toBe(0);
    expect(loadConfig({ ...valid, INBOUND_EVENT_RETENTION_DAYS: '7' }).pipeline.inboundRetentionDays).toBe(7);
    expect(failure({ ...valid, INBOUND_EVENT_RETENTION_DAYS: '6' })).toMatch(
      /"INBOUND_EVENT_RETENTION_DAYS" must be/,
    );
  });

  it('derives the application role URL from the owner URL', () => {
    const c = loadConfig({ ...valid, DATABASE_APP_PASSWORD: 'app-password' });
    expect(c.database.appUrl).toBe('postgres://caredesk_app:app-password@db.local:5432/caredesk');
    expect(loadConfig({ ...valid, DATABASE_APP_URL: 'postgres://a:b@h/d' }).database.appUrl).toBe(
      'postgres://a:b@h/d',
    );
  });

  it('reads previous encryption keys for rotation', () => {
    const c = loadConfig({ ...valid, ENCRYPTION_KEYS_PREVIOUS: OLD });
    expect(c.encryption.previousKeys.map((k) => k.id)).toEqual(['k0']);
  });

  it('turns the IDE and introspection off in production whatever GRAPHQL_IDE says', () => {
    expect(loadConfig({ ...valid, NODE_ENV: 'production', GRAPHQL_IDE: 'true' }).graphql.ide).toBe(false);
    expect(loadConfig({ ...valid, GRAPHQL_IDE: 'false' }).graphql.ide).toBe(false);
  });

  it.each(['DATABASE_URL', 'JWT_SECRET', 'ENCRYPTION_KEY'])('names a missing %s in one line', (name) => {
    const env: Record<string, unknown> = { ...valid };
    delete env[name];
    expect(failure(env)).toMatch(new RegExp(`^Invalid configuration: "${name}" is required`));
  });

  it.each([
    ['NODE_ENV', 'staging'],
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['LOG_LEVEL', 'loud'],
    ['APP_URL', 'not a url'],
    ['DATABASE_URL', 'mysql://x@y/z'],
    ['DATABASE_APP_URL', 'http://x'],
    ['DATABASE_APP_PASSWORD', 'short'],
    ['DATABASE_POOL_SIZE', '0'],
    ['REDIS_URL', 'http://127.0.0.1:6379'],
    ['QUEUE_PREFIX', 'has spaces'],
    ['JWT_SECRET', 'too-short'],
    ['ACCESS_TOKEN_TTL_SECONDS', '5'],
    ['REFRESH_TOKEN_TTL_SECONDS', 'soon'],
    ['ENCRYPTION_KEY', 'no-key-id-here'],
    ['ENCRYPTION_KEY', `k1:${Buffer.alloc(16).toString('base64')}`],
    ['ENCRYPTION_KEYS_PREVIOUS', 'k0:short'],
    ['SMTP_URL', 'http://mail'],
    ['GRAPHQL_MAX_DEPTH', '1'],
    ['GRAPHQL_MAX_COMPLEXITY', 'lots'],
    ['GRAPHQL_MAX_ALIASES', '0'],
    ['GRAPHQL_MAX_TOKENS', '10'],
    ['GRAPHQL_IDE', 'maybe'],
    ['GRAPHQL_JIT', 'sometimes'],
    ['THROTTLE_LOGIN_PER_EMAIL', '0'],
    ['THROTTLE_LOGIN_PER_IP', 'x'],
    ['THROTTLE_WINDOW_SECONDS', '-1'],
  ])('names a malformed %s (%s) in one line', (name, value) => {
    expect(failure({ ...valid, [name]: value })).toMatch(new RegExp(`^Invalid configuration: "${name}"`));
  });

  it('does not echo a secret value in the message', () => {
    expect(failure({ ...valid, JWT_SECRET: 'tiny-secret' })).not.toContain('tiny-secret');
  });

  describe('INBOUND_SMTP_TLS_CERT / INBOUND_SMTP_TLS_KEY', () => {
    it('loads a certificate and its key from their files', async () => {
      const c = await testCertificate();
      const tls = loadConfig({ ...valid, INBOUND_SMTP_TLS_CERT: c.certPath, INBOUND_SMTP_TLS_KEY: c.keyPath })
        .platforms.email.smtpTls;
      expect(tls?.cert.equals(readFileSync(c.certPath))).toBe(true);
      expect(tls?.key.equals(readFileSync(c.keyPath))).toBe(true);
      expect(loadConfig(valid).platforms.email.smtpTls).toBeUndefined();
    });

    it('wants both or neither', async () => {
      const c = await testCertificate();
      expect(failure({ ...valid, INBOUND_SMTP_TLS_CERT: c.certPath })).toMatch(
        /INBOUND_SMTP_TLS_CERT.*without its required peers.*INBOUND_SMTP_TLS_KEY/,
      );
      expect(failure({ ...valid, INBOUND_SMTP_TLS_KEY: c.keyPath })).toMatch(
        /INBOUND_SMTP_TLS_KEY.*without its required peers.*INBOUND_SMTP_TLS_CERT/,
      );
    });

    it('names a file it cannot read', async () => {
      const c = await testCertificate();
      expect(
        failure({
          ...valid,
          INBOUND_SMTP_TLS_CERT: '/nonexistent/cert.pem',
          INBOUND_SMTP_TLS_KEY: c.keyPath,
        }),
      ).toMatch(/"INBOUND_SMTP_TLS_CERT" cannot be read: \/nonexistent\/cert\.pem \(ENOENT\)/);
    });

    it("refuses a key that is not the certificate's, or files that are not PEM", async () => {
      const [one, other] = await Promise.all([testCertificate(), testCertificate()]);
      expect(
        failure({ ...valid, INBOUND_SMTP_TLS_CERT: one.certPath, INBOUND_SMTP_TLS_KEY: other.keyPath }),
      ).toMatch(/are not a usable PEM certificate and key/);
      expect(
        failure({ ...valid, INBOUND_SMTP_TLS_CERT: one.keyPath, INBOUND_SMTP_TLS_KEY: one.certPath }),
      ).toMatch(/are not a usable PEM certificate and key/);
    });
  });
});

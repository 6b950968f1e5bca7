import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { envSchema } from './env.schema';

export type NodeEnv = 'development' | 'test' | 'production';

/** Validated, typed configuration. Built once from the environment; never read process.env elsewhere. */
export interface AppConfig {
  nodeEnv: NodeEnv;
  port: number;
  logLevel: string;
  appUrl: string;
  /** Where clients reach this API from outside (links the API hands out: attachment downloads). */
  publicApiUrl: string;
  /** Bearer token /metrics requires; undefined: /metrics is open. */
  metricsToken?: string;
  /** Port of the worker's /metrics; 0: none. */
  workerMetricsPort: number;
  database: { ownerUrl: string; appUrl: string; poolSize: number };
  redis: { url: string; queuePrefix: string };
  auth: { jwtSecret: string; accessTtlSeconds: number; refreshTtlSeconds: number };
  encryption: { activeKey: EncryptionKeySpec; previousKeys: EncryptionKeySpec[] };
  mail: { smtpUrl: string; from: string };
  graphql: {
    maxDepth: number;
    maxComplexity: number;
    maxAliases: number;
    maxTokens: number;
    ide: boolean;
    /** Execute HTTP operations with graphql-jit (false: graphql-js's interpreter). */
    jit: boolean;
  };
  throttle: { loginPerEmail: number; loginPerIp: number; windowSeconds: number };
  platforms: PlatformsConfig;
  pipeline: {
    sweepIntervalSeconds: number;
    sweepAfterSeconds: number;
    sendMaxAttempts: number;
    /** Default for brands without their own `settings.reopenWindowHours`. */
    reopenWindowHours: number;
    /** How often the worker reopens SNOOZED conversations whose time has come. */
    snoozeWakeIntervalSeconds: number;
    /** Inbound events one ingest transaction applies at most. */
    ingestBatchSize: number;
    /** Ingest batches one worker process applies at the same time (of different agencies). */
    ingestParallelBatches: number;
    /** While webhook intake is under load, the share of the time ingest batches may take (IngestPacer). */
    ingestShareUnderLoad: number;
    /** How long ingest keeps yielding to intake that stays busy without a break (IngestPacer). */
    ingestMaxDeferSeconds: number;
    /** Finished inbound events are deleted this many days after they came (0: kept for ever). */
    inboundRetentionDays: number;
  };
  live: {
    /** A presence entry without a heartbeat disappears after this long. */
    presenceTtlSeconds: number;
    /** A websocket's role and brand scope are re-read at most this often (0: on every event). */
    scopeCacheSeconds: number;
  };
  /** The external analysis service (empty url: the local analyser), and its per-batch deadline. */
  analysis: { serviceUrl: string; timeoutMs: number };
  attachments: {
    /** A signed attachment download link stays valid at least this long (at most twice as long). */
    linkTtlSeconds: number;
    /** Hosts (and their subdomains) whose attachment URLs the worker copies; empty: none. */
    copyHosts: string[];
    /** A platform attachment larger than this is not copied (its platform URL stays). */
    copyMaxBytes: number;
    /** How often the worker deletes kept bytes that nothing names any more. */
    collectIntervalSeconds: number;
  };
}

/** The app's OAuth client at a platform, for refresh grants; no `clientId`: tokens are not refreshed. */
export interface OAuthClientConfig {
  /** Base URL of the platform's OAuth token endpoint (each grant adds its documented path). */
  url: string;
  clientId?: string;
  clientSecret?: string;
}

export interface PlatformsConfig {
  meta: { appSecret?: string; verifyToken?: string; apiUrl: string };
  x: { consumerSecret?: string; apiUrl: string };
  linkedin: { clientSecret?: string; apiUrl: string };
  tiktok: { clientSecret?: string; apiUrl: string };
  google: {
    pushToken?: string;
    /** Pub/Sub push OIDC tokens: when both are set they are required, and the URL token is not used. */
    pushAudience?: string;
    pushServiceAccount?: string;
    /** Google's signing certificates (PEM by key id), e.g. https://www.googleapis.com/oauth2/v1/certs. */
    oidcCertsUrl?: string;
    apiUrl: string;
  };
  email: {
    webhookSecret?: string;
    smtpHost: string;
    smtpPort: number;
    /** Certificate chain and key (PEM) for STARTTLS on the inbound listener; absent: no STARTTLS. */
    smtpTls?: { cert: Buffer; key: Buffer };
  };
  webhookToleranceSeconds: number;
  timeoutMs: number;
  /** The app's OAuth clients, for refreshing channel access tokens that expire. */
  oauth: Record<'google' | 'x' | 'linkedin' | 'tiktok', OAuthClientConfig>;
  /** A channel token that expires within this many seconds is refreshed before a send. */
  tokenRefreshMarginSeconds: number;
}

export interface EncryptionKeySpec {
  id: string;
  key: Buffer;
}

export const APP_CONFIG = Symbol('APP_CONFIG');

/** Thrown for a missing or malformed variable; its message is the one line start-up prints. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

function parseKey(spec: string): EncryptionKeySpec {
  const i = spec.indexOf(':');
  return { id: spec.slice(0, i), key: Buffer.from(spec.slice(i + 1), 'base64') };
}

/** The application role's URL: explicit, or the owner's URL with the app role's credentials. */
function deriveAppUrl(ownerUrl: string, password: string): string {
  const u = new URL(ownerUrl);
  u.username = 'caredesk_app';
  u.password = password;
  return u.toString();
}

/** A certificate chain and its key read from PEM files, proven to be a usable pair. */
function loadTlsPair(certPath: string, keyPath: string): { cert: Buffer; key: Buffer } {
  const read = (name: string, path: string) => {
    try {
      return readFileSync(path);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? String(e);
      throw new ConfigError(
        `Invalid configuration: "${name}" cannot be read: ${path} (${code}) (see .env.example)`,
      );
    }
  };
  const cert = read('INBOUND_SMTP_TLS_CERT', certPath);
  const key = read('INBOUND_SMTP_TLS_KEY', keyPath);
  try {
    createSecureContext({ cert, key });
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new ConfigError(
      `Invalid configuration: "INBOUND_SMTP_TLS_CERT" and "INBOUND_SMTP_TLS_KEY" are not a usable PEM certificate and key (${why}) (see .env.example)`,
    );
  }
  return { cert, key };
}

export function loadConfig(env: NodeJS.ProcessEnv | Record<string, unknown>): AppConfig {
  const { error, value } = envSchema.validate(env, { abortEarly: true, convert: true });
  if (error) {
    throw new ConfigError(`Invalid configuration: ${error.details[0].message} (see .env.example)`);
  }
  // Joi has validated and converted every key above; the mapping below only renames.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const v = value as Record<string, any>;
  return {
    nodeEnv: v.NODE_ENV,
    port: v.PORT,
    logLevel: v.LOG_LEVEL,
    appUrl: v.APP_URL.replace(/\/$/, ''),
    publicApiUrl: trimSlash(v.PUBLIC_API_URL ?? `http://localhost:${v.PORT}`),
    metricsToken: v.METRICS_TOKEN,
    workerMetricsPort: v.WORKER_METRICS_PORT,
    database: {
      ownerUrl: v.DATABASE_URL,
      appUrl: v.DATABASE_APP_URL ?? deriveAppUrl(v.DATABASE_URL, v.DATABASE_APP_PASSWORD),
      poolSize: v.DATABASE_POOL_SIZE,
    },
    redis: { url: v.REDIS_URL, queuePrefix: v.QUEUE_PREFIX },
    auth: {
      jwtSecret: v.JWT_SECRET,
      accessTtlSeconds: v.ACCESS_TOKEN_TTL_SECONDS,
      refreshTtlSeconds: v.REFRESH_TOKEN_TTL_SECONDS,
    },
    encryption: {
      activeKey: parseKey(v.ENCRYPTION_KEY),
      previousKeys: v.ENCRYPTION_KEYS_PREVIOUS
        ? String(v.ENCRYPTION_KEYS_PREVIOUS).split(',').map(parseKey)
        : [],
    },
    mail: { smtpUrl: v.SMTP_URL, from: v.MAIL_FROM },
    graphql: {
      maxDepth: v.GRAPHQL_MAX_DEPTH,
      maxComplexity: v.GRAPHQL_MAX_COMPLEXITY,
      maxAliases: v.GRAPHQL_MAX_ALIASES,
      maxTokens: v.GRAPHQL_MAX_TOKENS,
      // Introspection and the IDE are never on in production, whatever GRAPHQL_IDE says.
      ide: v.GRAPHQL_IDE && v.NODE_ENV !== 'production',
      jit: v.GRAPHQL_JIT,
    },
    platforms: {
      meta: {
        appSecret: v.META_APP_SECRET,
        verifyToken: v.META_VERIFY_TOKEN,
        apiUrl: trimSlash(v.META_GRAPH_API_URL),
      },
      x: { consumerSecret: v.X_CONSUMER_SECRET, apiUrl: trimSlash(v.X_API_URL) },
      linkedin: { clientSecret: v.LINKEDIN_CLIENT_SECRET, apiUrl: trimSlash(v.LINKEDIN_API_URL) },
      tiktok: { clientSecret: v.TIKTOK_CLIENT_SECRET, apiUrl: trimSlash(v.TIKTOK_API_URL) },
      google: {
        pushToken: v.GOOGLE_PUSH_TOKEN,
        pushAudience: v.GOOGLE_PUSH_AUDIENCE,
        pushServiceAccount: v.GOOGLE_PUSH_SERVICE_ACCOUNT,
        oidcCertsUrl: v.GOOGLE_OIDC_CERTS_URL,
        apiUrl: trimSlash(v.GOOGLE_API_URL),
      },
      email: {
        webhookSecret: v.EMAIL_WEBHOOK_SECRET,
        smtpHost: v.INBOUND_SMTP_HOST,
        smtpPort: v.INBOUND_SMTP_PORT,
        smtpTls: v.INBOUND_SMTP_TLS_CERT
          ? loadTlsPair(v.INBOUND_SMTP_TLS_CERT, v.INBOUND_SMTP_TLS_KEY)
          : undefined,
      },
      webhookToleranceSeconds: v.WEBHOOK_TOLERANCE_SECONDS,
      timeoutMs: v.PLATFORM_TIMEOUT_MS,
      oauth: {
        google: {
          url: trimSlash(v.GOOGLE_OAUTH_URL),
          clientId: v.GOOGLE_CLIENT_ID,
          clientSecret: v.GOOGLE_CLIENT_SECRET,
        },
        x: { url: trimSlash(v.X_OAUTH_URL), clientId: v.X_CLIENT_ID, clientSecret: v.X_CLIENT_SECRET },
        // LinkedIn and TikTok: the app's one client secret signs webhooks and authenticates grants.
        linkedin: {
          url: trimSlash(v.LINKEDIN_OAUTH_URL),
          clientId: v.LINKEDIN_CLIENT_ID,
          clientSecret: v.LINKEDIN_CLIENT_SECRET,
        },
        tiktok: {
          url: trimSlash(v.TIKTOK_OAUTH_URL),
          clientId: v.TIKTOK_CLIENT_KEY,
          clientSecret: v.TIKTOK_CLIENT_SECRET,
        },
      },
      tokenRefreshMarginSeconds: v.TOKEN_REFRESH_MARGIN_SECONDS,
    },
    pipeline: {
      sweepIntervalSeconds: v.SWEEP_INTERVAL_SECONDS,
      sweepAfterSeconds: v.SWEEP_AFTER_SECONDS,
      sendMaxAttempts: v.SEND_MAX_ATTEMPTS,
      reopenWindowHours: v.REOPEN_WINDOW_HOURS,
      snoozeWakeIntervalSeconds: v.SNOOZE_WAKE_INTERVAL_SECONDS,
      ingestBatchSize: v.INGEST_BATCH_SIZE,
      ingestParallelBatches: v.INGEST_PARALLEL_BATCHES,
      ingestShareUnderLoad: v.INGEST_SHARE_UNDER_LOAD,
      ingestMaxDeferSeconds: v.INGEST_MAX_DEFER_SECONDS,
      inboundRetentionDays: v.INBOUND_EVENT_RETENTION_DAYS,
    },
    live: {
      presenceTtlSeconds: v.PRESENCE_TTL_SECONDS,
      scopeCacheSeconds: v.LIVE_SCOPE_CACHE_SECONDS,
    },
    analysis: { serviceUrl: v.ANALYSIS_SERVICE_URL, timeoutMs: v.ANALYSIS_TIMEOUT_MS },
    attachments: {
      linkTtlSeconds: v.ATTACHMENT_LINK_TTL_SECONDS,
      copyHosts: String(v.ATTACHMENT_COPY_HOSTS)
        .split(',')
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean),
      copyMaxBytes: v.ATTACHMENT_COPY_MAX_BYTES,
      collectIntervalSeconds: v.ATTACHMENT_GC_PERIOD_SECONDS,
    },
    throttle: {
      loginPerEmail: v.THROTTLE_LOGIN_PER_EMAIL,
      loginPerIp: v.THROTTLE_LOGIN_PER_IP,
      windowSeconds: v.THROTTLE_WINDOW_SECONDS,
    },
  };
}

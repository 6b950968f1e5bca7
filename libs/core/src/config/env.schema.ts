import Joi from 'joi';

/**
 * Every environment variable the platform reads. `.env.example` and the README's table document the
 * same list; `env.schema.spec.ts` keeps them in step.
 */
export const envSchema = Joi.object({
  NODE_ENV: Joi.string().valid('development', 'test', 'production').default('development'),
  PORT: Joi.number().port().default(3000),
  LOG_LEVEL: Joi.string().valid('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent').default('info'),
  APP_URL: Joi.string()
    .uri({ scheme: ['http', 'https'] })
    .default('http://localhost:3000'),
  // The API's own address as clients see it (behind a load balancer: its public https URL); links the
  // API hands out (attachment downloads) start with it. Unset: http://localhost:<PORT>.
  PUBLIC_API_URL: Joi.string()
    .uri({ scheme: ['http', 'https'] })
    .optional(),

  DATABASE_URL: Joi.string()
    .uri({ scheme: ['postgres', 'postgresql'] })
    .required(),
  DATABASE_APP_URL: Joi.string()
    .uri({ scheme: ['postgres', 'postgresql'] })
    .optional(),
  DATABASE_APP_PASSWORD: Joi.string().min(8).default('caredesk_app_dev'),
  DATABASE_POOL_SIZE: Joi.number().integer().min(1).max(200).default(10),

  REDIS_URL: Joi.string()
    .uri({ scheme: ['redis', 'rediss'] })
    .default('redis://127.0.0.1:6379'),
  QUEUE_PREFIX: Joi.string()
    .pattern(/^[a-z0-9_:-]+$/i)
    .default('caredesk'),

  // Set: /metrics answers only `Authorization: Bearer <token>` (Prometheus: `authorization` in the
  // scrape config). Unset: /metrics is open, for a network where only the scraper reaches it.
  METRICS_TOKEN: Joi.string().min(16).optional(),
  // The worker's own /metrics (its counters are not in the API's); 0: the worker serves none.
  WORKER_METRICS_PORT: Joi.number().port().default(9464),

  JWT_SECRET: Joi.string().min(32).required(),
  ACCESS_TOKEN_TTL_SECONDS: Joi.number().integer().min(30).default(900),
  REFRESH_TOKEN_TTL_SECONDS: Joi.number()
    .integer()
    .min(300)
    .default(30 * 24 * 3600),

  ENCRYPTION_KEY: Joi.string()
    .pattern(/^[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/]{43}=$/)
    .required()
    .messages({ 'string.pattern.base': '"ENCRYPTION_KEY" must be <keyId>:<32 bytes in base64>' }),
  ENCRYPTION_KEYS_PREVIOUS: Joi.string()
    .pattern(/^([A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/]{43}=)(,[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/]{43}=)*$/)
    .allow('')
    .default('')
    .messages({
      'string.pattern.base': '"ENCRYPTION_KEYS_PREVIOUS" must be a comma list of <keyId>:<base64 key>',
    }),

  SMTP_URL: Joi.string()
    .uri({ scheme: ['smtp', 'smtps'] })
    .default('smtp://127.0.0.1:1025'),
  MAIL_FROM: Joi.string().default('Caredesk <no-reply@caredesk.local>'),

  // Platforms. A platform whose secret is unset answers its webhook 503 "not configured"; API base
  // URLs are configuration so tests point them at local fake servers.
  META_APP_SECRET: Joi.string().min(8).optional(),
  META_VERIFY_TOKEN: Joi.string().min(8).optional(),
  META_GRAPH_API_URL: Joi.string()
    .uri({ scheme: ['http', 'https'] })
    .default('https://graph.facebook.com/v21.0'),
  X_CONSUMER_SECRET: Joi.string().min(8).optional(),
  X_API_URL: Joi.string()
    .uri({ scheme: ['http', 'https'] })
    .default('https://api.x.com'),
  LINKEDIN_CLIENT_SECRET: Joi.string().min(8).optional(),
  LINKEDIN_API_URL: Joi.string()
    .uri({ scheme: ['http', 'https'] })
    .default('https://api.linkedin.com'),
  TIKTOK_CLIENT_SECRET: Joi.string().min(8).optional(),
  TIKTOK_API_URL: Joi.string()
    .uri({ scheme: ['http', 'https'] })
    .default('https://business-api.tiktok.com'),
  GOOGLE_PUSH_TOKEN: Joi.string().min(8).optional(),
  // Pub/Sub push OIDC auth (both or neither): the subscription's audience and its service account.
  GOOGLE_PUSH_AUDIENCE: Joi.string().min(1).optional(),
  GOOGLE_PUSH_SERVICE_ACCOUNT: Joi.string().email().optional(),
  GOOGLE_OIDC_CERTS_URL: Joi.string()
    .uri({ scheme: ['http', 'https'] })
    .default('https://www.googleapis.com/oauth2/v1/certs'),
  GOOGLE_API_URL: Joi.string()
    .uri({ scheme: ['http', 'https'] })
    .default('https://mybusiness.googleapis.com'),
  // OAuth refresh grants (channel access tokens that expire): the app's client credentials at each
  // platform and its token endpoint's base URL. Without a client id a platform's tokens are not
  // refreshed: an expired one marks the channel NEEDS_RECONNECT as before.
  GOOGLE_OAUTH_URL: Joi.string()
    .uri({ scheme: ['http', 'https'] })
    .default('https://oauth2.googleapis.com'),
  GOOGLE_CLIENT_ID: Joi.string().optional(),
  GOOGLE_CLIENT_SECRET: Joi.string().optional(),
  X_OAUTH_URL: Joi.string()
    .uri({ scheme: ['http', 'https'] })
    .default('https://api.x.com'),
  X_CLIENT_ID: Joi.string().optional(),
  // Confidential X clients only (Basic auth on the token endpoint); public clients have none.
  X_CLIENT_SECRET: Joi.string().optional(),
  LINKEDIN_OAUTH_URL: Joi.string()
    .uri({ scheme: ['http', 'https'] })
    .default('https://www.linkedin.com'),
  LINKEDIN_CLIENT_ID: Joi.string().optional(),
  TIKTOK_OAUTH_URL: Joi.string()
    .uri({ scheme: ['http', 'https'] })
    .default('https://open.tiktokapis.com'),
  TIKTOK_CLIENT_KEY: Joi.string().optional(),
  TOKEN_REFRESH_MARGIN_SECONDS: Joi.number().integer().min(0).max(86400).default(300),
  EMAIL_WEBHOOK_SECRET: Joi.string().min(8).optional(),
  INBOUND_SMTP_HOST: Joi.string().default('127.0.0.1'),
  INBOUND_SMTP_PORT: Joi.number().integer().min(0).max(65535).default(0),
  // PEM files (certificate chain, private key): with both, the inbound SMTP listener offers STARTTLS.
  INBOUND_SMTP_TLS_CERT: Joi.string().optional(),
  INBOUND_SMTP_TLS_KEY: Joi.string().optional(),
  WEBHOOK_TOLERANCE_SECONDS: Joi.number().integer().min(1).default(300),
  PLATFORM_TIMEOUT_MS: Joi.number().integer().min(100).default(10000),

  // The message pipeline.
  SWEEP_INTERVAL_SECONDS: Joi.number().integer().min(1).default(30),
  SWEEP_AFTER_SECONDS: Joi.number().integer().min(1).default(60),
  SEND_MAX_ATTEMPTS: Joi.number().integer().min(1).max(50).default(8),
  REOPEN_WINDOW_HOURS: Joi.number().integer().min(0).default(72),
  SNOOZE_WAKE_INTERVAL_SECONDS: Joi.number().integer().min(1).max(3600).default(30),
  // Ingest: events one transaction applies at most, and batches one worker process applies at once
  // (while intake is quiet; one while it is busy).
  INGEST_BATCH_SIZE: Joi.number().integer().min(1).max(5000).default(1000),
  INGEST_PARALLEL_BATCHES: Joi.number().integer().min(1).max(64).default(2),
  // While webhook intake is under load, ingest batches take at most this share of the time (1: no pacing).
  INGEST_SHARE_UNDER_LOAD: Joi.number().min(0.01).max(1).default(0.05),
  // …but only for this long without a break; then full batches again (one at a time) until intake is quiet.
  INGEST_MAX_DEFER_SECONDS: Joi.number().integer().min(1).max(3600).default(30),
  // Finished webhook deliveries (PROCESSED, IGNORED) are deleted this many days after they came; 0: kept.
  // At least a week: platforms re-send within days (Google Pub/Sub keeps a message 7 days at most).
  INBOUND_EVENT_RETENTION_DAYS: Joi.number().integer().min(7).max(3650).allow(0).default(30),

  // Live updates (GraphQL subscriptions): presence lifetime without a heartbeat, and how long a
  // websocket's brand scope is trusted before it is read again.
  PRESENCE_TTL_SECONDS: Joi.number().integer().min(1).max(3600).default(30),
  LIVE_SCOPE_CACHE_SECONDS: Joi.number().integer().min(0).max(300).default(5),

  // Language and sentiment: an external model service replaces the local analyser when set; on a
  // timeout or an error the worker analyses locally (see libs/analysis).
  ANALYSIS_SERVICE_URL: Joi.string()
    .uri({ scheme: ['http', 'https'] })
    .allow('')
    .default(''),
  ANALYSIS_TIMEOUT_MS: Joi.number().integer().min(50).max(60000).default(2000),

  // Attachments Caredesk keeps (email): how long a signed download link stays valid, at least.
  ATTACHMENT_LINK_TTL_SECONDS: Joi.number()
    .integer()
    .min(60)
    .max(7 * 24 * 3600)
    .default(3600),
  // Platform attachment URLs expire (Meta's CDN after days): the worker copies files from these hosts
  // and their subdomains (a comma list; empty: none), each up to ATTACHMENT_COPY_MAX_BYTES.
  ATTACHMENT_COPY_HOSTS: Joi.string()
    .allow('')
    .pattern(/^[\sa-z0-9.,-]*$/i, 'host names separated by commas')
    .default('fbcdn.net,fbsbx.com,cdninstagram.com,licdn.com,twimg.com,googleusercontent.com'),
  ATTACHMENT_COPY_MAX_BYTES: Joi.number()
    .integer()
    .min(1)
    .max(100 * 1024 * 1024)
    .default(25 * 1024 * 1024),
  // How often the worker deletes kept bytes nothing names any more (a day after they were last stored).
  ATTACHMENT_GC_PERIOD_SECONDS: Joi.number()
    .integer()
    .min(1)
    .max(24 * 3600)
    .default(3600),

  GRAPHQL_MAX_DEPTH: Joi.number().integer().min(2).max(50).default(10),
  GRAPHQL_MAX_COMPLEXITY: Joi.number().integer().min(10).default(2000),
  GRAPHQL_MAX_ALIASES: Joi.number().integer().min(1).default(20),
  GRAPHQL_MAX_TOKENS: Joi.number().integer().min(100).default(5000),
  GRAPHQL_IDE: Joi.boolean().default(true),
  GRAPHQL_JIT: Joi.boolean().default(true),

  THROTTLE_LOGIN_PER_EMAIL: Joi.number().integer().min(1).default(10),
  THROTTLE_LOGIN_PER_IP: Joi.number().integer().min(1).default(50),
  THROTTLE_WINDOW_SECONDS: Joi.number().integer().min(1).default(900),
})
  .and('INBOUND_SMTP_TLS_CERT', 'INBOUND_SMTP_TLS_KEY')
  .and('GOOGLE_PUSH_AUDIENCE', 'GOOGLE_PUSH_SERVICE_ACCOUNT')
  .unknown(true);

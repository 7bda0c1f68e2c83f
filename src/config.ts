import { availableParallelism } from 'node:os';
import { databaseConfig, DEFAULT_REPLICA_SETTINGS, redact, type DatabaseConfig, type ReplicaSettings } from './db/config.js';
import { DEFAULT_DELIVERY_CACHE, type DeliveryCacheOptions } from './delivery/response-cache.js';
import { parseCorsOrigins } from './http/cors.js';
import { DEFAULT_QUERY_LIMITS, type QueryLimits } from './http/limits.js';
import { DEFAULT_RATE_LIMITS, type RateLimits } from './http/rate-limit.js';
import { LOG_LEVELS, type LogLevel } from './http/request-log.js';
import { MIN_KEY_LENGTH, webhookKey } from './webhooks/secrets.js';
import { DEFAULT_INTERACTION_RETENTION_DAYS, MAX_INTERACTION_RETENTION_DAYS } from './interactions/retention.js';
import { DEFAULT_RETRY_SCHEDULE, parseRetrySchedule, type WebhookSettings } from './webhooks/settings.js';

/** Settings, all from environment variables (documented in the README). */
export interface AppConfig {
  port: number;
  /** Loopback in development (the demo keys are public), every interface in production. */
  host: string;
  /** development: GraphiQL, introspection and the demo by default; production: none of them. */
  mode: 'development' | 'production';
  database: DatabaseConfig;
  /** Load the demo workspace into an empty database on start. */
  demoData: boolean;
  /** Seconds a valid API key is remembered between lookups. */
  keyCacheSeconds: number;
  /** Server processes on this machine sharing the port (node:cluster); 1: just this process. */
  workers: number;
  /** Worker threads that execute heavy queries (analysis/threads.ts); 0: all on the main thread. */
  analysisThreads: number;
  /** GraphiQL at /graphql for browsers. */
  graphiql: boolean;
  /** Whether __schema and __type queries are answered. */
  introspection: boolean;
  queryLimits: QueryLimits;
  /** Largest request body accepted, in bytes (413 above). */
  maxBodyBytes: number;
  /** Origins browsers may call the API from; null: any. */
  corsOrigins: string[] | null;
  /** The DELIVERY answers' cache and the max-age sent with them. */
  deliveryCache: DeliveryCacheOptions;
  rateLimits: RateLimits;
  /** Where rate-limit counters live: each instance's memory, or PostgreSQL, shared by all instances. */
  rateLimitStore: 'memory' | 'postgres';
  /** How long SIGTERM waits for requests in flight before cutting them. */
  drainTimeoutSeconds: number;
  /** The server's public origin (and path prefix), for absolute URLs in answers; null: the request's own. */
  publicUrl: string | null;
  /** The bearer token Prometheus sends to /metrics; null: no /metrics at all. */
  metricsToken: string | null;
  /** The least severe log lines written. */
  logLevel: LogLevel;
  webhooks: WebhookSettings;
  /** Whether this instance sends webhooks (and runs their clock); other instances on the same database send them otherwise. */
  webhookDispatch: boolean;
  /** Days raw interactions are kept (and how old an event may be to be recorded); the roll-ups are kept for good. */
  interactionRetentionDays: number;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const mode = env.NODE_ENV === 'production' ? 'production' : 'development';
  return {
    port: integer(env.PORT, 4000, 'PORT'),
    host: env.HOST || (mode === 'development' ? '127.0.0.1' : '0.0.0.0'),
    mode,
    database: { ...databaseConfig(env.DATABASE_URL), ...replicaSettings(env), preparedStatements: flag(env.DATABASE_PREPARED_STATEMENTS, true, 'DATABASE_PREPARED_STATEMENTS') },
    demoData: flag(env.DEMO_DATA, mode === 'development', 'DEMO_DATA'),
    keyCacheSeconds: integer(env.API_KEY_CACHE_SECONDS, 10, 'API_KEY_CACHE_SECONDS'),
    workers: workers(env.WORKERS),
    analysisThreads: integer(env.ANALYSIS_THREADS, 1, 'ANALYSIS_THREADS'),
    graphiql: flag(env.GRAPHIQL, mode === 'development', 'GRAPHIQL'),
    introspection: flag(env.INTROSPECTION, mode === 'development', 'INTROSPECTION'),
    queryLimits: {
      depth: integer(env.MAX_QUERY_DEPTH, DEFAULT_QUERY_LIMITS.depth, 'MAX_QUERY_DEPTH'),
      aliases: integer(env.MAX_QUERY_ALIASES, DEFAULT_QUERY_LIMITS.aliases, 'MAX_QUERY_ALIASES'),
      directives: integer(env.MAX_QUERY_DIRECTIVES, DEFAULT_QUERY_LIMITS.directives, 'MAX_QUERY_DIRECTIVES'),
      tokens: integer(env.MAX_QUERY_TOKENS, DEFAULT_QUERY_LIMITS.tokens, 'MAX_QUERY_TOKENS'),
      cost: integer(env.MAX_QUERY_COST, DEFAULT_QUERY_LIMITS.cost, 'MAX_QUERY_COST'),
      ids: integer(env.MAX_QUERY_IDS, DEFAULT_QUERY_LIMITS.ids, 'MAX_QUERY_IDS'),
      expensiveFields: integer(env.MAX_QUERY_EXPENSIVE_FIELDS, DEFAULT_QUERY_LIMITS.expensiveFields, 'MAX_QUERY_EXPENSIVE_FIELDS'),
    },
    maxBodyBytes: integer(env.MAX_REQUEST_BODY_BYTES, DEFAULT_MAX_BODY_BYTES, 'MAX_REQUEST_BODY_BYTES'),
    corsOrigins: parseCorsOrigins(env.CORS_ORIGINS),
    deliveryCache: {
      size: integer(env.RESPONSE_CACHE_SIZE, DEFAULT_DELIVERY_CACHE.size, 'RESPONSE_CACHE_SIZE'),
      maxAgeSeconds: integer(env.RESPONSE_CACHE_SECONDS, DEFAULT_DELIVERY_CACHE.maxAgeSeconds, 'RESPONSE_CACHE_SECONDS'),
      httpMaxAgeSeconds: integer(env.CACHE_CONTROL_MAX_AGE_SECONDS, DEFAULT_DELIVERY_CACHE.httpMaxAgeSeconds, 'CACHE_CONTROL_MAX_AGE_SECONDS'),
    },
    rateLimits: {
      perKey: integer(env.RATE_LIMIT_PER_KEY, DEFAULT_RATE_LIMITS.perKey, 'RATE_LIMIT_PER_KEY'),
      perIp: integer(env.RATE_LIMIT_PER_IP, DEFAULT_RATE_LIMITS.perIp, 'RATE_LIMIT_PER_IP'),
      windowSeconds: integer(env.RATE_LIMIT_WINDOW_SECONDS, DEFAULT_RATE_LIMITS.windowSeconds, 'RATE_LIMIT_WINDOW_SECONDS'),
      trustProxy: flag(env.TRUST_PROXY, DEFAULT_RATE_LIMITS.trustProxy, 'TRUST_PROXY'),
    },
    rateLimitStore: rateLimitStore(env.RATE_LIMIT_STORE, env.DATABASE_URL),
    drainTimeoutSeconds: integer(env.SHUTDOWN_TIMEOUT_SECONDS, 25, 'SHUTDOWN_TIMEOUT_SECONDS'),
    publicUrl: publicUrl(env.PUBLIC_URL),
    metricsToken: metricsToken(env.METRICS_TOKEN),
    logLevel: logLevel(env.LOG_LEVEL),
    webhooks: {
      key: webhookSecretKey(env.WEBHOOK_SECRET_KEY),
      policy: { httpsOnly: mode === 'production', allowPrivate: flag(env.WEBHOOK_ALLOW_PRIVATE_TARGETS, false, 'WEBHOOK_ALLOW_PRIVATE_TARGETS') },
      retrySchedule: parseRetrySchedule(env.WEBHOOK_RETRY_SCHEDULE || DEFAULT_RETRY_SCHEDULE),
    },
    webhookDispatch: flag(env.WEBHOOK_DISPATCH, true, 'WEBHOOK_DISPATCH'),
    interactionRetentionDays: retentionDays(env.INTERACTION_RETENTION_DAYS),
  };
}

/** WORKERS: a count, or "auto" for one per core. */
function workers(raw: string | undefined): number {
  if (raw === 'auto') return availableParallelism();
  const count = integer(raw, 1, 'WORKERS');
  if (count < 1) throw new Error(`WORKERS must be at least 1, or auto (one per core); got "${raw}"`);
  return count;
}

/** DATABASE_REPLICA_URLS and the REPLICA_ settings: PostgreSQL only (a SQLite file has no replicas). */
function replicaSettings(env: NodeJS.ProcessEnv): { replicas?: ReplicaSettings } {
  const urls = (env.DATABASE_REPLICA_URLS ?? '')
    .split(',')
    .map((url) => url.trim())
    .filter(Boolean);
  if (urls.length === 0) return {};
  if (databaseConfig(env.DATABASE_URL).provider !== 'postgresql') throw new Error('DATABASE_REPLICA_URLS needs a PostgreSQL DATABASE_URL: a SQLite database has no replicas');
  for (const url of urls) {
    if (!/^postgres(ql)?:\/\//.test(url)) throw new Error(`DATABASE_REPLICA_URLS must be comma-separated postgresql:// URLs; got "${redact(url)}"`);
  }
  const positive = (raw: string | undefined, fallback: number, name: string) => {
    const value = integer(raw, fallback, name);
    if (value < 1) throw new Error(`${name} must be at least 1 (milliseconds); got "${raw}"`);
    return value;
  };
  return {
    replicas: {
      urls,
      maxLagMs: positive(env.REPLICA_MAX_LAG_MS, DEFAULT_REPLICA_SETTINGS.maxLagMs, 'REPLICA_MAX_LAG_MS'),
      readYourWritesMs: integer(env.REPLICA_READ_YOUR_WRITES_MS, DEFAULT_REPLICA_SETTINGS.readYourWritesMs, 'REPLICA_READ_YOUR_WRITES_MS'),
      checkIntervalMs: positive(env.REPLICA_CHECK_INTERVAL_MS, DEFAULT_REPLICA_SETTINGS.checkIntervalMs, 'REPLICA_CHECK_INTERVAL_MS'),
    },
  };
}

function retentionDays(raw: string | undefined): number {
  const days = integer(raw, DEFAULT_INTERACTION_RETENTION_DAYS, 'INTERACTION_RETENTION_DAYS');
  if (days < 1 || days > MAX_INTERACTION_RETENTION_DAYS) throw new Error(`INTERACTION_RETENTION_DAYS must be between 1 and ${MAX_INTERACTION_RETENTION_DAYS}; got "${raw}"`);
  return days;
}

function rateLimitStore(raw: string | undefined, databaseUrl: string | undefined): 'memory' | 'postgres' {
  if (!raw || raw === 'memory') return 'memory';
  if (raw !== 'postgres') throw new Error(`RATE_LIMIT_STORE must be memory or postgres; got "${raw}"`);
  if (databaseConfig(databaseUrl).provider !== 'postgresql') throw new Error('RATE_LIMIT_STORE=postgres needs a PostgreSQL DATABASE_URL: on SQLite, one server process counts alone anyway');
  return 'postgres';
}

function webhookSecretKey(raw: string | undefined): Buffer | null {
  if (!raw) return null;
  if (raw.length < MIN_KEY_LENGTH) throw new Error(`WEBHOOK_SECRET_KEY must be at least ${MIN_KEY_LENGTH} characters, e.g. from: openssl rand -base64 32`);
  return webhookKey(raw);
}

/**
 * 5 MB: a full 1,000-row importContent is well under 1 MB; anything larger
 * is a mistake or an attack.
 */
export const DEFAULT_MAX_BODY_BYTES = 5_000_000;

function integer(raw: string | undefined, fallback: number, name: string): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number; got "${raw}"`);
  return value;
}

function flag(raw: string | undefined, fallback: boolean, name: string): boolean {
  if (raw === undefined || raw === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new Error(`${name} must be true or false; got "${raw}"`);
}

/** PUBLIC_URL: an http(s) URL with no query or fragment; a trailing slash is dropped. */
function publicUrl(raw: string | undefined): string | null {
  if (!raw) return null;
  const url = URL.canParse(raw) ? new URL(raw) : null;
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.search || url.hash || url.username || url.password) {
    throw new Error(`PUBLIC_URL must be the server's public address, like https://api.example.com (a path prefix is allowed); got "${raw}"`);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** Long enough that guessing it is hopeless: the metrics endpoint is not rate-limited. */
const MIN_METRICS_TOKEN_LENGTH = 16;

function metricsToken(raw: string | undefined): string | null {
  if (!raw) return null;
  if (raw.length < MIN_METRICS_TOKEN_LENGTH || !/^[\x21-\x7e]+$/.test(raw)) {
    throw new Error(`METRICS_TOKEN must be at least ${MIN_METRICS_TOKEN_LENGTH} printable ASCII characters without spaces, e.g. from: openssl rand -hex 32`);
  }
  return raw;
}

function logLevel(raw: string | undefined): LogLevel {
  if (!raw) return 'info';
  const level = LOG_LEVELS.find((l) => l === raw.toLowerCase());
  if (!level) throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}; got "${raw}"`);
  return level;
}

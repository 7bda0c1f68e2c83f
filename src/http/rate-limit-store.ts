import pg from 'pg';
import { RateLimiterMemory, RateLimiterPostgres } from 'rate-limiter-flexible';
import { postgresConfig } from '../db/adapter.js';
import type { RateLimiterStore } from './rate-limit.js';

/**
 * Rate-limit counters every instance shares, in PostgreSQL (RATE_LIMIT_STORE=
 * postgres): then a limit holds across all instances instead of per
 * instance. rate-limiter-flexible keeps them in a table of its own
 * (rate_limit_counters, made on first start) on a small pool of its own, so
 * counting never waits for the pool requests use. While PostgreSQL cannot
 * be reached, each instance counts in memory (the library's insurance
 * limiter): requests keep being limited, per instance, rather than refused.
 */
export const RATE_LIMIT_TABLE = 'rate_limit_counters';
const POOL_SIZE = 4;

export interface SharedRateLimitStore {
  store: RateLimiterStore;
  /** Once the server made its limiters: resolves when the counters' table exists (rejects when it cannot be made). */
  ready(): Promise<void>;
  close(): Promise<void>;
}

export function postgresRateLimitStore(url: string): SharedRateLimitStore {
  const pool = new pg.Pool({ ...postgresConfig(url), max: POOL_SIZE, application_name: 'content-planning rate limits' });
  pool.on('error', () => {});
  const tables: Promise<void>[] = [];
  const store: RateLimiterStore = (options) => {
    let made!: (error?: unknown) => void;
    tables.push(new Promise<void>((resolve, reject) => (made = (error) => (error ? reject(error) : resolve()))));
    return new RateLimiterPostgres(
      { ...options, storeClient: pool, storeType: 'pool', tableName: RATE_LIMIT_TABLE, clearExpiredByTimeout: true, insuranceLimiter: new RateLimiterMemory(options) },
      (error: unknown) => made(error),
    );
  };
  return {
    store,
    ready: async () => {
      await Promise.all(tables);
    },
    close: () => pool.end(),
  };
}

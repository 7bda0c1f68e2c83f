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
/** The advisory lock's first key: 1 and 2 are the import's and the coverage rules'. */
const TABLE_LOCK = 3;

export interface SharedRateLimitStore {
  store: RateLimiterStore;
  close(): Promise<void>;
}

/** Resolves once the counters' table exists; rejects (and closes its pool) when it cannot be made. */
export async function postgresRateLimitStore(url: string): Promise<SharedRateLimitStore> {
  const pool = new pg.Pool({ ...postgresConfig(url), max: POOL_SIZE, application_name: 'content-planning rate limits' });
  pool.on('error', () => {});
  try {
    await makeTable(pool);
  } catch (error) {
    await pool.end();
    throw error;
  }
  const store: RateLimiterStore = (options) =>
    new RateLimiterPostgres({
      ...options,
      storeClient: pool,
      storeType: 'pool',
      tableName: RATE_LIMIT_TABLE,
      tableCreated: true,
      clearExpiredByTimeout: true,
      insuranceLimiter: new RateLimiterMemory(options),
    });
  return { store, close: () => pool.end() };
}

/**
 * The table, made once here rather than by each limiter: PostgreSQL's
 * CREATE TABLE IF NOT EXISTS is not safe against itself. Two at once (the
 * limiters of one process, or instances starting together) can fail with
 * "type already exists", so they take turns on an advisory lock. The
 * columns are the ones rate-limiter-flexible reads and writes.
 */
async function makeTable(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [TABLE_LOCK, RATE_LIMIT_TABLE]);
    await client.query(`CREATE TABLE IF NOT EXISTS "${RATE_LIMIT_TABLE}" (key varchar(255) PRIMARY KEY, points integer NOT NULL DEFAULT 0, expire bigint)`);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

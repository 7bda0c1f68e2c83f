import { availableParallelism } from 'node:os';
import BetterSqlite3 from 'better-sqlite3';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import type { DatabaseConfig } from './config.js';

/**
 * The Prisma driver adapters. The schema engine replays migrations on a
 * scratch "shadow" database: in memory for SQLite, a temporary database the
 * PostgreSQL adapter creates and drops itself. SQLite stores instants as
 * epoch milliseconds: numbers compare correctly in raw SQL, whatever text
 * format a writer would have chosen.
 */
export function driverAdapter(config: DatabaseConfig): PrismaBetterSqlite3 | PrismaPg {
  // The adapter owns this pool and closes it when the schema engine is done.
  return config.provider === 'postgresql' ? new PrismaPg(postgresConfig(config.url)) : sqliteAdapter(config.url);
}

export function sqliteAdapter(file: string, options: { readonly?: boolean } = {}): PrismaBetterSqlite3 {
  return new PrismaBetterSqlite3({ url: file, ...options }, { timestampFormat: 'unixepoch-ms', shadowDatabaseUrl: ':memory:' });
}

export function postgresAdapter(pool: pg.Pool): PrismaPg {
  // The pool is ours: the hot path sends its one statement through it too.
  return new PrismaPg(pool, { disposeExternalPool: false });
}

/** Timeouts turn a database outage into errors instead of requests that hang. */
export function postgresPool(url: string, options: pg.PoolConfig = {}): pg.Pool {
  const pool = new pg.Pool({ ...postgresConfig(url), ...options });
  // An idle connection the server drops (a restart, an outage) is replaced on the next checkout;
  // without a listener its error would end the process.
  pool.on('error', () => {});
  return pool;
}

export function postgresConfig(url: string): pg.PoolConfig {
  return {
    connectionString: url,
    max: poolSize(),
    connectionTimeoutMillis: milliseconds('DATABASE_CONNECT_TIMEOUT_MS', 5000),
    statement_timeout: milliseconds('DATABASE_STATEMENT_TIMEOUT_MS', 30_000),
  };
}

/**
 * Write-ahead logging: readers (the read connection, other processes) never
 * wait for a writer and see each commit as it lands. It is a property of the
 * file, so setting it once is enough; a memory database has no file.
 */
export function useWal(file: string): void {
  let db: BetterSqlite3.Database;
  try {
    db = new BetterSqlite3(file);
  } catch {
    return; // unreachable: every query will say so, and /readyz turns 503
  }
  try {
    db.pragma('journal_mode = WAL');
  } finally {
    db.close();
  }
}

function milliseconds(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

/**
 * How many heavy read statements (the matrix's recounts, the calendar,
 * search) run at once: worker threads on SQLite, connections of their own on
 * PostgreSQL, so they never take the main thread or the pool that delivery
 * needs. By default one less than the CPU cores on SQLite (the main thread
 * keeps one), two on PostgreSQL.
 */
export function analysisConcurrency(provider: DatabaseConfig['provider']): number {
  const fallback = provider === 'sqlite' ? Math.max(1, availableParallelism() - 1) : 2;
  const value = Number(process.env.ANALYSIS_CONCURRENCY ?? fallback);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

/** A pool of its own for heavy reads, with the same timeouts as the main one. */
export function analysisPool(url: string): pg.Pool {
  const pool = new pg.Pool({ ...postgresConfig(url), max: analysisConcurrency('postgresql'), application_name: 'content-planning analysis' });
  pool.on('error', () => {});
  return pool;
}

function poolSize(): number {
  const size = Number(process.env.DATABASE_POOL_SIZE ?? 10);
  return Number.isInteger(size) && size > 0 ? size : 10;
}

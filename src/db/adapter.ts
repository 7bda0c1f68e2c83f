import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import type { DatabaseConfig } from './config.js';

/**
 * The Prisma driver adapter for a database. The schema engine replays
 * migrations on a scratch "shadow" database: in memory for SQLite, a
 * temporary database the PostgreSQL adapter creates and drops itself. SQLite stores instants as
 * epoch milliseconds: numbers compare correctly in raw SQL, whatever text
 * format a writer would have chosen.
 */
export function driverAdapter(config: DatabaseConfig): PrismaBetterSqlite3 | PrismaPg {
  if (config.provider === 'postgresql') {
    // Timeouts turn a database outage into errors instead of requests that hang.
    return new PrismaPg({
      connectionString: config.url,
      max: poolSize(),
      connectionTimeoutMillis: milliseconds('DATABASE_CONNECT_TIMEOUT_MS', 5000),
      statement_timeout: milliseconds('DATABASE_STATEMENT_TIMEOUT_MS', 30_000),
    });
  }
  return new PrismaBetterSqlite3({ url: config.url }, { timestampFormat: 'unixepoch-ms', shadowDatabaseUrl: ':memory:' });
}

function milliseconds(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

function poolSize(): number {
  const size = Number(process.env.DATABASE_POOL_SIZE ?? 10);
  return Number.isInteger(size) && size > 0 ? size : 10;
}

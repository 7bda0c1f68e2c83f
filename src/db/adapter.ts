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
  if (config.provider === 'postgresql') return new PrismaPg({ connectionString: config.url, max: poolSize() });
  return new PrismaBetterSqlite3({ url: config.url }, { timestampFormat: 'unixepoch-ms', shadowDatabaseUrl: ':memory:' });
}

function poolSize(): number {
  const size = Number(process.env.DATABASE_POOL_SIZE ?? 10);
  return Number.isInteger(size) && size > 0 ? size : 10;
}

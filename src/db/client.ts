import { PrismaClient } from '../generated/sqlite/client.js';
import { PrismaClient as PostgresClient } from '../generated/postgresql/client.js';
import { driverAdapter } from './adapter.js';
import type { DatabaseConfig, Provider } from './config.js';
import { likeEscapeOnSqlite } from './like.js';

/**
 * The Prisma client the app is written against. Both generated clients come
 * from the same models and expose the same API; the SQLite client's type is
 * the one the code names.
 */
export type Db = PrismaClient;

/** A database handle plus the facts code needs to know about it. */
export interface Database {
  prisma: Db;
  provider: Provider;
  /** Counts SQL statements sent, for tests and the benchmark. */
  statements: StatementCounter;
  disconnect(): Promise<void>;
}

export interface StatementCounter {
  count: number;
  /** The statements seen while `listening` is true, newest last. */
  log: string[];
  listening: boolean;
}

export function openDatabase(config: DatabaseConfig): Database {
  const statements: StatementCounter = { count: 0, log: [], listening: false };
  const adapter = config.provider === 'sqlite' ? likeEscapeOnSqlite(driverAdapter(config)) : driverAdapter(config);
  const options = { adapter, log: [{ emit: 'event' as const, level: 'query' as const }] };
  const prisma =
    config.provider === 'postgresql'
      ? // Same models, same API: the PostgreSQL client is used through the shared type.
        (new PostgresClient(options) as unknown as PrismaClient)
      : new PrismaClient(options);
  // The client was built with query events on; its declared type just omits them.
  (prisma as unknown as PrismaClient<'query'>).$on('query', (event) => {
    statements.count += 1;
    if (statements.listening) statements.log.push(event.query);
  });
  return { prisma, provider: config.provider, statements, disconnect: () => prisma.$disconnect() };
}

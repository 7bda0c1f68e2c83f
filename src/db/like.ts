import type { SqlDriverAdapter, SqlDriverAdapterFactory, SqlQuery, SqlQueryable } from '@prisma/driver-adapter-utils';
import { withOverrides } from './overrides.js';

/**
 * Literal text in Prisma's `contains`, `startsWith` and `endsWith`, on both
 * databases. Prisma writes them as LIKE (ILIKE with mode: insensitive) and
 * passes the text as it is, so `%` and `_` in it are wildcards. Escaping
 * them with a backslash makes them ordinary characters: PostgreSQL's LIKE
 * and ILIKE take backslash as their escape character by default, and
 * `likeEscapeOnSqlite` gives SQLite's LIKE, which has none unless the
 * statement names one, the same.
 */
export function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

// The three LIKEs Prisma writes on SQLite: contains, startsWith, endsWith.
const PRISMA_LIKE = /LIKE \((?:'%' \|\| \? \|\| '%'|\? \|\| '%'|'%' \|\| \?)\)/g;

/** The SQLite adapter factory, with ESCAPE '\' added to every LIKE Prisma writes. */
export function likeEscapeOnSqlite(factory: SqlDriverAdapterFactory): SqlDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => escaping(await factory.connect()),
  };
}

/** The adapter or transaction, its statements rewritten; transactions it starts are wrapped too. */
function escaping<Q extends SqlQueryable>(queryable: Q): Q {
  const escaped = (query: SqlQuery): SqlQuery => ({ ...query, sql: query.sql.replace(PRISMA_LIKE, "$& ESCAPE '\\'") });
  const overrides: Partial<SqlDriverAdapter> = {
    queryRaw: (query) => queryable.queryRaw(escaped(query)),
    executeRaw: (query) => queryable.executeRaw(escaped(query)),
  };
  if ('startTransaction' in queryable) {
    const adapter = queryable as unknown as SqlDriverAdapter;
    overrides.startTransaction = async (...args) => escaping(await adapter.startTransaction(...args));
  }
  return withOverrides(queryable, overrides as Partial<Q>);
}

import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export type Provider = 'sqlite' | 'postgresql';

/** Where the database lives, read once from DATABASE_URL. */
export interface DatabaseConfig {
  provider: Provider;
  /** For SQLite a file path (or ':memory:'), for PostgreSQL the connection string. */
  url: string;
  /** PostgreSQL read replicas (DATABASE_REPLICA_URLS); absent or empty: every read goes to `url`. */
  replicas?: ReplicaSettings;
  /**
   * PostgreSQL: send the hot path's statements as named prepared statements
   * (db/prepared.ts); absent: true. False for a pooler that cannot keep them
   * (DATABASE_PREPARED_STATEMENTS=false).
   */
  preparedStatements?: boolean;
}

/** Where reads may go besides the primary, and when not (see replicas.ts). */
export interface ReplicaSettings {
  urls: string[];
  /** A replica further behind the primary than this is skipped until it catches up. */
  maxLagMs: number;
  /** How long a key that wrote reads from the primary, on every instance, to see its own writes. */
  readYourWritesMs: number;
  /** How often each replica's health and lag are measured. */
  checkIntervalMs: number;
}

export const DEFAULT_REPLICA_SETTINGS: Omit<ReplicaSettings, 'urls'> = { maxLagMs: 5000, readYourWritesMs: 5000, checkIntervalMs: 1000 };

export const DEFAULT_SQLITE_FILE = 'data/content-planning.db';

export function databaseConfig(databaseUrl: string | undefined = process.env.DATABASE_URL): DatabaseConfig {
  const url = databaseUrl?.trim() || `file:${DEFAULT_SQLITE_FILE}`;
  if (/^postgres(ql)?:\/\//.test(url)) return { provider: 'postgresql', url };
  if (url.startsWith('file:')) return { provider: 'sqlite', url: sqliteFile(url.slice('file:'.length)) };
  throw new Error(`DATABASE_URL must start with file: (SQLite) or postgresql:// (PostgreSQL); got "${redact(url)}"`);
}

function sqliteFile(path: string): string {
  if (path === ':memory:') return path;
  const absolute = resolve(path);
  mkdirSync(dirname(absolute), { recursive: true });
  return absolute;
}

/** A URL fit for logs: the password is replaced. */
export function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}

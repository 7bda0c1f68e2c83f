import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { MigrationList } from '@prisma/schema-engine-wasm';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { postgresDatamodel } from '../../prisma/datamodel.mjs';
import { driverAdapter, postgresConfig } from './adapter.js';
import type { DatabaseConfig, Provider } from './config.js';
import { withSchemaEngine } from './schema-engine.js';

/**
 * Committed migrations, one folder per provider, in Prisma's usual layout
 * (`<timestamp>_<name>/migration.sql` and `migration_lock.toml`), so that
 * `prisma migrate deploy` on a connected machine reads the same folders.
 */
const PRISMA_DIR = resolve(import.meta.dirname, '../../prisma');
const NO_FILTERS = { externalTables: [], externalEnums: [] };

export function migrationsDir(provider: Provider): string {
  return join(PRISMA_DIR, 'migrations', provider);
}

/** The datamodel of one provider, derived from the single schema file. */
export function datamodel(provider: Provider): string {
  const sqlite = readFileSync(join(PRISMA_DIR, 'schema.prisma'), 'utf8');
  return provider === 'sqlite' ? sqlite : postgresDatamodel(sqlite);
}

export function migrationList(provider: Provider): MigrationList {
  const baseDir = migrationsDir(provider);
  const lockPath = join(baseDir, 'migration_lock.toml');
  const dirs = existsSync(baseDir)
    ? readdirSync(baseDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()
    : [];
  return {
    baseDir,
    lockfile: { path: 'migration_lock.toml', content: existsSync(lockPath) ? readFileSync(lockPath, 'utf8') : null },
    shadowDbInitScript: '',
    migrationDirectories: dirs.map((path) => ({
      path,
      migrationFile: { path: 'migration.sql', content: { tag: 'ok', value: readFileSync(join(baseDir, path, 'migration.sql'), 'utf8') } },
    })),
  };
}

/**
 * Applies pending migrations; answers the names of those it applied. The
 * engine starts only when a migration is pending: on SQLite it locks the
 * file exclusively, which a running server's open connections (WAL) would
 * refuse, so a command-line call next to a running server must not need it.
 */
export async function applyMigrations(config: DatabaseConfig): Promise<string[]> {
  const applied = new Set(await appliedMigrationNames(config));
  if (migrationList(config.provider).migrationDirectories.every((d) => applied.has(d.path))) return [];
  return withSchemaEngine(datamodel(config.provider), driverAdapter(config), async (engine) => {
    const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList: migrationList(config.provider), filters: NO_FILTERS });
    return appliedMigrationNames;
  });
}

/** The migrations the database records as applied (Prisma's `_prisma_migrations`); none for a new database. */
async function appliedMigrationNames(config: DatabaseConfig): Promise<string[]> {
  const query = 'SELECT migration_name AS name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL';
  if (config.provider === 'sqlite') {
    if (config.url === ':memory:' || !existsSync(config.url)) return [];
    const db = new BetterSqlite3(config.url, { readonly: true });
    try {
      const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'").get();
      return table ? (db.prepare(query).all() as { name: string }[]).map((r) => r.name) : [];
    } finally {
      db.close();
    }
  }
  const client = new pg.Client(postgresConfig(config.url));
  await client.connect();
  try {
    const { rows } = await client.query<{ exists: boolean }>("SELECT to_regclass('_prisma_migrations') IS NOT NULL AS exists");
    return rows[0]?.exists ? (await client.query<{ name: string }>(query)).rows.map((r) => r.name) : [];
  } finally {
    await client.end();
  }
}

/**
 * The SQL that would bring the committed migrations up to the datamodel
 * (empty, or Prisma's "empty migration" comment, when they match). Used to
 * write new migrations and to detect drift. On PostgreSQL, replaying existing
 * migrations trips on an adapter limit (the engine's catalogue queries return
 * a `"char"` column that @prisma/adapter-pg cannot map), so there it only
 * works from an empty history.
 */
export async function pendingSchemaChange(config: DatabaseConfig): Promise<string> {
  return withSchemaEngine(datamodel(config.provider), driverAdapter(config), async (engine) => {
    const list = migrationList(config.provider);
    const from = list.migrationDirectories.length > 0 ? { tag: 'migrations' as const, ...list } : { tag: 'empty' as const };
    const result = await engine.diff({
      from,
      to: { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: datamodel(config.provider) }] },
      script: true,
      exitCode: null,
      filters: NO_FILTERS,
    });
    return (result.stdout ?? '').trim();
  });
}

/** The SQL that creates the datamodel's schema in an empty database. */
export async function fullSchemaScript(config: DatabaseConfig): Promise<string> {
  return withSchemaEngine(datamodel(config.provider), driverAdapter(config), async (engine) => {
    const result = await engine.diff({
      from: { tag: 'empty' },
      to: { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: datamodel(config.provider) }] },
      script: true,
      exitCode: null,
      filters: NO_FILTERS,
    });
    return result.stdout ?? '';
  });
}

/** Writes `sql` as a new migration folder; answers its name. */
export function writeMigration(provider: Provider, name: string, sql: string, now = new Date()): string {
  const baseDir = migrationsDir(provider);
  mkdirSync(baseDir, { recursive: true });
  const lockPath = join(baseDir, 'migration_lock.toml');
  if (!existsSync(lockPath)) writeFileSync(lockPath, `provider = "${provider}"\n`);
  const stamp = now.toISOString().replace(/\D/g, '').slice(0, 14);
  const folder = `${stamp}_${name}`;
  mkdirSync(join(baseDir, folder));
  writeFileSync(join(baseDir, folder, 'migration.sql'), `${sql}\n`);
  return folder;
}

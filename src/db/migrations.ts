import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { MigrationList } from '@prisma/schema-engine-wasm';
import { postgresDatamodel } from '../../prisma/datamodel.mjs';
import { driverAdapter } from './adapter.js';
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

/** Applies pending migrations; answers the names of those it applied. */
export async function applyMigrations(config: DatabaseConfig): Promise<string[]> {
  return withSchemaEngine(datamodel(config.provider), driverAdapter(config), async (engine) => {
    const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList: migrationList(config.provider), filters: NO_FILTERS });
    return appliedMigrationNames;
  });
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

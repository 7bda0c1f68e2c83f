import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { applyMigrations, fullSchemaScript, migrationList, pendingSchemaChange } from '../src/db/migrations.js';
import { emptyDatabase, freshDatabase, testProvider } from './support/databases.js';

describe('committed migrations', () => {
  it('apply to an empty database once; a second run applies nothing', async () => {
    const config = await emptyDatabase();
    const all = migrationList(config.provider).migrationDirectories.map((d) => d.path);
    expect(all.length).toBeGreaterThan(0);
    expect(await applyMigrations(config)).toEqual(all);
    expect(await applyMigrations(config)).toEqual([]);
  });

  it.runIf(testProvider() === 'sqlite')('match the Prisma models with no drift (SQLite)', async () => {
    const change = await pendingSchemaChange({ provider: 'sqlite', url: ':memory:' });
    expect(change).toMatch(/^(-- This is an empty migration\.)?$/);
  });

  it.runIf(testProvider() === 'postgresql')('build the same schema as the Prisma models, column for column (PostgreSQL)', async () => {
    // The schema engine cannot replay a PostgreSQL history through the pg
    // adapter (see migrations.ts), so compare catalogues instead: one
    // database built by the migrations, one straight from the models.
    const migrated = await freshDatabase();
    const fromModels = await freshDatabase();
    await dropAll(fromModels.url);
    await run(fromModels.url, await fullSchemaScript(fromModels));
    expect(await catalogue(migrated.url)).toEqual(await catalogue(fromModels.url));
  });
});

async function run(url: string, sql: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

async function dropAll(url: string) {
  await run(url, 'DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
}

/** Tables, columns, indexes, constraints and enums of the public schema. */
async function catalogue(url: string) {
  const rows = async (sql: string) => ((await run(url, sql)) as pg.QueryResult).rows;
  return {
    columns: await rows(`SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name <> '_prisma_migrations' ORDER BY table_name, column_name`),
    indexes: await rows(`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY indexname`),
    constraints: await rows(`SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint
      WHERE connamespace = 'public'::regnamespace AND conname NOT LIKE '_prisma_migrations%' ORDER BY conname`),
    enums: await rows(`SELECT t.typname, array_agg(e.enumlabel ORDER BY e.enumsortorder) AS labels FROM pg_type t
      JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname ORDER BY t.typname`),
  };
}

import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import pg from 'pg';

/** Migrates one template database per run that every test file copies. */
export default async function setup(): Promise<() => Promise<void>> {
  process.env.TEST_RUN_ID = randomBytes(4).toString('hex');
  // Imported after the id is set: the module derives its names from it.
  const { applyMigrations } = await import('../../src/db/migrations.js');
  const { adminQuery, madeByRun, PG_TEMPLATE, pgUrl, SQLITE_TEMPLATE, testProvider, TMP_DIR } = await import('./databases.js');
  if (testProvider() === 'postgresql') {
    await adminQuery(`CREATE DATABASE ${PG_TEMPLATE}`);
    await applyMigrations({ provider: 'postgresql', url: pgUrl(PG_TEMPLATE) });
    // The run's databases go with it, as SQLite's files do: a long-lived server would otherwise collect them.
    return async () => {
      const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
      await client.connect();
      try {
        const made = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [madeByRun(process.env.TEST_RUN_ID ?? '')]);
        for (const name of [...made.rows.map((row) => row.datname), PG_TEMPLATE]) await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    };
  }
  mkdirSync(TMP_DIR, { recursive: true });
  await applyMigrations({ provider: 'sqlite', url: SQLITE_TEMPLATE });
  return async () => rmSync(TMP_DIR, { recursive: true, force: true });
}

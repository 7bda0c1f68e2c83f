import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';

/** Migrates one template database per run that every test file copies. */
export default async function setup(): Promise<() => Promise<void>> {
  process.env.TEST_RUN_ID = randomBytes(4).toString('hex');
  // Imported after the id is set: the module derives its names from it.
  const { applyMigrations } = await import('../../src/db/migrations.js');
  const { adminQuery, PG_TEMPLATE, pgUrl, SQLITE_TEMPLATE, testProvider, TMP_DIR } = await import('./databases.js');
  if (testProvider() === 'postgresql') {
    await adminQuery(`CREATE DATABASE ${PG_TEMPLATE}`);
    await applyMigrations({ provider: 'postgresql', url: pgUrl(PG_TEMPLATE) });
    return async () => {};
  }
  mkdirSync(TMP_DIR, { recursive: true });
  await applyMigrations({ provider: 'sqlite', url: SQLITE_TEMPLATE });
  return async () => rmSync(TMP_DIR, { recursive: true, force: true });
}

import { mkdirSync, rmSync } from 'node:fs';
import { applyMigrations } from '../../src/db/migrations.js';
import { adminQuery, PG_TEMPLATE, pgUrl, SQLITE_TEMPLATE, testProvider, TMP_DIR } from './databases.js';

/** Migrates one template database that every test file copies. */
export default async function setup(): Promise<void> {
  if (testProvider() === 'postgresql') {
    await adminQuery(`DROP DATABASE IF EXISTS ${PG_TEMPLATE}`);
    await adminQuery(`CREATE DATABASE ${PG_TEMPLATE}`);
    await applyMigrations({ provider: 'postgresql', url: pgUrl(PG_TEMPLATE) });
    return;
  }
  rmSync(TMP_DIR, { recursive: true, force: true });
  mkdirSync(TMP_DIR, { recursive: true });
  await applyMigrations({ provider: 'sqlite', url: SQLITE_TEMPLATE });
}

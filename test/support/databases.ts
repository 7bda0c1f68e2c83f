import { copyFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { DatabaseConfig } from '../../src/db/config.js';

/**
 * Test databases: one migrated template per run (made in global-setup), and
 * a fresh copy of it for each test file, so files never see each other's rows.
 */
// Named per run (global-setup sets TEST_RUN_ID before the workers start), so
// concurrent runs on one machine never share or delete each other's files.
const RUN_ID = process.env.TEST_RUN_ID ?? 'default';
export const TMP_DIR = resolve('.tmp/test', RUN_ID);
export const SQLITE_TEMPLATE = join(TMP_DIR, 'template.db');
export const PG_TEMPLATE = `content_planning_template_${RUN_ID}`;

export function testProvider(): 'sqlite' | 'postgresql' {
  return process.env.TEST_DATABASE_URL ? 'postgresql' : 'sqlite';
}

/** The server URL with another database name. */
export function pgUrl(database: string): string {
  const url = new URL(process.env.TEST_DATABASE_URL ?? '');
  url.pathname = `/${database}`;
  return url.toString();
}

export async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A new database's name: its kind, then the run's id, so the run's teardown finds every one it made. */
function runDatabaseName(kind: string): string {
  return `${kind}_${RUN_ID}_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
}

/** The PostgreSQL databases this run made: what global-setup drops at the end. */
export function madeByRun(runId: string): string {
  return `%\\_${runId}\\_%`;
}

/** A fresh, migrated database for one test file. */
export async function freshDatabase(): Promise<DatabaseConfig> {
  const name = runDatabaseName('t');
  if (testProvider() === 'postgresql') {
    await adminQuery(`CREATE DATABASE ${name} TEMPLATE ${PG_TEMPLATE}`);
    return { provider: 'postgresql', url: pgUrl(name) };
  }
  mkdirSync(TMP_DIR, { recursive: true });
  const file = join(TMP_DIR, `${name}.db`);
  copyFileSync(SQLITE_TEMPLATE, file);
  return { provider: 'sqlite', url: file };
}

/** A brand-new database with no tables at all. */
export async function emptyDatabase(): Promise<DatabaseConfig> {
  const name = runDatabaseName('e');
  if (testProvider() === 'postgresql') {
    await adminQuery(`CREATE DATABASE ${name}`);
    return { provider: 'postgresql', url: pgUrl(name) };
  }
  mkdirSync(TMP_DIR, { recursive: true });
  return { provider: 'sqlite', url: join(TMP_DIR, `${name}.db`) };
}

import { statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../src/db/client.js';
import { freshDatabase, testProvider } from './support/databases.js';

describe.skipIf(testProvider() !== 'sqlite')('WAL checkpoints on a thread of their own (SQLite only: PostgreSQL checkpoints itself)', () => {
  let database: Database;
  let file: string;

  beforeAll(async () => {
    const config = await freshDatabase();
    file = config.url;
    database = openDatabase(config);
    await database.ready;
  });
  afterAll(() => database?.disconnect());

  it('leaves checkpoints to the thread: the main thread connection checkpoints only past 10,000 pages', async () => {
    const [setting] = await database.prisma.$queryRawUnsafe<{ wal_autocheckpoint: unknown }[]>('PRAGMA wal_autocheckpoint');
    expect(Number(setting?.wal_autocheckpoint)).toBe(10_000);
  });

  it('copies committed pages into the database file from the other thread', async () => {
    await database.prisma.$executeRawUnsafe('CREATE TABLE "CheckpointProbe" ("payload" BLOB)');
    const before = statSync(file).size;
    // About 8 MB in the log: past the 1,000 pages SQLite's own checkpoint waits for, short of the writer's 10,000.
    await database.prisma.$executeRawUnsafe('WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) INSERT INTO "CheckpointProbe" SELECT randomblob(4000) FROM n');
    // The writer leaves its pages in the log; only the checkpointer thread moves them into the file.
    let size = statSync(file).size;
    for (let waited = 0; size < before + 7_000_000 && waited < 10_000; waited += 50) {
      await sleep(50);
      size = statSync(file).size;
    }
    expect(size - before).toBeGreaterThan(7_000_000);
  });
});

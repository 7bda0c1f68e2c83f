import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../src/db/client.js';
import { freshDatabase, testProvider } from './support/databases.js';

describe.skipIf(testProvider() !== 'sqlite')('transactions beside other writers of the same SQLite file (another process, the command line)', () => {
  let database: Database;
  let other: BetterSqlite3.Database;

  beforeAll(async () => {
    const config = await freshDatabase();
    database = openDatabase(config);
    await database.ready;
    await database.prisma.$executeRawUnsafe('CREATE TABLE "WriterProbe" ("by" TEXT)');
    // Another writer, as another process would be; it never waits (timeout 0), so the test sees who holds the lock.
    other = new BetterSqlite3(config.url, { timeout: 0 });
  });
  afterAll(async () => {
    other?.close();
    await database?.disconnect();
  });

  it('take the write lock when they begin: a transaction that reads and then writes never fails because another writer committed in between', async () => {
    const attempts: string[] = [];
    const otherWrites = () => {
      try {
        other.prepare('INSERT INTO "WriterProbe" VALUES (\'other\')').run();
        attempts.push('written');
      } catch (error) {
        attempts.push((error as { code?: string }).code ?? 'failed');
      }
    };
    await database.prisma.$transaction(async (tx) => {
      await tx.$queryRawUnsafe('SELECT COUNT(*) FROM "WriterProbe"');
      otherWrites(); // with a deferred BEGIN this commits, and the write below fails with SQLITE_BUSY_SNAPSHOT
      await tx.$executeRawUnsafe('INSERT INTO "WriterProbe" VALUES (\'transaction\')');
    });
    otherWrites();
    expect(attempts).toEqual(['SQLITE_BUSY', 'written']);
    const rows = await database.prisma.$queryRawUnsafe<{ by: string }[]>('SELECT "by" FROM "WriterProbe" ORDER BY rowid');
    expect(rows.map((r) => r.by)).toEqual(['transaction', 'other']);
  });
});

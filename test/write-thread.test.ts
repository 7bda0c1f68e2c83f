import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../src/db/client.js';
import type { WriteThread } from '../src/db/write-thread.js';
import { freshDatabase, testProvider } from './support/databases.js';
import { PROGRAMS } from './support/write-programs.js';

describe.skipIf(testProvider() !== 'sqlite')('the SQLite write thread (heavy write transactions off the main thread)', () => {
  let database: Database;
  let thread: WriteThread;
  const probes = async () => (await database.reader.$queryRawUnsafe<{ by: string }[]>('SELECT "by" FROM "WriterProbe" ORDER BY rowid')).map((r) => r.by);

  beforeAll(async () => {
    database = openDatabase(await freshDatabase());
    await database.ready;
    await database.prisma.$executeRawUnsafe('CREATE TABLE "WriterProbe" ("by" TEXT)');
    if (!database.writeThread) throw new Error('a SQLite file has a write thread');
    thread = database.writeThread;
  });
  afterAll(async () => {
    await database?.disconnect();
  });

  it('takes turns with the main connection: a transaction there waits for the thread without holding up the main thread, then runs', async () => {
    const flags = new Int32Array(new SharedArrayBuffer(8));
    const held = thread.transaction<string>({ module: PROGRAMS, name: 'writeAndHold' }, ['thread', flags]);
    while (Atomics.load(flags, 1) === 0) await new Promise((resolve) => setTimeout(resolve, 10)); // until the thread holds the lock
    let mainDone = false;
    // Without the turns, this would sleep in SQLite's busy handler on the main thread: no timer below could fire, and it would fail SQLITE_BUSY.
    const main = database.prisma
      .$transaction(async (tx) => {
        await tx.$executeRawUnsafe('INSERT INTO "WriterProbe" VALUES (\'main\')');
      })
      .then(() => (mainDone = true));
    const ticks: number[] = [];
    for (let i = 0; i < 5; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      ticks.push(i);
    }
    expect(ticks).toEqual([0, 1, 2, 3, 4]);
    expect(mainDone).toBe(false);
    Atomics.store(flags, 0, 1);
    Atomics.notify(flags, 0);
    expect(await held).toBe('thread');
    await main;
    expect(await probes()).toEqual(['thread', 'main']);
  });

  it('rolls back a program that throws, answers its error, and goes on with the next', async () => {
    const before = await probes();
    await expect(thread.transaction({ module: PROGRAMS, name: 'writeAndFail' }, ['failing'])).rejects.toThrow('failing failed on purpose');
    expect(await probes()).toEqual(before);
    expect(await thread.transaction<number>({ module: PROGRAMS, name: 'writeAndCount' }, ['after failure'])).toBe(before.length + 1);
  });

  it('answers an error for an answer it cannot send back, and goes on with the next', async () => {
    await expect(thread.transaction({ module: PROGRAMS, name: 'answerUncopyable' }, [])).rejects.toThrow(/could not send its answer back/);
    expect(await thread.transaction<number>({ module: PROGRAMS, name: 'writeAndCount' }, ['after uncopyable'])).toBeGreaterThan(0);
  });

  it('counts the statements the thread sent', async () => {
    const before = database.statements.count;
    await thread.transaction({ module: PROGRAMS, name: 'writeAndCount' }, ['counted']);
    // BEGIN IMMEDIATE, the INSERT, the SELECT, COMMIT.
    expect(database.statements.count - before).toBe(4);
  });

  it('fails the transaction of a thread that stops, writes none of it, and starts a new thread for the next', async () => {
    const before = await probes();
    await expect(thread.transaction({ module: PROGRAMS, name: 'stopThread' }, ['crashing'])).rejects.toThrow(/write thread stopped/);
    expect(await probes()).toEqual(before);
    expect(await thread.transaction<number>({ module: PROGRAMS, name: 'writeAndCount' }, ['after crash'])).toBe(before.length + 1);
  });
});

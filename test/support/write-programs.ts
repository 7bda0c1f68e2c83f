import { Prisma } from '../../src/generated/sqlite/client.js';
import type { TransactionStatements } from '../../src/db/statements.js';

/**
 * Programs for the write thread's tests (write-thread.test.ts), run on the
 * thread as the store's are: by this module's URL and their names.
 */
export const PROGRAMS = import.meta.url;

/**
 * Writes a row, sets flags[1] (it holds the write lock now), then waits,
 * blocking the thread, until flags[0] is set.
 */
export async function writeAndHold(statements: TransactionStatements, by: string, flags: Int32Array): Promise<string> {
  await statements.run(Prisma.sql`INSERT INTO "WriterProbe" VALUES (${by})`);
  Atomics.store(flags, 1, 1);
  Atomics.wait(flags, 0, 0, 10_000);
  return by;
}

/** Writes a row, then fails: nothing of it may stay. */
export async function writeAndFail(statements: TransactionStatements, by: string): Promise<never> {
  await statements.run(Prisma.sql`INSERT INTO "WriterProbe" VALUES (${by})`);
  throw new Error(`${by} failed on purpose`);
}

/** Writes a row and answers the rows there are. */
export async function writeAndCount(statements: TransactionStatements, by: string): Promise<number> {
  await statements.run(Prisma.sql`INSERT INTO "WriterProbe" VALUES (${by})`);
  const [row] = await statements.all<{ n: number }>(Prisma.sql`SELECT COUNT(*) AS n FROM "WriterProbe"`);
  return Number(row?.n);
}

/** Ends the thread in the middle of a transaction, as a crash would. */
export async function stopThread(statements: TransactionStatements, by: string): Promise<never> {
  await statements.run(Prisma.sql`INSERT INTO "WriterProbe" VALUES (${by})`);
  process.exit(1);
}

/** Answers something postMessage cannot copy. */
export async function answerUncopyable(statements: TransactionStatements): Promise<() => number> {
  await statements.all(Prisma.sql`SELECT 1`);
  return () => 1;
}

/** Holds its turn without writing: sets flags[1], then waits until flags[0] is set. */
export async function holdTurn(statements: TransactionStatements, flags: Int32Array): Promise<void> {
  await statements.all(Prisma.sql`SELECT 1`);
  Atomics.store(flags, 1, 1);
  Atomics.wait(flags, 0, 0, 10_000);
}

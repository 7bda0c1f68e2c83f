import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prisma } from '../src/generated/sqlite/client.js';
import { openDatabase, type Database } from '../src/db/client.js';
import { createApiKey } from '../src/auth/keys.js';
import { analysisConcurrency } from '../src/db/adapter.js';
import { createServer } from '../src/server.js';
import { freshDatabase, testProvider } from './support/databases.js';

/**
 * Heavy reads (Database.analyze) leave the main thread free: on SQLite they
 * run on worker threads with connections of their own, on PostgreSQL on a
 * pool of their own. The proof is the event loop's own: timers keep firing
 * while such a statement runs, where the synchronous driver path stops them.
 */
let database: Database;
beforeAll(async () => {
  database = openDatabase(await freshDatabase());
  await database.ready;
});
afterAll(() => database.disconnect());

/** A statement that keeps the database busy for a while, the same on both databases. */
const SLOW = Prisma.sql`WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000) SELECT COUNT(*) AS n FROM c`;

/** How many times a 1 ms timer fired while `work` ran. */
async function ticksDuring(work: () => Promise<unknown>): Promise<number> {
  let ticks = 0;
  const timer = setInterval(() => (ticks += 1), 1);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return ticks;
}

describe('heavy reads', () => {
  it('run while the event loop keeps turning, and answer what the statement says', async () => {
    let rows: { n: unknown }[] = [];
    const ticks = await ticksDuring(async () => (rows = await database.analyze<{ n: unknown }>(SLOW)));
    expect(Number(rows[0]?.n)).toBe(1_000_000);
    expect(ticks).toBeGreaterThan(1);
    if (database.provider === 'sqlite') {
      // The contrast: the same statement on the main thread's connection stops every timer.
      expect(await ticksDuring(() => database.query(SLOW))).toBe(0);
    }
  });

  it('run side by side, up to ANALYSIS_CONCURRENCY at once, the rest waiting their turn', async () => {
    const answers = await Promise.all(Array.from({ length: 5 }, (_, i) => database.analyze<{ n: unknown }>(Prisma.sql`SELECT ${i + 1} + 0 AS n`)));
    expect(answers.map((rows) => Number(rows[0]?.n))).toEqual([1, 2, 3, 4, 5]);
  });

  it('fail with the database\'s error and leave the next statement working', async () => {
    await expect(database.analyze(Prisma.sql`SELECT * FROM "NoSuchTable"`)).rejects.toThrow(/NoSuchTable/);
    const rows = await database.analyze<{ n: unknown }>(Prisma.sql`SELECT COUNT(*) AS n FROM "Workspace"`);
    expect(Number(rows[0]?.n)).toBeGreaterThanOrEqual(0);
  });

  it('are counted as statements, and as analysed ones', async () => {
    const { count, analyzed } = database.statements;
    await database.analyze(Prisma.sql`SELECT 1 AS one`);
    expect(database.statements.count - count).toBe(1);
    expect(database.statements.analyzed - analyzed).toBe(1);
  });
});

describe('title searches', () => {
  it('take turns on the main connection (one at a time on SQLite, ANALYSIS_CONCURRENCY on PostgreSQL); other lists never wait for them', async () => {
    const turns = { running: 0, most: 0, taken: 0 };
    const bounded = database.bounded;
    database.bounded = (work) =>
      bounded(async () => {
        turns.taken += 1;
        turns.most = Math.max(turns.most, (turns.running += 1));
        try {
          await new Promise((resolve) => setTimeout(resolve, 5)); // long enough for the others to try
          return await work();
        } finally {
          turns.running -= 1;
        }
      });
    try {
      const workspace = await database.prisma.workspace.create({ data: { name: 'Searches' } });
      const key = (await createApiKey(database.prisma, workspace.id, 'editor', 'EDITOR')).secret;
      const yoga = createServer({ database, mode: 'production' });
      // Four requests at once (a request may hold at most two expensive fields), each one search beside a plain list.
      const ask = async (n: number) =>
        (
          await yoga.fetch('http://test/graphql', {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
            body: JSON.stringify({ query: `{ search: contentPieces(first: 5, filter: { search: "title ${n}" }) { totalCount edges { node { id } } } plain: contentPieces(first: 5) { totalCount edges { node { id } } } }` }),
          })
        ).json() as Promise<{ errors?: unknown; data?: Record<string, { totalCount: number }> }>;
      for (const body of await Promise.all([1, 2, 3, 4].map(ask))) {
        expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
        expect(body.data?.search?.totalCount).toBe(0);
      }
      // Each search's page and count took a turn; the plain list took none.
      expect(turns.taken).toBe(8);
      expect(turns.most).toBe(database.provider === 'sqlite' ? 1 : Math.min(4 * 2, analysisConcurrency('postgresql')));
      await yoga.dispose();
    } finally {
      database.bounded = bounded;
    }
  });
});

describe('heavy reads waiting their turn on PostgreSQL', () => {
  it.runIf(testProvider() === 'postgresql')('wait as long as the turns before them take, not the pool\'s connect timeout', async () => {
    const previous = process.env.DATABASE_CONNECT_TIMEOUT_MS;
    process.env.DATABASE_CONNECT_TIMEOUT_MS = '300'; // read when the analysis pool opens, on the first heavy read below
    const waiting = openDatabase(await freshDatabase());
    try {
      const turns = analysisConcurrency('postgresql');
      // Three rounds of statements that each take longer than the connect timeout.
      const results = await Promise.allSettled(Array.from({ length: turns * 3 }, () => waiting.analyze<{ done: number }>(Prisma.sql`SELECT 1 AS done FROM pg_sleep(0.4)`)));
      expect(results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
      expect(results.map((r) => Number((r as PromiseFulfilledResult<{ done: number }[]>).value[0]?.done))).toEqual(Array(turns * 3).fill(1));
    } finally {
      if (previous === undefined) delete process.env.DATABASE_CONNECT_TIMEOUT_MS;
      else process.env.DATABASE_CONNECT_TIMEOUT_MS = previous;
      await waiting.disconnect();
    }
  });
});

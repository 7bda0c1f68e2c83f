import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prisma } from '../src/generated/sqlite/client.js';
import { openDatabase, type Database } from '../src/db/client.js';
import { MAX_PREPARED_TEXTS, PreparedNames } from '../src/db/prepared.js';
import { createServer } from '../src/server.js';
import { startTestApp, type TestApp, type WorkspaceKeys } from './support/app.js';
import { testProvider } from './support/databases.js';
import { Fixture } from './support/fixtures.js';
import { recordTotals } from './support/interactions.js';

/**
 * The recommendation's statement is sent as a named prepared statement on
 * PostgreSQL: parsed and planned once per connection instead of on every
 * request, with the same answers and still one statement per request. One
 * connection per pool here, so the statements it holds can be read from it
 * (pg_prepared_statements is per connection).
 */
const WITH_COUNT = /* GraphQL */ `
  query ($segment: String!, $phase: String!, $channel: String!, $locale: Locale, $first: Int, $after: String) {
    recommendedContent(segment: $segment, phase: $phase, channel: $channel, locale: $locale, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { score node { title locale } reason { code } }
    }
  }
`;
const WITHOUT_COUNT = WITH_COUNT.replace('totalCount', '');

let app: TestApp;
let ws: WorkspaceKeys;
let f: Fixture;
/** The same data through a server whose statements are all unnamed (DATABASE_PREPARED_STATEMENTS=false). */
let plain: Database;
let plainServer: ReturnType<typeof createServer>;
let poolSize: string | undefined;

interface Prepared {
  name: string;
  statement: string;
  generic_plans: number | string;
  custom_plans: number | string;
}

/** The named statements the (one) connection of `database`'s pool holds. */
async function preparedOn(database: Database): Promise<Prepared[]> {
  return database.query<Prepared>(Prisma.sql`SELECT name, statement, generic_plans, custom_plans FROM pg_prepared_statements ORDER BY name`);
}
const recommendations = (rows: Prepared[]) => rows.filter((row) => row.statement.includes('"ContentTarget"'));

/** The same request to both servers, with the statements each sent for it. */
async function ask(query: string, variables: Record<string, unknown>) {
  const before = { prepared: app.database.statements.count, unnamed: plain.statements.count };
  const prepared = await app.gql(ws.EDITOR, query, variables);
  const response = await plainServer.fetch('http://test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ws.EDITOR}` },
    body: JSON.stringify({ query, variables }),
  });
  const unnamed = (await response.json()) as typeof prepared;
  return { prepared, unnamed, statements: { prepared: app.database.statements.count - before.prepared, unnamed: plain.statements.count - before.unnamed } };
}

/** An answer without its cursors: each server signs its own. */
const content = (answer: { data?: Record<string, any> }) => JSON.stringify(answer.data, (key, value) => (key === 'endCursor' ? undefined : value));

beforeAll(async () => {
  poolSize = process.env.DATABASE_POOL_SIZE;
  process.env.DATABASE_POOL_SIZE = '1';
  app = await startTestApp();
  plain = openDatabase({ ...app.config, preparedStatements: false });
  plainServer = createServer({ database: plain, mode: 'production' });
  ws = await app.workspace();
  f = new Fixture(app.database.prisma, ws.workspaceId);
  await f.journey('b2b', [['awareness', 'BECOME'], ['decision', 'BECOME']]);
  await f.segment('mkb', undefined, 'B2B');
  await f.segment('zzp', 'mkb', 'B2B');
  await f.channel('website');
  const engaged: string[] = [];
  for (let i = 0; i < 12; i++) {
    const segments = i % 3 === 0 ? [] : i % 3 === 1 ? ['mkb'] : ['zzp'];
    const piece = await f.piece({ title: `piece ${i}`, phases: ['awareness', 'decision'], channels: ['website'], segments, priority: 50 + (i % 4), locale: i % 5 === 0 ? 'en-GB' : 'nl-NL' });
    engaged.push(piece.id);
  }
  // Roll-ups in awareness × website for zzp only: decision has none, so both kinds of cell are asked.
  await recordTotals(
    app.database,
    ws.workspaceId,
    engaged.map((pieceId, i) => ({ pieceId, segmentId: f.segments.get('zzp') as string, phaseId: f.phase('awareness'), channelId: f.channels.get('website') as string, impressions: 100, clicks: (i * 7) % 40 })),
  );
});
afterAll(async () => {
  await plainServer?.dispose();
  await plain?.disconnect();
  await app?.close();
  if (poolSize === undefined) delete process.env.DATABASE_POOL_SIZE;
  else process.env.DATABASE_POOL_SIZE = poolSize;
});

describe('the recommendation statement, prepared', () => {
  it('answers exactly as when sent unnamed, page by page, before and after PostgreSQL settles on a plan, in one statement per request', async () => {
    const cells = [
      { segment: 'zzp', phase: 'awareness', channel: 'website' }, // roll-ups for every piece
      { segment: 'zzp', phase: 'decision', channel: 'website' }, // none
      { segment: 'mkb', phase: 'awareness', channel: 'website' }, // a shorter chain: another text
    ];
    // Page by page, each text runs more than five times: PostgreSQL plans a prepared statement afresh
    // for its first five executions, then may keep a generic plan. The second round runs on that plan.
    for (let round = 0; round < 2; round++) {
      for (const cell of cells) {
        for (const [query, locale] of [
          [WITH_COUNT, null],
          [WITHOUT_COUNT, 'en-GB'],
        ] as const) {
          let after: string | null = null;
          let pages = 0;
          do {
            const variables: Record<string, unknown> = { ...cell, locale, first: 1, after };
            const { prepared, unnamed, statements } = await ask(query, variables);
            expect(prepared.errors).toBeUndefined();
            expect(content(prepared)).toBe(content(unnamed));
            after = prepared.data?.recommendedContent.pageInfo.hasNextPage ? prepared.data.recommendedContent.pageInfo.endCursor : null;
            // The first round also reads the key, the catalogs and (the second server) its cursor key.
            if (round > 0) expect(statements).toEqual({ prepared: 1, unnamed: 1 });
            pages += 1;
          } while (after !== null);
          expect(pages).toBeGreaterThan(1);
        }
      }
    }
  });

  it.skipIf(testProvider() !== 'postgresql')('is parsed once on the connection and executed from there (PostgreSQL)', async () => {
    const before = recommendations(await preparedOn(app.database));
    expect(before.length).toBeGreaterThan(0);
    // Every form asked above (chain length × count × locale) is there once, under a name of its own.
    expect(before.length).toBeLessThanOrEqual(4);
    for (const row of before) expect(row.name).toMatch(/^content_planning_[0-9a-f]{24}$/);
    const executions = (rows: Prepared[]) => rows.reduce((sum, row) => sum + Number(row.generic_plans) + Number(row.custom_plans), 0);
    const res = await app.gql(ws.EDITOR, WITH_COUNT, { segment: 'zzp', phase: 'awareness', channel: 'website', first: 3 });
    expect(res.errors).toBeUndefined();
    const after = recommendations(await preparedOn(app.database));
    expect(after.map((row) => row.name)).toEqual(before.map((row) => row.name));
    expect(executions(after)).toBe(executions(before) + 1);
  });

  it.skipIf(testProvider() !== 'postgresql')('DATABASE_PREPARED_STATEMENTS=false sends it unnamed: the connection holds no statement (PostgreSQL)', async () => {
    await ask(WITH_COUNT, { segment: 'zzp', phase: 'awareness', channel: 'website', first: 3 });
    expect(await preparedOn(plain)).toEqual([]);
  });

  it.skipIf(testProvider() !== 'postgresql')(`names at most ${MAX_PREPARED_TEXTS} texts per process; others go unnamed, so a connection never holds more (PostgreSQL)`, async () => {
    const database = openDatabase(app.config);
    try {
      for (let i = 0; i < MAX_PREPARED_TEXTS + 8; i++) {
        const [row] = await database.query<{ n: number }>(Prisma.sql`SELECT ${Prisma.raw(String(i))} AS n`, { prepared: true });
        expect(row?.n).toBe(i);
      }
      expect(await preparedOn(database)).toHaveLength(MAX_PREPARED_TEXTS);
    } finally {
      await database.disconnect();
    }
  });

  it.skipIf(testProvider() !== 'postgresql')('a connection that lost its prepared statement (DISCARD ALL, a pooler) or holds another by its name: answered unnamed (PostgreSQL)', async () => {
    const variables = { segment: 'zzp', phase: 'awareness', channel: 'website', first: 3 };
    const before = await app.gql(ws.EDITOR, WITH_COUNT, variables);
    expect(recommendations(await preparedOn(app.database)).length).toBeGreaterThan(0);
    await app.database.query(Prisma.sql`DEALLOCATE ALL`);
    const after = await app.gql(ws.EDITOR, WITH_COUNT, variables);
    expect(after.errors).toBeUndefined();
    expect(content(after)).toBe(content(before));

    const database = openDatabase(app.config);
    try {
      const sql = Prisma.sql`SELECT 41 + ${1} AS n`;
      await database.query(Prisma.sql`PREPARE ${Prisma.raw(new PreparedNames(true).of(sql.text) as string)} AS SELECT 0`);
      const [row] = await database.query<{ n: number }>(sql, { prepared: true });
      expect(row?.n).toBe(42);
    } finally {
      await database.disconnect();
    }
  });

  // Last: it changes the schema. A backwards-compatible migration applied while servers run (a rolling deploy).
  it.skipIf(testProvider() !== 'postgresql')('a migration that adds a column to the pieces while the server runs: the next request is answered, and the statement prepared again (PostgreSQL)', async () => {
    const variables = { segment: 'zzp', phase: 'awareness', channel: 'website', first: 3 };
    const before = await app.gql(ws.EDITOR, WITH_COUNT, variables);
    expect(recommendations(await preparedOn(app.database)).length).toBeGreaterThan(0);
    // The statement returns p.*: PostgreSQL refuses a prepared statement whose rows would change shape.
    await app.database.query(Prisma.sql`ALTER TABLE "ContentPiece" ADD COLUMN "addedByMigration" TEXT`);
    try {
      const after = await app.gql(ws.EDITOR, WITH_COUNT, variables);
      expect(after.errors).toBeUndefined();
      expect(content(after)).toBe(content(before));
      // The refused connection was closed; its replacement prepared the statement anew, and it serves again.
      const again = await app.gql(ws.EDITOR, WITH_COUNT, variables);
      expect(again.errors).toBeUndefined();
      expect(recommendations(await preparedOn(app.database)).length).toBe(1);
    } finally {
      await app.database.query(Prisma.sql`ALTER TABLE "ContentPiece" DROP COLUMN "addedByMigration"`);
    }
  });
});

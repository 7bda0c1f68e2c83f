import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnalysisThreads } from '../src/analysis/threads.js';
import { openDatabase, type Database } from '../src/db/client.js';
import { CURSOR_SECRET, serverSecret } from '../src/db/server-secrets.js';
import { loadDemoWorkspace } from '../src/demo/demo.js';
import { createServer } from '../src/server.js';
import { freshDatabase } from './support/databases.js';

/**
 * Heavy queries execute on analysis threads (ANALYSIS_THREADS): the main
 * thread parses, checks and answers, a thread with connections of its own
 * runs the resolvers and their SQL. The proof that they ran elsewhere: the
 * main connection's statement counter does not move, where a server without
 * threads sends its statements; the proof that nothing else changed: both
 * servers answer the same bytes, errors, codes and locations included.
 */
let database: Database;
let threads: AnalysisThreads;
let offloading: ReturnType<typeof createServer>;
let inline: ReturnType<typeof createServer>;
let keys: Record<string, string>;

beforeAll(async () => {
  const config = await freshDatabase();
  database = openDatabase(config);
  await database.ready;
  keys = Object.fromEntries((await loadDemoWorkspace(database)).keys.map((k) => [k.role, k.secret]));
  const cursorKey = await serverSecret(database.prisma, CURSOR_SECRET);
  threads = new AnalysisThreads(config, 1);
  // No response cache: every answer is computed, so each request shows where its statements ran.
  const deliveryCache = { size: 0, maxAgeSeconds: 0, httpMaxAgeSeconds: 0 };
  offloading = createServer({ database, mode: 'production', cursorKey, deliveryCache, analysisThreads: threads });
  inline = createServer({ database, mode: 'production', cursorKey, deliveryCache });
}, 60_000);
afterAll(async () => {
  await threads.close();
  await database.disconnect();
});

async function ask(server: ReturnType<typeof createServer>, role: string, query: string, variables: Record<string, unknown> = {}) {
  const before = database.statements.count;
  const response = await server.fetch('http://test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${keys[role]}` },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: await response.text(), statements: database.statements.count - before };
}

/** Each query twice on each server: the first warms the key caches, the second is compared. */
async function both(role: string, query: string, variables: Record<string, unknown> = {}) {
  await ask(offloading, role, query, variables);
  await ask(inline, role, query, variables);
  return { offloaded: await ask(offloading, role, query, variables), here: await ask(inline, role, query, variables) };
}

/** The last `n` UTC days, as contentPerformance takes them. */
function lastDays(n: number): { from: string; to: string } {
  const day = (offset: number) => new Date(Date.now() - offset * 86_400_000).toISOString().slice(0, 10);
  return { from: day(n - 1), to: day(0) };
}

const MATRIX = `query ($journey: String!) {
  contentMatrix(journey: $journey) { cells { status liveCount counts { published draft } } summary { overall { ratio } } }
}`;

describe('analysis threads', () => {
  it('execute the matrix, gaps, the calendar, touchpoint paths and performance beyond one cell off the main thread, with the answers the main thread gives', async () => {
    const heavy = [
      [MATRIX, { journey: 'consument' }],
      ['{ contentMatrix(journey: "consument") { cells { status engagement { impressions clicks conversions clickThroughRate conversionRate } } } }', {}],
      ['{ contentGaps(journey: "consument", first: 5) { totalCount edges { node { kind severity message } } } }', {}],
      ['{ contentCalendar(from: "2026-01-01T00:00:00Z", to: "2027-01-01T00:00:00Z", groupBy: MONTH) { counts { total } buckets { label counts { total } } } }', {}],
      // The demo's interactions: a segment's steps between touchpoints, and the whole workspace's performance.
      ['{ touchpointPaths(journey: "consument", segment: "e-bike-forenzen", first: 5) { totalCount edges { node { count medianSeconds from { name } to { name } } } } }', {}],
      ['query ($from: String!, $to: String!) { contentPerformance(from: $from, to: $to) { impressions clicks conversions clickThroughRate } }', lastDays(90)],
      ['query ($from: String!, $to: String!) { contentPerformance(from: $from, to: $to, segment: "studenten") { impressions clicks } }', lastDays(90)],
    ] as const;
    for (const [query, variables] of heavy) {
      const { offloaded, here } = await both('EDITOR', query, variables);
      expect(offloaded.status).toBe(200);
      expect(offloaded.body).toBe(here.body);
      expect(JSON.parse(offloaded.body).errors).toBeUndefined();
      expect(offloaded.statements, query).toBe(0);
      expect(here.statements, query).toBeGreaterThan(0);
    }
  });

  it('execute title searches and lookups of more than 10 ids there too; 10 ids stay on the main thread', async () => {
    const search = await both('DELIVERY', '{ contentPieces(first: 5, filter: { search: "e" }) { totalCount edges { node { title } } } }');
    // The same answer. Its keys follow the selection here; on the main thread some fields come out of order (edges before totalCount, title before id).
    expect(JSON.parse(search.offloaded.body)).toEqual(JSON.parse(search.here.body));
    expect(JSON.parse(search.offloaded.body).data.contentPieces.totalCount).toBeGreaterThan(0);
    expect(search.offloaded.statements).toBe(0);
    const listed = JSON.parse((await ask(inline, 'EDITOR', '{ contentPieces(first: 11) { edges { node { id } } } }')).body);
    const ids = listed.data.contentPieces.edges.map((e: { node: { id: string } }) => e.node.id) as string[];
    expect(ids).toHaveLength(11);
    const lookup = 'query ($ids: [ID!]!) { nodes(ids: $ids) { id ... on ContentPiece { title } } }';
    const eleven = await both('EDITOR', lookup, { ids });
    expect(JSON.parse(eleven.offloaded.body)).toEqual(JSON.parse(eleven.here.body));
    expect(eleven.offloaded.statements).toBe(0);
    const ten = await both('EDITOR', lookup, { ids: ids.slice(0, 10) });
    expect(ten.offloaded.body).toBe(ten.here.body);
    expect(JSON.parse(ten.offloaded.body).data.nodes).toHaveLength(10);
    expect(ten.offloaded.statements).toBeGreaterThan(0);
  });

  it('carry errors back as they were: message, code, argument, path and locations in the text sent; bad variables too', async () => {
    const failing = [
      ['{\n  contentGaps(journey: "nope") { totalCount }\n}', {}],
      [MATRIX, { journey: 5 }],
      ['query { a: contentMatrix(journey: "consument") { summary { overall { ratio } } } b: contentMatrix(journey: "nope") { cells { status } } }', {}],
    ] as const;
    for (const [query, variables] of failing) {
      const { offloaded, here } = await both('EDITOR', query, variables);
      expect(offloaded.status).toBe(here.status);
      expect(offloaded.body).toBe(here.body);
      const errors = JSON.parse(offloaded.body).errors as { extensions: { code: string }; locations?: unknown[] }[];
      expect(errors[0]?.extensions.code).toBe('BAD_USER_INPUT');
    }
    const { offloaded } = await both('EDITOR', '{\n  contentGaps(journey: "nope") { totalCount }\n}');
    expect(JSON.parse(offloaded.body).errors[0].locations).toEqual([{ line: 2, column: 3 }]);
  });

  it('leave recommendations, small lookups, one cell\'s performance, { __typename } and writes on the main thread', async () => {
    const light = [
      ['DELIVERY', '{ recommendedContent(segment: "e-bike-forenzen", phase: "attention", channel: "social", first: 3) { totalCount edges { node { title } } } }', {}],
      ['EDITOR', '{ contentPieces(first: 3) { edges { node { title } } } }', {}],
      ['EDITOR', 'query ($from: String!, $to: String!) { contentPerformance(from: $from, to: $to, segment: "studenten", phase: "action", channel: "website") { impressions clicks } }', lastDays(90)],
    ] as const;
    for (const [role, query, variables] of light) {
      const { offloaded, here } = await both(role, query, variables);
      expect(offloaded.body).toBe(here.body);
      expect(JSON.parse(offloaded.body).errors).toBeUndefined();
      expect(offloaded.statements, query).toBeGreaterThan(0);
    }
    const rename = await ask(offloading, 'ADMIN', 'mutation { updateWorkspace(input: { freshnessDays: 200 }) { workspace { freshnessDays } } }');
    expect(JSON.parse(rename.body).errors).toBeUndefined();
    expect(rename.statements).toBeGreaterThan(0);
  });

  it('see writes made through the main thread at once', async () => {
    const cells = async () => JSON.parse((await ask(offloading, 'EDITOR', MATRIX, { journey: 'consument' })).body).data.contentMatrix.cells.length as number;
    const before = await cells();
    const answer = await ask(offloading, 'ADMIN', 'mutation { createChannel(input: { key: "podcast", name: "Podcast", kind: OTHER }) { channel { key } } }');
    expect(JSON.parse(answer.body).errors).toBeUndefined();
    expect(await cells()).toBeGreaterThan(before);
  });
});

describe('analysis threads, when the database fails them', () => {
  it('answer "Unexpected error." as the main thread does, with no SQL or stack, and log the cause', async () => {
    const config = await freshDatabase();
    const broken = openDatabase(config);
    await broken.ready;
    const keys = Object.fromEntries((await loadDemoWorkspace(broken)).keys.map((k) => [k.role, k.secret]));
    const lines: string[] = [];
    const logger = pino({ level: 'error' }, { write: (line: string) => lines.push(line) });
    const brokenThreads = new AnalysisThreads(config, 1);
    const server = createServer({ database: broken, mode: 'production', analysisThreads: brokenThreads, logger });
    try {
      // Warm the key cache, then take away the table the matrix reads.
      await server.fetch('http://test/graphql', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${keys.EDITOR}` }, body: JSON.stringify({ query: '{ __typename }' }) });
      await broken.prisma.$executeRawUnsafe('DROP TABLE "ContentCell"');
      const response = await server.fetch('http://test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${keys.EDITOR}` },
        body: JSON.stringify({ query: MATRIX, variables: { journey: 'consument' } }),
      });
      const body = await response.text();
      expect(JSON.parse(body).errors).toEqual([{ message: 'Unexpected error.', locations: [{ line: 2, column: 3 }], path: ['contentMatrix'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }]);
      expect(body).not.toMatch(/ContentCell|SELECT|at .*\.ts/);
      expect(lines.join('\n')).toMatch(/ContentCell/);
    } finally {
      await brokenThreads.close();
      await broken.disconnect();
    }
  });
});

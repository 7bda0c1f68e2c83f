import { openDatabase, type Database } from '../../src/db/client.js';
import { recordWrite } from '../../src/db/versions.js';
import { resolveCell } from '../../src/recommendations/cell.js';
import { rankCell } from '../../src/recommendations/ranking.js';
import { createServer } from '../../src/server.js';
import { Catalogs } from '../../src/workspaces/catalog.js';
import { cells, recommendations } from './delivery-scenarios.js';
import type { Figures, LoadRequest, MeasureContext, Scenario } from './scenarios.js';
import { BENCH_WORKSPACE_ID, type BenchShape } from './synthetic.js';

/**
 * Uncached recommendations (the delivery scenario's 60 cells, DELIVERY key)
 * under three distributions of interactions, measured in one run so they
 * compare on a shared machine:
 *
 * - without: no InteractionTotal rows at all (the baseline);
 * - shown: roll-ups for the pieces the cell recommended (its first
 *   SHOWN_PAGES pages without interactions), as interactions come from what
 *   was shown: the realistic case;
 * - every: roll-ups for every published piece at each cell's phase and
 *   channel (every segment's pieces: more than the cell ranks), the worst case.
 *
 * In ROUNDS rounds of without, shown, every, and a last without: each
 * distribution's ratio in a round is against the mean of the baselines
 * measured just before and after it, so a machine that others load unevenly
 * shows as spread between rounds instead of as a wrong ratio; the median
 * round is the figure. The roll-ups are removed afterwards. Target:
 * requests/s with them within 10 % of without, and the same statements per
 * request.
 */
export const engagementScenario: Scenario = {
  name: 'recommend-uncached-engagement',
  role: 'DELIVERY',
  env: { RESPONSE_CACHE_SIZE: '0' },
  bodies: recommendations,
  measure: byDistribution,
};

/** The bench's page size (the persisted operation's default) and how many pages were shown. */
const PAGE = 10;
const SHOWN_PAGES = 3;
const ROUNDS = Number(process.env.BENCH_ENGAGEMENT_ROUNDS ?? 3);

export type Distribution = 'without' | 'shown' | 'every';

async function byDistribution(context: MeasureContext): Promise<Figures & Record<string, unknown>> {
  const requests: LoadRequest[] = recommendations(context.shape).map((body) => ({
    method: 'POST',
    path: '/graphql',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${context.keys.DELIVERY}` },
    body,
  }));
  const database = openDatabase(context.config);
  await database.ready;
  const run = async (distribution: Distribution) => {
    const rows = await seedTotals(database, context.shape, distribution);
    await context.load(requests, Math.min(2, context.duration), context.connections); // warm-up
    const statements = await statementsPerRequest(database, context.keys.DELIVERY, requests);
    const figures = await context.load(requests, context.duration, context.connections);
    return { distribution, ...figures, interactionTotalRows: rows, sqlStatementsPerRequest: statements };
  };
  try {
    const runs: Awaited<ReturnType<typeof run>>[] = [];
    for (let round = 0; round < ROUNDS; round++) for (const distribution of ['without', 'shown', 'every'] as const) runs.push(await run(distribution));
    runs.push(await run('without'));
    const baselines = runs.filter((r) => r.distribution === 'without').map((r) => r.requestsPerSecond);
    const ratios = (distribution: Distribution) =>
      runs.filter((r) => r.distribution === distribution).map((r, round) => round3(r.requestsPerSecond / (((baselines[round] as number) + (baselines[round + 1] as number)) / 2)));
    const summary = (distribution: Distribution) => {
      const of = runs.filter((r) => r.distribution === distribution);
      return {
        requestsPerSecond: of.map((r) => r.requestsPerSecond),
        p50Ms: of.map((r) => r.latencyMs.p50),
        sqlStatementsPerRequest: [...new Set(of.map((r) => r.sqlStatementsPerRequest))],
        interactionTotalRows: of[0]?.interactionTotalRows,
        errors: of.reduce((sum, r) => sum + r.errors, 0),
        ...(distribution === 'without' ? {} : { vsWithout: ratios(distribution), medianVsWithout: median(ratios(distribution)) }),
      };
    };
    const [first] = runs as [(typeof runs)[number]];
    return { ...first, rounds: ROUNDS, without: summary('without'), shown: summary('shown'), every: summary('every') };
  } finally {
    await removeTotals(database);
    await database.disconnect();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] as number) : round3(((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2);
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/** Replaces the bench workspace's roll-ups by those of `distribution`; deterministic counts. Answers the rows written. */
export async function seedTotals(database: Database, shape: BenchShape, distribution: Distribution): Promise<number> {
  await removeTotals(database);
  if (distribution === 'without') return 0;
  const catalog = await new Catalogs(database).get(BENCH_WORKSPACE_ID);
  let rows = 0;
  for (const keys of cells(shape) as { segment: string; phase: string; channel: string; locale: string | null }[]) {
    const cell = resolveCell(catalog, keys);
    const pieceIds = distribution === 'shown' ? await shownPieces(database, cell, keys.locale) : await publishedPieces(database, cell.phase.id, cell.channel.id);
    const data = pieceIds.map((pieceId, i) => {
      // What was shown first was seen most; the rates spread on both sides of the cell's mean.
      const impressions = distribution === 'shown' ? 5000 - i * 150 : 50 + ((i * 7919) % 5000);
      const rate = (i * 31) % 20;
      return { workspaceId: BENCH_WORKSPACE_ID, pieceId, segmentId: cell.chain[0]!.id, phaseId: cell.phase.id, channelId: cell.channel.id, impressions, views: impressions >> 1, clicks: Math.floor((impressions * rate) / 100), conversions: (i * 13) % 7 };
    });
    for (let start = 0; start < data.length; start += 1000) {
      await database.prisma.interactionTotal.createMany({ data: data.slice(start, start + 1000) });
    }
    rows += data.length;
  }
  // Each cell's sum of its roll-ups, as the recording code keeps it beside them.
  await database.prisma.$executeRaw`
    INSERT INTO "InteractionCell" ("workspaceId", "segmentId", "phaseId", "channelId", "impressions", "views", "clicks", "downloads", "shares", "conversions")
    SELECT "workspaceId", "segmentId", "phaseId", "channelId", SUM("impressions"), SUM("views"), SUM("clicks"), SUM("downloads"), SUM("shares"), SUM("conversions")
      FROM "InteractionTotal" WHERE "workspaceId" = ${BENCH_WORKSPACE_ID} GROUP BY "workspaceId", "segmentId", "phaseId", "channelId"`;
  await moved(database);
  return rows;
}

/** The pieces a cell recommended on its first pages, before anything was recorded. */
async function shownPieces(database: Database, cell: ReturnType<typeof resolveCell>, locale: string | null): Promise<string[]> {
  const ranking = await rankCell(database, BENCH_WORKSPACE_ID, cell, { at: new Date(), locale: locale?.toLowerCase() ?? null, limit: PAGE * SHOWN_PAGES, offset: 0, count: false, timed: false });
  return ranking.page.map((r) => r.piece.id);
}

async function publishedPieces(database: Database, phaseId: string, channelId: string): Promise<string[]> {
  const pieces = await database.prisma.contentTarget.findMany({ where: { phaseId, channelId, status: 'PUBLISHED' }, select: { pieceId: true }, distinct: ['pieceId'], orderBy: { pieceId: 'asc' } });
  return pieces.map((p) => p.pieceId);
}

async function removeTotals(database: Database): Promise<void> {
  await database.prisma.interactionTotal.deleteMany({ where: { workspaceId: BENCH_WORKSPACE_ID } });
  await database.prisma.interactionCell.deleteMany({ where: { workspaceId: BENCH_WORKSPACE_ID } });
  await moved(database);
}

/**
 * As the recording code does on every accepted batch: the servers see the
 * workspace move. On PostgreSQL also what autovacuum does soon after such a
 * load (statistics for the planner, dead rows gone, the visibility map for
 * index-only reads): the load measures the steady state, not the minute after.
 */
async function moved(database: Database): Promise<void> {
  await database.prisma.$transaction((tx) => recordWrite(tx, database.provider, BENCH_WORKSPACE_ID, null));
  if (database.provider === 'postgresql') await database.prisma.$executeRawUnsafe('VACUUM ANALYZE "InteractionTotal", "InteractionCell"');
}

/** Statements per recommendation, through an in-process server on the same database (uncached). */
async function statementsPerRequest(database: Database, key: string, requests: LoadRequest[]): Promise<number> {
  const yoga = createServer({ database, mode: 'production', deliveryCache: { size: 0, maxAgeSeconds: 0, httpMaxAgeSeconds: 0 } });
  const bodies = requests.slice(0, 20).map((r) => r.body as string);
  const send = async (body: string) => {
    const response = await yoga.fetch('http://bench/graphql', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body });
    const json = (await response.json()) as { errors?: unknown[] };
    if (json.errors) throw new Error(`recommendation failed: ${JSON.stringify(json.errors)}`);
  };
  for (const body of bodies) await send(body);
  const before = database.statements.count;
  for (const body of bodies) await send(body);
  await yoga.dispose();
  return Math.round(((database.statements.count - before) / bodies.length) * 100) / 100;
}

import { openDatabase, type Database } from '../../src/db/client.js';
import { recordWrite } from '../../src/db/versions.js';
import { createServer } from '../../src/server.js';
import { cells, recommendations } from './delivery-scenarios.js';
import type { Figures, LoadRequest, MeasureContext, Scenario } from './scenarios.js';
import { BENCH_WORKSPACE_ID, type BenchShape } from './synthetic.js';

/**
 * Uncached recommendations (the delivery scenario's 60 cells, DELIVERY key)
 * without interactions, then with roll-ups recorded for every published
 * piece of each of those cells (every segment's pieces at the cell's phase
 * and channel: more than the cell ranks, so the heavier case), measured in
 * the same run so the two compare on a shared machine. The roll-ups are
 * removed afterwards. Target: requests/s with them within 10 % of without,
 * and the same statements per request.
 */
export const engagementScenario: Scenario = {
  name: 'recommend-uncached-engagement',
  role: 'DELIVERY',
  env: { RESPONSE_CACHE_SIZE: '0' },
  bodies: recommendations,
  measure: withAndWithout,
};

async function withAndWithout(context: MeasureContext): Promise<Figures & Record<string, unknown>> {
  const requests: LoadRequest[] = recommendations(context.shape).map((body) => ({
    method: 'POST',
    path: '/graphql',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${context.keys.DELIVERY}` },
    body,
  }));
  const database = openDatabase(context.config);
  await database.ready;
  try {
    await removeTotals(database);
    await context.load(requests, Math.min(2, context.duration), context.connections); // warm-up
    const statementsWithout = await statementsPerRequest(database, context.keys.DELIVERY, requests);
    const without = await context.load(requests, context.duration, context.connections);
    const rows = await seedTotals(database, context.shape);
    await context.load(requests, Math.min(2, context.duration), context.connections);
    const statementsWith = await statementsPerRequest(database, context.keys.DELIVERY, requests);
    const figures = await context.load(requests, context.duration, context.connections);
    return {
      ...figures,
      interactionTotalRows: rows,
      sqlStatementsPerRequestWith: statementsWith,
      withoutInteractions: { requestsPerSecond: without.requestsPerSecond, latencyMs: without.latencyMs, sqlStatementsPerRequest: statementsWithout },
      withVsWithoutRequestsPerSecond: Math.round((figures.requestsPerSecond / without.requestsPerSecond) * 1000) / 1000,
    };
  } finally {
    await removeTotals(database);
    await database.disconnect();
  }
}

/** Roll-ups for every published piece at each cell's phase and channel, for the cell's segment; deterministic counts. */
async function seedTotals(database: Database, shape: BenchShape): Promise<number> {
  const ids = (list: { id: string; key: string }[]) => new Map(list.map((x) => [x.key, x.id]));
  const segments = ids(shape.journeys.flatMap((j) => j.segments));
  const channels = ids(shape.channels);
  let rows = 0;
  for (const cell of cells(shape) as { segment: string; phase: string; channel: string }[]) {
    const journey = shape.journeys.find((j) => j.segments.some((s) => s.key === cell.segment));
    const phaseId = journey?.phases.find((p) => p.key === cell.phase)?.id as string;
    const channelId = channels.get(cell.channel) as string;
    const segmentId = segments.get(cell.segment) as string;
    const pieces = await database.prisma.contentTarget.findMany({ where: { phaseId, channelId, status: 'PUBLISHED' }, select: { pieceId: true }, distinct: ['pieceId'] });
    const data = pieces.map(({ pieceId }, i) => {
      const impressions = 50 + ((i * 7919) % 5000);
      return { workspaceId: BENCH_WORKSPACE_ID, pieceId, segmentId, phaseId, channelId, impressions, views: impressions >> 1, clicks: Math.floor((impressions * ((i * 31) % 20)) / 100), conversions: (i * 13) % 7 };
    });
    for (let start = 0; start < data.length; start += 1000) {
      await database.prisma.interactionTotal.createMany({ data: data.slice(start, start + 1000) });
    }
    rows += data.length;
  }
  await moved(database);
  return rows;
}

async function removeTotals(database: Database): Promise<void> {
  await database.prisma.interactionTotal.deleteMany({ where: { workspaceId: BENCH_WORKSPACE_ID } });
  await moved(database);
}

/** As the recording code does on every accepted batch: the servers see the workspace move. */
async function moved(database: Database): Promise<void> {
  await database.prisma.$transaction((tx) => recordWrite(tx, database.provider, BENCH_WORKSPACE_ID, null));
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


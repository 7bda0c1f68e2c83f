import { syncTargets } from '../../src/content/targets.js';
import type { Db } from '../../src/db/client.js';
import type { Provider } from '../../src/db/config.js';
import { Prisma } from '../../src/generated/sqlite/client.js';
import type { ContentStatus, Scope } from '../../src/generated/sqlite/enums.js';

/**
 * A deterministic synthetic workspace for the benchmark: 2 journey models
 * (5 and 7 phases), 60 segments three levels deep, 8 channels and N content
 * pieces with mixed statuses, locales, dates and targeting. The same size
 * always gives the same data (seeded generator), so runs compare.
 */
export const BENCH_WORKSPACE_ID = 'bench';
/** Stored as the workspace's name: data from an older generator is made anew. */
const GENERATOR_VERSION = 'Benchmark v2';

export interface BenchShape {
  journeys: { key: string; phases: { id: string; key: string }[]; segments: { id: string; key: string }[] }[];
  channels: { id: string; key: string }[];
}

const JOURNEYS: { key: string; phases: [string, Scope][] }[] = [
  { key: 'b2c', phases: [['attention', 'BECOME'], ['consideration', 'BECOME'], ['action', 'BECOME'], ['always', 'STAY'], ['advocate', 'STAY']] },
  {
    key: 'b2b',
    phases: [['orientation', 'BECOME'], ['research', 'BECOME'], ['shortlist', 'BECOME'], ['purchase', 'BECOME'], ['onboarding', 'BE'], ['use', 'BE'], ['renewal', 'STAY']],
  },
];
const CHANNELS = ['website', 'email', 'social', 'ads', 'sms', 'phone', 'event', 'store'];
const STATUSES: ContentStatus[] = ['PUBLISHED', 'PUBLISHED', 'PUBLISHED', 'PUBLISHED', 'PUBLISHED', 'PUBLISHED', 'DRAFT', 'IDEA', 'IN_REVIEW', 'SCHEDULED', 'ARCHIVED'];
const LOCALES = ['nl-NL', 'nl-NL', 'nl-NL', 'nl-NL', 'nl-NL', 'nl-NL', 'nl-NL', 'en-GB', 'en-GB', 'de-DE'];
const DAY = 86_400_000;

/** Mulberry32: a small seeded generator, so the data is the same every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function benchShape(db: Db): Promise<BenchShape | null> {
  const journeys = await db.journeyModel.findMany({
    where: { workspaceId: BENCH_WORKSPACE_ID },
    orderBy: { key: 'desc' },
    include: { phases: { orderBy: { position: 'asc' } }, segments: { orderBy: { key: 'asc' } } },
  });
  if (journeys.length === 0) return null;
  const channels = await db.channel.findMany({ where: { workspaceId: BENCH_WORKSPACE_ID }, orderBy: { key: 'asc' } });
  return {
    journeys: journeys.map((j) => ({ key: j.key, phases: j.phases.map(({ id, key }) => ({ id, key })), segments: j.segments.map(({ id, key }) => ({ id, key })) })),
    channels: channels.map(({ id, key }) => ({ id, key })),
  };
}

/** Creates the workspace unless it is there with `pieces` pieces; answers its shape. */
export async function ensureBenchWorkspace(db: Db, provider: Provider, pieces: number, log: (line: string) => void): Promise<BenchShape> {
  const existing = await db.contentPiece.count({ where: { workspaceId: BENCH_WORKSPACE_ID } });
  const workspace = await db.workspace.findUnique({ where: { id: BENCH_WORKSPACE_ID }, select: { name: true } });
  const shape = await benchShape(db);
  if (shape && existing === pieces && workspace?.name === GENERATOR_VERSION) return shape;
  if (workspace) await deleteBenchWorkspace(db);
  log(`generating a synthetic workspace with ${pieces} pieces...`);
  if (provider === 'sqlite') {
    // Throw-away data: no waiting for the disk, and indexes of millions of rows kept in memory while they grow.
    await db.$executeRawUnsafe('PRAGMA synchronous = OFF');
    await db.$queryRawUnsafe('PRAGMA cache_size = -524288');
  }
  await db.workspace.create({ data: { id: BENCH_WORKSPACE_ID, name: GENERATOR_VERSION } });
  await createTaxonomy(db);
  const created = (await benchShape(db)) as BenchShape;
  await createPieces(db, created, pieces, log);
  return created;
}

/** Segments restrict deleting their journey and parent, so they go first, leaves to roots. */
async function deleteBenchWorkspace(db: Db) {
  const where = { workspaceId: BENCH_WORKSPACE_ID };
  await db.contentPiece.deleteMany({ where });
  await db.segment.updateMany({ where, data: { parentId: null } });
  await db.segment.deleteMany({ where });
  await db.workspace.delete({ where: { id: BENCH_WORKSPACE_ID } });
}

async function createTaxonomy(db: Db) {
  const workspaceId = BENCH_WORKSPACE_ID;
  for (const journey of JOURNEYS) {
    const model = await db.journeyModel.create({ data: { workspaceId, key: journey.key, name: journey.key } });
    await db.phase.createMany({
      data: journey.phases.map(([key, scope], position) => ({
        workspaceId, journeyId: model.id, key, name: key, position, scope,
        archetype: scope === 'BECOME' ? 'CONSIDERATION' : scope === 'BE' ? 'USAGE' : 'RETENTION',
      })),
    });
    // 3 roots × 3 children × 2 grandchildren + the 12 above = 30 segments per journey, three levels deep.
    for (let r = 0; r < 3; r++) {
      const root = await db.segment.create({ data: { workspaceId, journeyId: model.id, key: `${journey.key}-${r}`, name: `${journey.key} ${r}`, market: journey.key === 'b2b' ? 'B2B' : 'B2C' } });
      for (let c = 0; c < 3; c++) {
        const child = await db.segment.create({
          data: { workspaceId, journeyId: model.id, parentId: root.id, key: `${journey.key}-${r}-${c}`, name: `${journey.key} ${r}.${c}`, market: root.market },
        });
        await db.segment.createMany({
          data: [0, 1].map((g) => ({ workspaceId, journeyId: model.id, parentId: child.id, key: `${journey.key}-${r}-${c}-${g}`, name: `${journey.key} ${r}.${c}.${g}`, market: root.market })),
        });
      }
    }
  }
  await db.channel.createMany({
    data: CHANNELS.map((key, i) => ({ workspaceId, key, name: key, kind: key === 'ads' ? 'ADS' : 'WEBSITE', maxPerWeek: i % 2 ? 3 : null })),
  });
}

async function createPieces(db: Db, shape: BenchShape, total: number, log: (line: string) => void) {
  const next = random(total);
  const pick = <T>(items: T[]): T => items[Math.floor(next() * items.length)] as T;
  const now = Date.now();
  const startOfDay = now - (now % DAY);
  const chunk = 2000;
  for (let start = 0; start < total; start += chunk) {
    const pieces: Prisma.ContentPieceCreateManyInput[] = [];
    const phases: Prisma.ContentPhaseCreateManyInput[] = [];
    const channels: Prisma.ContentChannelCreateManyInput[] = [];
    const segments: Prisma.ContentSegmentCreateManyInput[] = [];
    for (let n = start; n < Math.min(total, start + chunk); n++) {
      const id = `bench-${n}`;
      const journey = pick(shape.journeys);
      // Days around now, at a quarter hour between 07:00 and 20:00 UTC, as editors schedule.
      const slot = (7 * 4 + Math.floor(next() * 13 * 4)) * 15 * 60_000;
      const publishAt = next() < 0.2 ? null : new Date(startOfDay + Math.floor((next() * 2 - 1.2) * 365) * DAY + slot);
      pieces.push({
        id, workspaceId: BENCH_WORKSPACE_ID, title: `Piece ${n}`, format: 'ARTICLE' as const, status: pick(STATUSES), locale: pick(LOCALES),
        externalId: `ext-${n}`, priority: Math.floor(next() * 101), publishAt,
        expiresAt: next() < 0.15 ? new Date(now + Math.floor((next() * 2 - 0.5) * 180) * DAY) : null,
        reviewAt: next() < 0.5 ? new Date(now + Math.floor((next() * 2 - 1) * 365) * DAY) : null,
        createdAt: new Date(now), updatedAt: new Date(now),
      });
      for (const phase of new Set([pick(journey.phases), pick(journey.phases)].slice(0, next() < 0.6 ? 1 : 2))) phases.push({ pieceId: id, phaseId: phase.id });
      for (const channel of new Set([pick(shape.channels), pick(shape.channels), pick(shape.channels)].slice(0, 1 + Math.floor(next() * 3)))) channels.push({ pieceId: id, channelId: channel.id });
      if (next() >= 0.3) for (const segment of new Set([pick(journey.segments), pick(journey.segments)].slice(0, next() < 0.7 ? 1 : 2))) segments.push({ pieceId: id, segmentId: segment.id });
    }
    await db.$transaction(async (tx) => {
      for (const [table, rows] of [['ContentPiece', pieces], ['ContentPhase', phases], ['ContentChannel', channels], ['ContentSegment', segments]] as const) {
        for (const statement of inserts(table, rows)) await tx.$executeRaw(statement);
      }
      await syncTargets(tx, pieces.map((p) => p.id as string));
    });
    if ((start / chunk) % 50 === 49) log(`  ${start + chunk} pieces`);
  }
}

/**
 * Plain multi-row INSERTs: a million rows through createMany spend most of
 * their time in Prisma's query building, not in the database. Every row has
 * the same columns; each statement stays below both databases' parameter limits.
 */
function inserts(table: string, rows: object[]): Prisma.Sql[] {
  const first = rows[0];
  if (!first) return [];
  const columns = Object.keys(first);
  const perStatement = Math.floor(30_000 / columns.length);
  const statements: Prisma.Sql[] = [];
  for (let start = 0; start < rows.length; start += perStatement) {
    const values = rows.slice(start, start + perStatement).map((row) => Prisma.sql`(${Prisma.join(columns.map((c) => (row as Record<string, unknown>)[c]))})`);
    statements.push(Prisma.sql`INSERT INTO ${Prisma.raw(`"${table}"`)} (${Prisma.raw(columns.map((c) => `"${c}"`).join(', '))}) VALUES ${Prisma.join(values)}`);
  }
  return statements;
}

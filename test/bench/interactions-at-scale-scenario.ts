import type { ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { createApiKey } from '../../src/auth/keys.js';
import { openDatabase, type Database } from '../../src/db/client.js';
import type { DatabaseConfig } from '../../src/db/config.js';
import { applyMigrations } from '../../src/db/migrations.js';
import { bucketOf } from '../../src/interactions/steps.js';
import { createServer } from '../../src/server.js';
import { load, round, startServer } from './http.js';
import { body, type Figures, type LoadRequest, type MeasureContext, type Scenario } from './scenarios.js';
import { BENCH_WORKSPACE_ID, ensureBenchWorkspace, type BenchShape } from './synthetic.js';

/**
 * contentPerformance for a busy cell over 90 days and touchpointPaths for a
 * segment, with 10,000,000 raw interactions in the workspace (target: each
 * answers in under 50 ms). Both read roll-ups only; the raw rows are there
 * so the roll-ups are a true recount of them and the database has its real
 * size.
 *
 * Own database, own server. The data lives in a database of its own
 * (SQLite: interactions-10m.db beside the bench's file, whatever its
 * --pieces; PostgreSQL: a database named after the bench's with
 * `_interactions_10m`), with the bench taxonomy and PIECES pieces, and the
 * scenario starts its own server on it. Every server sweeps raw events
 * older than its retention window on start, in every workspace: in the bench
 * database, 10M rows ageing out day by day would make other scenarios' server
 * starts delete a hundred thousand rows each; here nothing else starts.
 *
 * Seeded once, reused. Seeding (a few minutes) writes the raw rows by SQL
 * over the 89 days before that moment, then the roll-ups from them by SQL,
 * then a marker row (BenchInteractionSeed) with SEED_VERSION and that moment.
 * A later run reuses it and measures the seeded 90 UTC days; its server keeps
 * raw events for 90 days plus the days since seeding, so its start-up sweep
 * removes nothing and the workspace still holds all 10M raw rows in its
 * window, as on the day of seeding. A different SEED_VERSION, or no marker
 * (seeding interrupted), makes the database anew.
 */
export const interactionsAtScaleScenario: Scenario = {
  name: 'interactions-at-scale',
  role: 'EDITOR',
  // The runner counts statements on the bench database (empty roll-ups); this scenario counts them again on its own.
  bodies: (shape) => requestBodies(shape, lastDays(Date.now()), cellOf(shape, null), shape.journeys[0]!.segments[0]!.key),
  measure: measureAtScale,
};

const SEED_VERSION = 'interactions-at-scale v1';
/** BENCH_INTERACTION_EVENTS: fewer, to try the scenario quickly (a database seeded with another number is made anew). */
const EVENTS = Number(process.env.BENCH_INTERACTION_EVENTS ?? 10_000_000);
const CHUNK = 1_000_000;
const PIECES = 300;
const DAY_MS = 86_400_000;
/** Events per session and sessions per visitor. */
const SESSION = 5;
const VISITOR = 3;
/** Sessions start within the 89 days before seeding, and end before it (a session spans at most 4 × 299 + 9 s). */
const SPAN_SECONDS = 89 * 86_400 - 3600;
/** The step histogram's buckets for whole seconds up to a day (every gap the generator makes is whole seconds, at most 1,205). */
const MAX_GAP_SECONDS = 86_400;

interface Seed {
  endMs: number;
  seedSeconds: number;
  cellSegmentId: string;
  cellPhaseId: string;
  cellChannelId: string;
  pathSegmentId: string;
}

type Cell = { segment: string; phase: string; channel: string };

/** The 90 UTC days up to `endMs`'s, as contentPerformance and touchpointPaths take them. */
function lastDays(endMs: number): { from: string; to: string } {
  return { from: new Date(endMs - 89 * DAY_MS).toISOString().slice(0, 10), to: new Date(endMs).toISOString().slice(0, 10) };
}

function cellOf(shape: BenchShape, seed: Seed | null): Cell {
  const journey = seed ? shape.journeys.find((j) => j.segments.some((s) => s.id === seed.cellSegmentId))! : shape.journeys[0]!;
  const key = <T extends { id: string; key: string }>(list: T[], id: string | undefined) => (list.find((x) => x.id === id) ?? list[0]!).key;
  return { segment: key(journey.segments, seed?.cellSegmentId), phase: key(journey.phases, seed?.cellPhaseId), channel: key(shape.channels, seed?.cellChannelId) };
}

const PERFORMANCE = `query ($from: String!, $to: String!, $segment: String, $phase: String, $channel: String) {
  contentPerformance(from: $from, to: $to, segment: $segment, phase: $phase, channel: $channel) {
    from to impressions views clicks downloads shares conversions clickThroughRate conversionRate
    days(first: 90) { totalCount edges { node { day impressions views clicks conversions clickThroughRate conversionRate } } }
  }
}`;
const PATHS = `query ($journey: String!, $segment: String!, $from: String, $to: String) {
  touchpointPaths(journey: $journey, segment: $segment, from: $from, to: $to) {
    totalCount edges { node { from { id name } to { id name } count medianSeconds } }
  }
}`;

function requestBodies(shape: BenchShape, days: { from: string; to: string }, cell: Cell, pathSegment: string): string[] {
  const journey = shape.journeys.find((j) => j.segments.some((s) => s.key === pathSegment))!;
  return [body(PERFORMANCE, { ...days, ...cell }), body(PATHS, { ...days, journey: journey.key, segment: pathSegment })];
}

/** The scenario's own database, beside the bench's. */
function scaleConfig(main: DatabaseConfig): DatabaseConfig {
  // One for every --pieces: the scenario seeds its own pieces.
  if (main.provider === 'sqlite') return { provider: 'sqlite', url: join(dirname(main.url), 'interactions-10m.db') };
  const url = new URL(main.url);
  url.pathname = `${url.pathname.replace(/^\//, '') || 'postgres'}_interactions_10m`;
  return { provider: 'postgresql', url: url.toString() };
}

/** Runs SQL text on the scenario's database through the plain driver (seeding wants pragmas and no transaction timeouts). */
interface Sql {
  run(sql: string): Promise<void>;
  rows<T>(sql: string): Promise<T[]>;
  close(): Promise<void>;
}

async function connect(config: DatabaseConfig): Promise<Sql> {
  if (config.provider === 'sqlite') {
    const db = new BetterSqlite3(config.url);
    db.pragma('synchronous = OFF');
    db.pragma('cache_size = -1000000');
    return {
      run: async (sql) => void db.exec(sql),
      rows: async <T>(sql: string) => db.prepare(sql).all() as T[],
      close: async () => void db.close(),
    };
  }
  const client = new pg.Client({ connectionString: config.url });
  await client.connect();
  await client.query("SET maintenance_work_mem = '1GB'; SET work_mem = '256MB'");
  return {
    run: async (sql) => void (await client.query(sql)),
    rows: async <T>(sql: string) => (await client.query(sql)).rows as T[],
    close: () => client.end(),
  };
}

const q = (value: string) => `'${value.replace(/'/g, "''")}'`;

/** Answers the marker of a seed made with this SEED_VERSION, or null. */
async function readSeed(config: DatabaseConfig): Promise<Seed | null> {
  if (config.provider === 'sqlite' && !existsSync(config.url)) return null;
  const sql = await connect(config).catch(() => null);
  if (!sql) return null;
  try {
    const rows = await sql.rows<Record<string, unknown>>(`SELECT * FROM "BenchInteractionSeed" WHERE "version" = ${q(SEED_VERSION)} AND "events" = ${EVENTS}`).catch(() => []);
    const row = rows[0];
    if (!row) return null;
    return {
      endMs: Number(row.endMs),
      seedSeconds: Number(row.seedSeconds),
      cellSegmentId: String(row.cellSegmentId),
      cellPhaseId: String(row.cellPhaseId),
      cellChannelId: String(row.cellChannelId),
      pathSegmentId: String(row.pathSegmentId),
    };
  } finally {
    await sql.close();
  }
}

/** An empty database in place of the scenario's (SQLite: the file; PostgreSQL: the database, made from the bench's connection). */
async function recreate(config: DatabaseConfig, main: DatabaseConfig): Promise<void> {
  if (config.provider === 'sqlite') {
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${config.url}${suffix}`, { force: true });
    return;
  }
  const name = decodeURIComponent(new URL(config.url).pathname.slice(1));
  const client = new pg.Client({ connectionString: main.url });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
}

/** Reuses the seeded database or makes it: taxonomy, pieces and touchpoints, then raw events and their roll-ups. */
async function ensureSeeded(config: DatabaseConfig, main: DatabaseConfig, log: (line: string) => void): Promise<Seed> {
  const existing = await readSeed(config);
  if (existing) return existing;
  const started = performance.now();
  log(`interactions-at-scale: seeding ${EVENTS.toLocaleString('en')} raw interactions in ${config.provider === 'sqlite' ? config.url : 'its own database'}...`);
  await recreate(config, main);
  await applyMigrations(config);
  const database = openDatabase(config);
  await database.ready;
  let shape: BenchShape;
  try {
    shape = await ensureBenchWorkspace(database.prisma, database.provider, PIECES, log);
    await helperTables(database, shape);
  } finally {
    await database.disconnect();
  }
  const endMs = Math.floor(Date.now() / 1000) * 1000;
  const sql = await connect(config);
  try {
    await seedRaw(sql, config, endMs, log);
    await seedRollUps(sql, config, log);
    if (config.provider === 'postgresql') await sql.run('VACUUM ANALYZE "Interaction", "InteractionDay", "InteractionTotal", "InteractionStep", "InteractionSession"');
    for (const table of ['BenchSeedSegment', 'BenchSeedCell', 'BenchSeedTouchpoint']) await sql.run(`DROP TABLE "${table}"`);
    const [cell] = await sql.rows<{ segmentId: string; phaseId: string; channelId: string }>(`
      SELECT "segmentId", "phaseId", "channelId" FROM "InteractionDay" GROUP BY "segmentId", "phaseId", "channelId" ORDER BY COUNT(*) DESC LIMIT 1`);
    const [path] = await sql.rows<{ segmentId: string }>(`SELECT "segmentId" FROM "InteractionStep" GROUP BY "segmentId" ORDER BY COUNT(*) DESC LIMIT 1`);
    const seed: Seed = { endMs, seedSeconds: round((performance.now() - started) / 1000), cellSegmentId: cell!.segmentId, cellPhaseId: cell!.phaseId, cellChannelId: cell!.channelId, pathSegmentId: path!.segmentId };
    await sql.run(`CREATE TABLE "BenchInteractionSeed" ("version" TEXT, "events" BIGINT, "endMs" BIGINT, "seedSeconds" REAL, "cellSegmentId" TEXT, "cellPhaseId" TEXT, "cellChannelId" TEXT, "pathSegmentId" TEXT)`);
    await sql.run(`INSERT INTO "BenchInteractionSeed" VALUES (${q(SEED_VERSION)}, ${EVENTS}, ${endMs}, ${seed.seedSeconds}, ${q(seed.cellSegmentId)}, ${q(seed.cellPhaseId)}, ${q(seed.cellChannelId)}, ${q(seed.pathSegmentId)})`);
    if (config.provider === 'sqlite') await sql.run('PRAGMA wal_checkpoint(TRUNCATE)');
    log(`interactions-at-scale: seeded in ${seed.seedSeconds} s`);
    return seed;
  } finally {
    await sql.close();
  }
}

/**
 * Numbered lists the generator picks from by index: per journey (0: b2c,
 * 1: b2b) its segments; its published pieces' cells (piece × phase ×
 * channel, as targeted), sorted by phase and channel so a cell's pieces sit
 * together; and touchpoints, made here at each phase's two channels with the
 * most pieces, each with the range of the cells' list holding its pieces.
 */
async function helperTables(database: Database, shape: BenchShape): Promise<void> {
  const prisma = database.prisma;
  const segments: string[] = [];
  const cells: string[] = [];
  const touchpoints: string[] = [];
  const pieces = await prisma.contentPiece.findMany({
    where: { workspaceId: BENCH_WORKSPACE_ID, status: 'PUBLISHED' },
    select: { id: true, phases: { select: { phaseId: true } }, channels: { select: { channelId: true } } },
    orderBy: { id: 'asc' },
  });
  for (const [j, journey] of shape.journeys.entries()) {
    journey.segments.forEach((s, i) => segments.push(`(${j}, ${i}, ${q(s.id)})`));
    const list: { pieceId: string; phase: number; channel: number }[] = [];
    for (const piece of pieces) {
      for (const { phaseId } of piece.phases) {
        const phase = journey.phases.findIndex((p) => p.id === phaseId);
        if (phase < 0) continue;
        for (const { channelId } of piece.channels) list.push({ pieceId: piece.id, phase, channel: shape.channels.findIndex((c) => c.id === channelId) });
      }
    }
    list.sort((a, b) => a.phase - b.phase || a.channel - b.channel || (a.pieceId < b.pieceId ? -1 : 1));
    list.forEach((c, i) => cells.push(`(${j}, ${i}, ${q(c.pieceId)}, ${q(journey.phases[c.phase]!.id)}, ${q(shape.channels[c.channel]!.id)})`));
    let t = 0;
    for (const [phase, p] of journey.phases.entries()) {
      const byChannel = shape.channels.map((_, channel) => ({ channel, first: list.findIndex((c) => c.phase === phase && c.channel === channel), size: list.filter((c) => c.phase === phase && c.channel === channel).length }));
      for (const { channel, first, size } of byChannel.sort((a, b) => b.size - a.size).slice(0, 2).filter((c) => c.size > 0)) {
        const made = await prisma.touchpoint.create({ data: { workspaceId: BENCH_WORKSPACE_ID, phaseId: p.id, channelId: shape.channels[channel]!.id, name: `${journey.key} ${p.key} on ${shape.channels[channel]!.key}` } });
        touchpoints.push(`(${j}, ${t++}, ${q(made.id)}, ${q(p.id)}, ${q(shape.channels[channel]!.id)}, ${first}, ${size})`);
      }
    }
  }
  await prisma.$executeRawUnsafe('CREATE TABLE "BenchSeedSegment" ("j" INTEGER, "i" INTEGER, "segmentId" TEXT, PRIMARY KEY ("j", "i"))');
  await prisma.$executeRawUnsafe('CREATE TABLE "BenchSeedCell" ("j" INTEGER, "i" INTEGER, "pieceId" TEXT, "phaseId" TEXT, "channelId" TEXT, PRIMARY KEY ("j", "i"))');
  await prisma.$executeRawUnsafe('CREATE TABLE "BenchSeedTouchpoint" ("j" INTEGER, "i" INTEGER, "touchpointId" TEXT, "phaseId" TEXT, "channelId" TEXT, "first" INTEGER, "size" INTEGER, PRIMARY KEY ("j", "i"))');
  await prisma.$executeRawUnsafe(`INSERT INTO "BenchSeedSegment" VALUES ${segments.join(', ')}`);
  await prisma.$executeRawUnsafe(`INSERT INTO "BenchSeedCell" VALUES ${cells.join(', ')}`);
  await prisma.$executeRawUnsafe(`INSERT INTO "BenchSeedTouchpoint" VALUES ${touchpoints.join(', ')}`);
}

/**
 * A 32-bit hash of an integer expression: offset, then multiplied by an odd
 * number modulo 2^32, a bijection for values below 2^32, so ids made from it
 * never repeat. The offset (below 2^30) keeps small values from looking
 * small and every product below 2^63.
 */
const hash = (x: string, a: number, c: number) => `(((${x}) + ${(c * 2654435761) % 2 ** 30}) * ${a}) % 4294967296`;
/** A uniform pick below `k` from a hash (its top 16 bits). */
const uniform = (h: string, k: string) => `((${h}) / 65536) % (${k})`;
/** A skewed pick below `k` (the square of a uniform one): low indices are picked most, as a few cells and segments get most traffic. */
const skewed = (h: string, k: string) => `((((${h}) / 65536) * ((${h}) / 65536) / 65536) * (${k}) / 65536)`;

/**
 * EVENTS raw interactions by SQL, CHUNK to a statement (SQLite: a recursive
 * sequence, one transaction each; PostgreSQL: generate_series), the table's
 * indexes dropped before and made again after (sorting once beats 10M random
 * inserts into a unique index). Event n is the (n mod 5)th of session n/5, of
 * visitor n/15 (a visitor is in one journey and one segment, skewed), its
 * times a few seconds to five minutes apart; every third event is at a
 * touchpoint (the session moves on through the journey's touchpoints, now
 * and then skipping one), on a piece targeted at the touchpoint's cell;
 * the others on a cell of a published piece (skewed). Types as a funnel.
 */
async function seedRaw(sql: Sql, config: DatabaseConfig, endMs: number, log: (line: string) => void): Promise<void> {
  const sqlite = config.provider === 'sqlite';
  const indexes = sqlite
    ? await sql.rows<{ name: string; sql: string }>(`SELECT "name", "sql" FROM sqlite_master WHERE "type" = 'index' AND "tbl_name" = 'Interaction' AND "sql" IS NOT NULL`)
    : (await sql.rows<{ name: string; sql: string }>(`SELECT indexname AS "name", indexdef AS "sql" FROM pg_indexes WHERE tablename = 'Interaction' AND indexname <> 'Interaction_pkey'`));
  for (const index of indexes) await sql.run(`DROP INDEX "${index.name}"`);
  const sizes = async (table: string) => new Map((await sql.rows<{ j: number; n: number }>(`SELECT "j", COUNT(*) AS "n" FROM "${table}" GROUP BY "j"`)).map((r) => [Number(r.j), Number(r.n)]));
  const byJourney = (counts: Map<number, number>) => `CASE e."v" % 2 WHEN 0 THEN ${counts.get(0) ?? 1} ELSE ${counts.get(1) ?? 1} END`;
  const [segments, cells, touchpoints] = [byJourney(await sizes('BenchSeedSegment')), byJourney(await sizes('BenchSeedCell')), byJourney(await sizes('BenchSeedTouchpoint'))];
  const hex = (h: string) => (sqlite ? `printf('%08x', ${h})` : `lpad(to_hex(${h}), 8, '0')`);
  const startMs = endMs - 89 * DAY_MS;
  const at = `${startMs} + (${hash('"s"', 2246822519, 11)} * ${SPAN_SECONDS} / 4294967296) * 1000 + ("pos" * (10 + ${uniform(hash('"s"', 3266489917, 13), '290')}) + ${uniform(hash('"n"', 668265263, 17), '10')}) * 1000`;
  const type = `CASE WHEN ${uniform(hash('e."n"', 2654435761, 31), '100')} < 60 THEN 'IMPRESSION' WHEN ${uniform(hash('e."n"', 2654435761, 31), '100')} < 85 THEN 'VIEW'
    WHEN ${uniform(hash('e."n"', 2654435761, 31), '100')} < 95 THEN 'CLICK' WHEN ${uniform(hash('e."n"', 2654435761, 31), '100')} < 97 THEN 'DOWNLOAD'
    WHEN ${uniform(hash('e."n"', 2654435761, 31), '100')} < 98 THEN 'SHARE' ELSE 'CONVERSION' END`;
  const select = (sequence: string) => `
    SELECT ${q(BENCH_WORKSPACE_ID)},
      ${hex(hash('e."n"', 2654435761, 1))} || '-' || substr(${hex(hash('e."n"', 2246822519, 2))}, 1, 4) || '-4' || substr(${hex(hash('e."n"', 3266489917, 3))}, 1, 3) || '-' || substr(${hex(hash('e."n"', 668265263, 4))}, 1, 4) || '-' || ${hex(hash('e."n"', 374761393, 5))} || substr(${hex(hash('e."n"', 2246822519, 6))}, 1, 4),
      ${sqlite ? type : `CAST(${type} AS "InteractionType")`},
      c."pieceId", sg."segmentId", COALESCE(tp."phaseId", c."phaseId"), COALESCE(tp."channelId", c."channelId"), tp."touchpointId",
      CASE WHEN ${uniform(hash('e."v"', 668265263, 37), '10')} < 6 THEN 'mobile' WHEN ${uniform(hash('e."v"', 668265263, 37), '10')} < 9 THEN 'desktop' ELSE 'tablet' END,
      ${sqlite ? 'e."at"' : `timestamp '1970-01-01 00:00:00' + e."at" * interval '1 millisecond'`},
      e."at" / 3600000,
      ${hex(hash('e."v"', 2654435761, 41))} || ${hex(hash('e."v"', 2246822519, 43))} || ${hex(hash('e."v"', 3266489917, 47))} || ${hex(hash('e."v"', 668265263, 53))},
      ${hex(hash('e."s"', 2654435761, 59))} || ${hex(hash('e."s"', 374761393, 61))} || ${hex(hash('e."s"', 3266489917, 67))} || ${hex(hash('e."s"', 2246822519, 71))}
    FROM (SELECT "n", "s", "pos", "v", ${at} AS "at" FROM (SELECT "n", "n" / ${SESSION} AS "s", "n" % ${SESSION} AS "pos", "n" / ${SESSION * VISITOR} AS "v" FROM ${sequence}) e0) e
    JOIN "BenchSeedSegment" sg ON sg."j" = e."v" % 2 AND sg."i" = ${skewed(hash('e."v"', 2246822519, 7), segments)}
    LEFT JOIN "BenchSeedTouchpoint" tp ON e."n" % 3 = 0 AND tp."j" = e."v" % 2
      AND tp."i" = (${uniform(hash('e."s"', 374761393, 19), '65536')} + e."n" / 3 + CASE WHEN ${uniform(hash('e."n"', 2246822519, 23), '4')} = 0 THEN 2 ELSE 0 END) % ${touchpoints}
    JOIN "BenchSeedCell" c ON c."j" = e."v" % 2
      AND c."i" = CASE WHEN tp."i" IS NULL THEN ${skewed(hash('e."n"', 3266489917, 29), cells)} ELSE tp."first" + ${uniform(hash('e."n"', 3266489917, 29), 'tp."size"')} END`;
  const columns = `"workspaceId", "clientEventId", "type", "pieceId", "segmentId", "phaseId", "channelId", "touchpointId", "device", "occurredAt", "occurredHour", "visitorHash", "sessionHash"`;
  for (let first = 0; first < EVENTS; first += CHUNK) {
    const last = Math.min(EVENTS, first + CHUNK) - 1;
    if (sqlite) {
      await sql.run(`BEGIN; WITH RECURSIVE seq("n") AS (SELECT ${first} UNION ALL SELECT "n" + 1 FROM seq WHERE "n" < ${last})
        INSERT INTO "Interaction" (${columns}) ${select('seq')}; COMMIT; PRAGMA wal_checkpoint(TRUNCATE)`);
    } else {
      await sql.run(`INSERT INTO "Interaction" (${columns}) ${select(`generate_series(CAST(${first} AS bigint), ${last}) AS seq("n")`)}`);
    }
    log(`  ${(last + 1).toLocaleString('en')} raw interactions`);
  }
  for (const index of indexes) await sql.run(index.sql);
  log('  raw indexes made again');
}

/**
 * The roll-ups as ingest would have left them, recounted from the raw rows:
 * daily counts and all-time totals by GROUP BY; steps by LAG over each
 * session's touchpoint events in time order (a move to another touchpoint is
 * a step, of the later event's segment and day), bucketed by steps.ts's own
 * bucketOf (a CASE over its thresholds, exact for the whole seconds the
 * generator makes); each session's last touchpoint.
 */
async function seedRollUps(sql: Sql, config: DatabaseConfig, log: (line: string) => void): Promise<void> {
  const sqlite = config.provider === 'sqlite';
  const day = (column: string) => (sqlite ? `strftime('%Y-%m-%d', ${column} / 1000, 'unixepoch')` : `to_char(${column}, 'YYYY-MM-DD')`);
  const workspace = q(BENCH_WORKSPACE_ID);
  await sql.run(`INSERT INTO "InteractionDay" ("workspaceId", "pieceId", "segmentId", "phaseId", "channelId", "type", "day", "count")
    SELECT "workspaceId", "pieceId", "segmentId", "phaseId", "channelId", "type", ${day('"occurredAt"')}, COUNT(*) FROM "Interaction" WHERE "workspaceId" = ${workspace}
     GROUP BY "workspaceId", "pieceId", "segmentId", "phaseId", "channelId", "type", ${day('"occurredAt"')}`);
  log('  InteractionDay');
  const count = (type: string) => `SUM(CASE WHEN "type" = '${type}' THEN 1 ELSE 0 END)`;
  await sql.run(`INSERT INTO "InteractionTotal" ("workspaceId", "pieceId", "segmentId", "phaseId", "channelId", "impressions", "views", "clicks", "downloads", "shares", "conversions")
    SELECT "workspaceId", "pieceId", "segmentId", "phaseId", "channelId", ${['IMPRESSION', 'VIEW', 'CLICK', 'DOWNLOAD', 'SHARE', 'CONVERSION'].map(count).join(', ')}
      FROM "Interaction" WHERE "workspaceId" = ${workspace} GROUP BY "workspaceId", "pieceId", "segmentId", "phaseId", "channelId"`);
  log('  InteractionTotal');
  const thresholds: string[] = [];
  for (let seconds = 1, bucket = 0; seconds <= MAX_GAP_SECONDS; seconds++) {
    if (bucketOf(seconds) !== bucket) {
      thresholds.push(`WHEN "gap" < ${seconds} THEN ${bucket}`);
      bucket = bucketOf(seconds);
    }
  }
  const gap = sqlite ? '("occurredAt" - "fromAt") / 1000.0' : `EXTRACT(EPOCH FROM "occurredAt" - "fromAt")`;
  await sql.run(`INSERT INTO "InteractionStep" ("workspaceId", "segmentId", "fromTouchpointId", "toTouchpointId", "day", "bucket", "count")
    SELECT ${workspace}, "segmentId", "fromTouchpointId", "toTouchpointId", "day", "bucket", COUNT(*) FROM (
      SELECT "segmentId", "fromTouchpointId", "toTouchpointId", ${day('"occurredAt"')} AS "day", CASE ${thresholds.join(' ')} ELSE ${bucketOf(MAX_GAP_SECONDS)} END AS "bucket" FROM (
        SELECT "segmentId", "fromTouchpointId", "toTouchpointId", "occurredAt", ${gap} AS "gap" FROM (
          SELECT "segmentId", "touchpointId" AS "toTouchpointId", "occurredAt",
                 LAG("touchpointId") OVER "w" AS "fromTouchpointId", LAG("occurredAt") OVER "w" AS "fromAt"
            FROM "Interaction" WHERE "workspaceId" = ${workspace} AND "touchpointId" IS NOT NULL
          WINDOW "w" AS (PARTITION BY "sessionHash" ORDER BY "occurredAt")) moves
         WHERE "fromTouchpointId" IS NOT NULL AND "fromTouchpointId" <> "toTouchpointId") timed) steps
     GROUP BY "segmentId", "fromTouchpointId", "toTouchpointId", "day", "bucket"`);
  log('  InteractionStep');
  await sql.run(
    sqlite
      ? `INSERT INTO "InteractionSession" ("workspaceId", "sessionHash", "touchpointId", "occurredAt", "occurredHour")
         SELECT ${workspace}, "sessionHash", "touchpointId", MAX("occurredAt"), "occurredHour" FROM "Interaction" WHERE "workspaceId" = ${workspace} AND "touchpointId" IS NOT NULL GROUP BY "sessionHash"`
      : `INSERT INTO "InteractionSession" ("workspaceId", "sessionHash", "touchpointId", "occurredAt", "occurredHour")
         SELECT DISTINCT ON ("sessionHash") ${workspace}, "sessionHash", "touchpointId", "occurredAt", "occurredHour" FROM "Interaction" WHERE "workspaceId" = ${workspace} AND "touchpointId" IS NOT NULL ORDER BY "sessionHash", "occurredAt" DESC`,
  );
  log('  InteractionSession');
}

async function tableSizes(sql: Sql): Promise<Record<string, number>> {
  const sizes: Record<string, number> = {};
  for (const table of ['Interaction', 'InteractionDay', 'InteractionTotal', 'InteractionStep', 'InteractionSession']) {
    const [row] = await sql.rows<{ n: unknown }>(`SELECT COUNT(*) AS "n" FROM "${table}" WHERE "workspaceId" = ${q(BENCH_WORKSPACE_ID)}`);
    sizes[table] = Number(row?.n);
  }
  return sizes;
}

/**
 * The two answers' statements (as performance.ts sends them), planned on
 * the database: SQLite's EXPLAIN QUERY PLAN, PostgreSQL's EXPLAIN ANALYZE
 * (rows and buffers read); the roll-up rows each one reads; and its time run
 * directly on the database (p50 and p95 of 20, after one).
 */
async function plans(sql: Sql, config: DatabaseConfig, seed: Seed): Promise<Record<string, unknown>> {
  const { from, to } = lastDays(seed.endMs);
  const workspace = q(BENCH_WORKSPACE_ID);
  const performanceWhere = `"workspaceId" = ${workspace} AND "day" >= ${q(from)} AND "day" <= ${q(to)} AND "segmentId" = ${q(seed.cellSegmentId)} AND "phaseId" = ${q(seed.cellPhaseId)} AND "channelId" = ${q(seed.cellChannelId)}`;
  const pathsWhere = `"workspaceId" = ${workspace} AND "segmentId" = ${q(seed.pathSegmentId)} AND "day" >= ${q(from)} AND "day" <= ${q(to)}`;
  const statements = {
    contentPerformance: `SELECT "day", "type", SUM("count") AS "count" FROM "InteractionDay" WHERE ${performanceWhere} GROUP BY "day", "type"`,
    touchpointPaths: `SELECT "fromTouchpointId", "toTouchpointId", "bucket", SUM("count") AS "count" FROM "InteractionStep" WHERE ${pathsWhere} GROUP BY "fromTouchpointId", "toTouchpointId", "bucket"`,
  };
  const rowsRead = {
    contentPerformance: `SELECT COUNT(*) AS "n" FROM "InteractionDay" WHERE ${performanceWhere}`,
    touchpointPaths: `SELECT COUNT(*) AS "n" FROM "InteractionStep" WHERE ${pathsWhere}`,
  };
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(statements) as (keyof typeof statements)[]) {
    const plan =
      config.provider === 'sqlite'
        ? (await sql.rows<{ detail: string }>(`EXPLAIN QUERY PLAN ${statements[name]}`)).map((r) => r.detail)
        : (await sql.rows<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${statements[name]}`)).map((r) => r['QUERY PLAN']);
    const [read] = await sql.rows<{ n: unknown }>(rowsRead[name]);
    // The statement alone, run directly after a warm-up: what the answer costs beyond it is the server's.
    const times: number[] = [];
    for (let i = 0; i < 21; i++) {
      const started = performance.now();
      await sql.rows(statements[name]);
      if (i > 0) times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    out[name] = { rollUpRowsRead: Number(read?.n), bareSqlMs: { p50: round(times[10]!), p95: round(times[18]!) }, plan };
  }
  return out;
}

async function measureAtScale(context: MeasureContext): Promise<Figures & Record<string, unknown>> {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const config = scaleConfig(context.config);
  const seed = await ensureSeeded(config, context.config, log);
  await applyMigrations(config); // a reused seed gets the indexes added since
  const database = openDatabase(config);
  await database.ready;
  let server: ChildProcess | null = null;
  try {
    const shape = await ensureBenchWorkspace(database.prisma, database.provider, PIECES, log);
    const key = (await createApiKey(database.prisma, BENCH_WORKSPACE_ID, `bench EDITOR ${new Date().toISOString()}`, 'EDITOR')).secret;
    const segmentKey = shape.journeys.flatMap((j) => j.segments).find((s) => s.id === seed.pathSegmentId)!.key;
    const [performanceBody, pathsBody] = requestBodies(shape, lastDays(seed.endMs), cellOf(shape, seed), segmentKey) as [string, string];
    const sql = await connect(config);
    let sizes: Record<string, number>;
    let planned: Record<string, unknown>;
    try {
      sizes = await tableSizes(sql);
      planned = await plans(sql, config, seed);
    } finally {
      await sql.close();
    }
    const statements = { contentPerformance: await statementsPerRequest(database, key, performanceBody), touchpointPaths: await statementsPerRequest(database, key, pathsBody) };
    // Raw events stay as long as the seeded days are within the window: the start-up sweep removes none.
    const retentionDays = 90 + Math.ceil((Date.now() - seed.endMs) / DAY_MS);
    const started = await startServer(config, { INTERACTION_RETENTION_DAYS: String(retentionDays) });
    server = started.child;
    const post = (text: string): LoadRequest[] => [{ method: 'POST', path: '/graphql', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: text }];
    const measured = async (text: string, clients: number) => {
      await load(started.base, post(text), Math.min(2, context.duration), clients); // warm-up
      return load(started.base, post(text), context.duration, clients);
    };
    const answer = await fetch(`${started.base}/graphql`, { method: 'POST', headers: post(pathsBody)[0]!.headers, body: pathsBody }).then((r) => r.json() as Promise<{ data: { touchpointPaths: { totalCount: number } } }>);
    const performanceAnswer = await fetch(`${started.base}/graphql`, { method: 'POST', headers: post(performanceBody)[0]!.headers, body: performanceBody }).then((r) => r.json() as Promise<{ data: { contentPerformance: { impressions: number } } }>);
    const typename = await measured(JSON.stringify({ query: '{ __typename }' }), context.connections);
    const figures = {
      contentPerformance: { one: await measured(performanceBody, 1), many: await measured(performanceBody, context.connections), sqlStatementsPerRequest: statements.contentPerformance },
      touchpointPaths: { one: await measured(pathsBody, 1), many: await measured(pathsBody, context.connections), sqlStatementsPerRequest: statements.touchpointPaths },
    };
    return {
      ...figures.contentPerformance.one,
      seededInSeconds: seed.seedSeconds,
      seededDays: lastDays(seed.endMs),
      retentionDays,
      rows: sizes,
      cell: cellOf(shape, seed),
      impressionsInCell: performanceAnswer.data.contentPerformance.impressions,
      pathSegment: segmentKey,
      pathsInSegment: answer.data.touchpointPaths.totalCount,
      typename,
      ...figures,
      plans: planned,
    };
  } finally {
    server?.kill('SIGTERM');
    await database.disconnect();
  }
}

/** Statements per answer, through an in-process server on the scenario's database (the second of two sends). */
async function statementsPerRequest(database: Database, key: string, text: string): Promise<number> {
  const yoga = createServer({ database, mode: 'production' });
  const send = async () => {
    const response = await yoga.fetch('http://bench/graphql', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: text });
    const json = (await response.json()) as { errors?: unknown[] };
    if (json.errors) throw new Error(`interactions-at-scale failed: ${JSON.stringify(json.errors)}`);
  };
  await send();
  const before = database.statements.count;
  await send();
  await yoga.dispose();
  return database.statements.count - before;
}

import type { Database } from '../db/client.js';
import type { Provider } from '../db/config.js';
import { rawDate } from '../db/raw.js';
import { COUNT_MAINTENANCE } from '../db/versions.js';
import { Prisma } from '../generated/sqlite/client.js';
import type { TransactionStatements } from '../db/statements.js';
import { writeTransaction, type WriteProgram } from '../db/write-thread.js';
import type { InteractionTypeValue, ResolvedEvent } from './events.js';
import { stepsOf, type SessionState, type Step } from './steps.js';

/** An event as stored: resolved ids, the visitor and session as hashes. */
export type StoredEvent = Omit<ResolvedEvent, 'visitorId' | 'sessionId'> & {
  visitorHash: string;
  sessionHash: string;
};

/**
 * Stores a batch (already checked, no clientEventId twice) and adds what is
 * new to the roll-ups, in one transaction: the events in one multi-row
 * INSERT that skips clientEventIds already stored and answers the new ones;
 * for events at a touchpoint, the sessions' last touchpoint (which gives the
 * steps between touchpoints); then the daily roll-up, the all-time totals
 * per piece and per cell, and the steps. A fixed number of statements per batch, whatever its size.
 *
 * The roll-ups come last because their rows are shared by every batch of
 * the same pieces, cells and day: on PostgreSQL a row written stays locked
 * until COMMIT, so concurrent batches queue for them. Written last, in one
 * statement (rollUp), they are held for that statement and the COMMIT only,
 * not across the other statements' round trips, each of which also waits for
 * a busy event loop. SQLite has one writer and takes them one by one.
 *
 * Each statement takes its rows as one JSON parameter (jsonRows): the same
 * short text for any batch, and one value to bind instead of thousands,
 * which is most of the cost of a multi-row VALUES list through Prisma.
 * Answers how many events were new.
 */
export async function storeEvents(database: Database, workspaceId: string, events: StoredEvent[]): Promise<number> {
  // On a SQLite file on the write thread, so a batch's statements never hold the main thread.
  return writeTransaction(database, WRITE_EVENTS, writeEvents, workspaceId, events);
}

/** writeEvents, as the write thread finds it. */
const WRITE_EVENTS: WriteProgram = { module: import.meta.url, name: 'writeEvents' };

/** storeEvents' transaction; exported for the write thread. */
export async function writeEvents(statements: TransactionStatements, provider: Provider, workspaceId: string, events: StoredEvent[]): Promise<number> {
  const fresh = new Set((await insertEvents(statements, provider, workspaceId, events)).map((row) => String(row.clientEventId)));
  const added = fresh.size === events.length ? events : events.filter((e) => fresh.has(e.clientEventId));
  if (added.length === 0) return 0;
  const atTouchpoints = added.filter((e) => e.touchpointId !== null);
  const steps = atTouchpoints.length > 0 ? await followSessions(statements, provider, workspaceId, atTouchpoints) : [];
  await rollUp(statements, provider, [daysUpsert(provider, workspaceId, added), totalsUpsert(provider, workspaceId, added), cellsUpsert(provider, workspaceId, added), ...(steps.length > 0 ? [stepsUpsert(provider, workspaceId, steps)] : [])]);
  // Interactions change no kept answer: engagement reaches one when it is next made. PostgreSQL's
  // watchers hear of writes by notification only, and a shared row would serialise its batches.
  if (provider === 'sqlite') await statements.run(COUNT_MAINTENANCE);
  return added.length;
}

/**
 * Runs the roll-ups' upserts: on PostgreSQL as one statement (each upsert a
 * data-modifying WITH query; the same text every time, so every batch takes
 * the tables in the same order, and each table's rows in key order: no
 * deadlock), on SQLite, which has no writing WITH queries, one by one.
 */
async function rollUp(statements: TransactionStatements, provider: Provider, upserts: Prisma.Sql[]): Promise<void> {
  if (provider === 'sqlite') {
    for (const upsert of upserts) await statements.run(upsert);
    return;
  }
  const last = upserts[upserts.length - 1] as Prisma.Sql;
  const withs = upserts.slice(0, -1).map((upsert, i) => Prisma.sql`${Prisma.raw(`"rollUp${i}"`)} AS (${upsert})`);
  await statements.run(withs.length > 0 ? Prisma.sql`WITH ${Prisma.join(withs, ', ')} ${last}` : last);
}

/** The hour of an instant in whole hours since 1970 (UTC), as the raw rows are swept by. */
export function hourOf(at: Date): number {
  return Math.floor(at.getTime() / HOUR_MS);
}

const HOUR_MS = 3600 * 1000;

/** The UTC day of an instant, YYYY-MM-DD, as the roll-ups key it. */
export function dayOf(at: Date): string {
  return at.toISOString().slice(0, 10);
}

type ColumnType = 'text' | 'int' | 'instant' | 'interactionType';

/**
 * Rows from one JSON parameter (objects keyed by column name, given to SQLite
 * as arrays in the columns' order), as a SELECT whose columns are those names:
 * SQLite's json_each, PostgreSQL's json_to_recordset. Instants travel as epoch milliseconds and are stored as
 * each database stores a Prisma DateTime (SQLite: those milliseconds,
 * PostgreSQL: a UTC timestamp).
 */
function jsonRows(provider: Provider, rows: Record<string, unknown>[], columns: Record<string, ColumnType>): Prisma.Sql {
  const names = Object.keys(columns);
  if (provider === 'sqlite') {
    // Each row as an array, its values by position: 40% less text to write and for SQLite to read
    // than objects repeating every name, a quarter less CPU for 500 events (BENCHMARKS.md).
    const json = JSON.stringify(rows.map((row) => names.map((name) => row[name] ?? null)));
    return Prisma.sql`SELECT ${Prisma.raw(names.map((name, i) => `value ->> ${i} AS "${name}"`).join(', '))} FROM json_each(${json})`;
  }
  const json = JSON.stringify(rows);
  const pgType = { text: 'text', int: 'integer', instant: 'bigint', interactionType: 'text' } as const;
  const select = names.map((name) => {
    const type = columns[name];
    if (type === 'instant') return `(timestamp with time zone 'epoch' + r."${name}" * interval '1 millisecond') AT TIME ZONE 'UTC' AS "${name}"`;
    if (type === 'interactionType') return `CAST(r."${name}" AS "InteractionType") AS "${name}"`;
    return `r."${name}"`;
  });
  const record = names.map((name) => `"${name}" ${pgType[columns[name] as ColumnType]}`).join(', ');
  return Prisma.sql`SELECT ${Prisma.raw(select.join(', '))} FROM json_to_recordset(CAST(${json} AS json)) AS r(${Prisma.raw(record)})`;
}

const EVENT_COLUMNS: Record<string, ColumnType> = {
  workspaceId: 'text',
  clientEventId: 'text',
  type: 'interactionType',
  pieceId: 'text',
  segmentId: 'text',
  phaseId: 'text',
  channelId: 'text',
  touchpointId: 'text',
  device: 'text',
  occurredAt: 'instant',
  occurredHour: 'int',
  visitorHash: 'text',
  sessionHash: 'text',
};

function insertEvents(statements: TransactionStatements, provider: Provider, workspaceId: string, events: StoredEvent[]) {
  const rows = events.map((e) => ({ ...e, workspaceId, occurredAt: e.occurredAt.getTime(), occurredHour: hourOf(e.occurredAt) }));
  return statements.all<{ clientEventId: unknown }>(Prisma.sql`
    INSERT INTO "Interaction" ("workspaceId", "clientEventId", "type", "pieceId", "segmentId", "phaseId", "channelId", "touchpointId", "device", "occurredAt", "occurredHour", "visitorHash", "sessionHash")
    ${jsonRows(provider, rows, EVENT_COLUMNS)} WHERE true
    ON CONFLICT ("workspaceId", "clientEventId") DO NOTHING
    RETURNING "clientEventId"`);
}

const DAY_COLUMNS: Record<string, ColumnType> = { workspaceId: 'text', pieceId: 'text', segmentId: 'text', phaseId: 'text', channelId: 'text', type: 'interactionType', day: 'text', count: 'int' };

function daysUpsert(provider: Provider, workspaceId: string, events: StoredEvent[]): Prisma.Sql {
  const counts = new Map<string, Record<string, unknown> & { count: number }>();
  for (const e of events) {
    const day = dayOf(e.occurredAt);
    const key = `${e.pieceId}\n${e.segmentId}\n${e.phaseId}\n${e.channelId}\n${e.type}\n${day}`;
    const entry = counts.get(key);
    if (entry) entry.count += 1;
    else counts.set(key, { workspaceId, pieceId: e.pieceId, segmentId: e.segmentId, phaseId: e.phaseId, channelId: e.channelId, type: e.type, day, count: 1 });
  }
  // WHERE true: SQLite's upsert after a SELECT needs it to parse ON CONFLICT as the upsert's.
  return Prisma.sql`
    INSERT INTO "InteractionDay" ("workspaceId", "pieceId", "segmentId", "phaseId", "channelId", "type", "day", "count")
    ${jsonRows(provider, inKeyOrder(counts), DAY_COLUMNS)} WHERE true
    ON CONFLICT ("pieceId", "segmentId", "phaseId", "channelId", "type", "day") DO UPDATE SET "count" = "InteractionDay"."count" + excluded."count"`;
}

/**
 * Rows in the order of their keys: concurrent batches then lock the
 * roll-up rows they share in the same order, and never deadlock on
 * PostgreSQL.
 */
function inKeyOrder<T>(rows: Map<string, T>): T[] {
  return [...rows].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, row]) => row);
}

function stepKey(s: Step): string {
  return `${s.segmentId}\n${s.day}\n${s.fromTouchpointId}\n${s.toTouchpointId}\n${s.bucket}`;
}

/** The count column each type adds to, in InteractionTotal and InteractionCell. */
const COUNT_COLUMN = { IMPRESSION: 'impressions', VIEW: 'views', CLICK: 'clicks', DOWNLOAD: 'downloads', SHARE: 'shares', CONVERSION: 'conversions' } as const;
const COUNT_COLUMNS = Object.values(COUNT_COLUMN);
type KeyColumn = 'pieceId' | 'segmentId' | 'phaseId' | 'channelId';

/**
 * Adds the events to a table of all-time counts keyed by `keys` (with the
 * workspace): InteractionTotal per piece and cell, InteractionCell per cell.
 */
function countsUpsert(provider: Provider, workspaceId: string, events: StoredEvent[], table: 'InteractionTotal' | 'InteractionCell', keys: KeyColumn[], conflict: string[]): Prisma.Sql {
  const sums = new Map<string, Record<string, string | number>>();
  for (const e of events) {
    const key = keys.map((k) => e[k]).join('\n');
    let entry = sums.get(key);
    if (!entry) {
      entry = { workspaceId, ...Object.fromEntries(keys.map((k) => [k, e[k]])), impressions: 0, views: 0, clicks: 0, downloads: 0, shares: 0, conversions: 0 };
      sums.set(key, entry);
    }
    const column = COUNT_COLUMN[e.type];
    entry[column] = (entry[column] as number) + 1;
  }
  const columns: Record<string, ColumnType> = { workspaceId: 'text', ...Object.fromEntries(keys.map((k) => [k, 'text'])), ...Object.fromEntries(COUNT_COLUMNS.map((c) => [c, 'int'])) };
  const quoted = (names: string[]) => names.map((name) => `"${name}"`).join(', ');
  const added = COUNT_COLUMNS.map((c) => `"${c}" = "${table}"."${c}" + excluded."${c}"`).join(', ');
  return Prisma.sql`
    INSERT INTO ${Prisma.raw(`"${table}" (${quoted(Object.keys(columns))})`)}
    ${jsonRows(provider, inKeyOrder(sums), columns)} WHERE true
    ON CONFLICT ${Prisma.raw(`(${quoted(conflict)}) DO UPDATE SET ${added}`)}`;
}

const totalsUpsert = (provider: Provider, workspaceId: string, events: StoredEvent[]) =>
  countsUpsert(provider, workspaceId, events, 'InteractionTotal', ['pieceId', 'segmentId', 'phaseId', 'channelId'], ['pieceId', 'segmentId', 'phaseId', 'channelId']);
const cellsUpsert = (provider: Provider, workspaceId: string, events: StoredEvent[]) =>
  countsUpsert(provider, workspaceId, events, 'InteractionCell', ['segmentId', 'phaseId', 'channelId'], ['workspaceId', 'segmentId', 'phaseId', 'channelId']);

/**
 * Steps between touchpoints: each session's last interaction at a
 * touchpoint is kept (InteractionSession), so a new one makes a step from
 * it without reading raw events. On PostgreSQL the sessions' rows are
 * locked first, so two batches of one session take turns. Answers the
 * steps, in key order, for the roll-up.
 */
async function followSessions(statements: TransactionStatements, provider: Provider, workspaceId: string, events: StoredEvent[]): Promise<Step[]> {
  const hashes = [...new Set(events.map((e) => e.sessionHash))];
  const rows = await statements.all<{ sessionHash: string; touchpointId: string; occurredAt: unknown }>(Prisma.sql`
    SELECT s."sessionHash", s."touchpointId", s."occurredAt" FROM "InteractionSession" s
     WHERE s."workspaceId" = ${workspaceId} AND s."sessionHash" IN (SELECT h."sessionHash" FROM (${jsonRows(provider, hashes.map((sessionHash) => ({ sessionHash })), { sessionHash: 'text' })}) h)
     ORDER BY s."sessionHash" ${provider === 'postgresql' ? Prisma.sql`FOR UPDATE OF s` : Prisma.empty}`);
  const known = new Map<string, SessionState>(rows.map((row) => [row.sessionHash, { touchpointId: row.touchpointId, occurredAt: rawDate(row.occurredAt) as Date }]));
  const { sessions: unordered, steps } = stepsOf(known, events);
  const sessions = new Map([...unordered].sort(([a], [b]) => (a < b ? -1 : 1)));
  steps.sort((a, b) => (stepKey(a) < stepKey(b) ? -1 : 1));
  await statements.run(Prisma.sql`
    INSERT INTO "InteractionSession" ("workspaceId", "sessionHash", "touchpointId", "occurredAt", "occurredHour")
    ${jsonRows(provider, [...sessions].map(([sessionHash, s]) => ({ workspaceId, sessionHash, touchpointId: s.touchpointId, occurredAt: s.occurredAt.getTime(), occurredHour: hourOf(s.occurredAt) })), SESSION_COLUMNS)} WHERE true
    ON CONFLICT ("workspaceId", "sessionHash") DO UPDATE SET "touchpointId" = excluded."touchpointId", "occurredAt" = excluded."occurredAt", "occurredHour" = excluded."occurredHour"`);
  return steps;
}

const SESSION_COLUMNS: Record<string, ColumnType> = { workspaceId: 'text', sessionHash: 'text', touchpointId: 'text', occurredAt: 'instant', occurredHour: 'int' };
const STEP_COLUMNS: Record<string, ColumnType> = { workspaceId: 'text', segmentId: 'text', fromTouchpointId: 'text', toTouchpointId: 'text', day: 'text', bucket: 'int', count: 'int' };

function stepsUpsert(provider: Provider, workspaceId: string, steps: Step[]): Prisma.Sql {
  return Prisma.sql`
    INSERT INTO "InteractionStep" ("workspaceId", "segmentId", "fromTouchpointId", "toTouchpointId", "day", "bucket", "count")
    ${jsonRows(provider, steps.map((s) => ({ workspaceId, ...s })), STEP_COLUMNS)} WHERE true
    ON CONFLICT ("workspaceId", "segmentId", "day", "fromTouchpointId", "toTouchpointId", "bucket") DO UPDATE SET "count" = "InteractionStep"."count" + excluded."count"`;
}

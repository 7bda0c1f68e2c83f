import { Prisma } from '../generated/sqlite/client.js';
import type { Database, Db } from '../db/client.js';
import { rawDate } from '../db/raw.js';
import { COUNT_MAINTENANCE } from '../db/versions.js';
import type { Tx } from '../shared/mutation.js';

/**
 * The matrix's counts per cell (segment × phase × channel, '' for generic
 * content), kept in ContentCell. Counts by status never depend on the clock;
 * live, live-and-fresh and live-at-the-horizon do, but only at a few
 * instants: when a published piece's publishAt or expiresAt passes, its
 * reviewAt or its freshness window ends, or the look-ahead window reaches a
 * publishAt or expiresAt. So each row holds those counts as they stand from
 * `asOf` until `validUntil`, the first such instant, for the workspace's
 * freshness window and look-ahead of the time. Writes rebuild their cells in
 * their own transaction (content/targets.ts); a matrix uses a row for any
 * instant in [asOf, validUntil) and counts afresh the cells it cannot use.
 */
const DAY_MS = 86_400_000;
/** "Never changes by time": far beyond any date the API accepts. */
const NEVER = new Date('9999-01-01T00:00:00.000Z');

export interface CellKey {
  phaseId: string;
  channelId: string;
  segmentId: string;
}

export interface Settings {
  freshnessDays: number;
  lookaheadDays: number;
}

export interface CellCounts extends CellKey {
  workspaceId: string;
  idea: number;
  draft: number;
  inReview: number;
  scheduled: number;
  published: number;
  archived: number;
  live: number;
  liveFresh: number;
  liveAtHorizon: number;
  asOf: Date;
  validUntil: Date;
  freshnessDays: number;
  lookaheadDays: number;
}

export const cellId = (cell: CellKey) => `${cell.segmentId}|${cell.phaseId}|${cell.channelId}`;

/** Whether a kept row tells the counts at `at` for these settings. */
export function usable(row: CellCounts, at: Date, settings: Settings): boolean {
  return (
    row.freshnessDays === settings.freshnessDays &&
    row.lookaheadDays === settings.lookaheadDays &&
    row.asOf.getTime() <= at.getTime() &&
    at.getTime() < row.validUntil.getTime()
  );
}

export interface KeptCells {
  rows: CellCounts[];
  /** The workspace's WorkspaceVersion when they were read: a refresh writes only if it has not moved since. */
  version: number;
}

/** The kept rows of the cells of these phases and channels (and segments, '' included). One statement. */
export async function readCells(db: Db, workspaceId: string, phaseIds: string[], channelIds: string[], segmentIds: string[]): Promise<KeptCells> {
  if (!phaseIds.length || !channelIds.length) return { rows: [], version: -1 };
  const rows = await db.$queryRaw<(Record<keyof CellCounts, unknown> & { version: Count | null })[]>(Prisma.sql`
    SELECT c.*, (SELECT v."version" FROM "WorkspaceVersion" v WHERE v."workspaceId" = ${workspaceId}) AS "version"
      FROM "ContentCell" c
     WHERE c."phaseId" IN (${Prisma.join(phaseIds)}) AND c."channelId" IN (${Prisma.join(channelIds)})
       AND c."segmentId" IN (${Prisma.join(['', ...segmentIds])}) AND c."workspaceId" = ${workspaceId}`);
  return {
    rows: rows.map(cellRow),
    version: Number(rows[0]?.version ?? 0),
  };
}

type Count = number | bigint | string;
type Raw = Record<
  'workspaceId' | 'phaseId' | 'channelId' | 'segmentId' | 'idea' | 'draft' | 'inReview' | 'scheduled' | 'published' | 'archived' | 'live' | 'liveStale' | 'liveAtHorizon',
  Count
> &
  Record<NextChange, unknown>;
export type NextChange = 'nextPublish' | 'nextExpiry' | 'nextReview' | 'nextUpdate' | 'nextHorizonPublish' | 'nextHorizonExpiry';

/** Runs one read statement: inside a write's transaction, or off the main thread (Database.analyze). */
export type Reads = <Row>(sql: Prisma.Sql) => Promise<Row[]>;

/**
 * Counts cells at `at` from ContentTarget, with the instant each count stays
 * true until. `where` picks the target rows (the cells' own index ranges).
 * One statement.
 */
export async function countCells(read: Reads, where: Prisma.Sql, at: Date, settings: Settings): Promise<CellCounts[]> {
  const { live, stale, atHorizon } = clockConditions(at, settings);
  const count = (condition: Prisma.Sql, name: string) => Prisma.sql`SUM(CASE WHEN ${condition} THEN 1 ELSE 0 END) AS ${Prisma.raw(`"${name}"`)}`;
  const status = (value: string, name: string) => count(Prisma.sql`t.status = ${Prisma.raw(`'${value}'`)}`, name);
  const rows = await read<Raw>(Prisma.sql`
    SELECT MIN(t."workspaceId") AS "workspaceId", t."phaseId", t."channelId", t."segmentId",
           ${status('IDEA', 'idea')}, ${status('DRAFT', 'draft')}, ${status('IN_REVIEW', 'inReview')},
           ${status('SCHEDULED', 'scheduled')}, ${status('PUBLISHED', 'published')}, ${status('ARCHIVED', 'archived')},
           ${count(live, 'live')}, ${count(Prisma.sql`${live} AND ${stale}`, 'liveStale')}, ${count(atHorizon, 'liveAtHorizon')},
           ${nextChanges(at, settings)}
      FROM "ContentTarget" t
     WHERE ${where}
     GROUP BY t."segmentId", t."phaseId", t."channelId"
  `);
  return rows.map((r) =>
    cellRow({
      ...r,
      liveFresh: Number(r.live) - Number(r.liveStale),
      asOf: at,
      validUntil: validUntil(r, settings),
      freshnessDays: settings.freshnessDays,
      lookaheadDays: settings.lookaheadDays,
    }),
  );
}

/**
 * What the clock-bound counts mean at `at`, over target rows `t`: live,
 * stale (past reviewAt, or without one not updated within the freshness
 * window), and live at the end of the look-ahead window.
 */
export function clockConditions(at: Date, settings: Settings): { live: Prisma.Sql; stale: Prisma.Sql; atHorizon: Prisma.Sql } {
  const staleUpdate = new Date(at.getTime() - settings.freshnessDays * DAY_MS);
  const horizon = new Date(at.getTime() + settings.lookaheadDays * DAY_MS);
  return {
    live: Prisma.sql`t.status = 'PUBLISHED' AND (t."publishAt" IS NULL OR t."publishAt" <= ${at}) AND (t."expiresAt" IS NULL OR t."expiresAt" > ${at})`,
    stale: Prisma.sql`(t."reviewAt" <= ${at} OR (t."reviewAt" IS NULL AND t."updatedAt" <= ${staleUpdate}))`,
    atHorizon: Prisma.sql`(t.status = 'PUBLISHED' AND (t."publishAt" IS NULL OR t."publishAt" <= ${horizon})
      OR t.status = 'SCHEDULED' AND t."publishAt" <= ${horizon})
    AND (t."expiresAt" IS NULL OR t."expiresAt" > ${horizon})`,
  };
}

/** The columns (aggregates over target rows `t`) from which validUntil() finds the first instant after `at` a count changes by time alone. */
export function nextChanges(at: Date, settings: Settings): Prisma.Sql {
  const staleUpdate = new Date(at.getTime() - settings.freshnessDays * DAY_MS);
  const horizon = new Date(at.getTime() + settings.lookaheadDays * DAY_MS);
  const comingAtHorizon = Prisma.sql`(t.status = 'PUBLISHED' OR t.status = 'SCHEDULED')`;
  const published = Prisma.sql`t.status = 'PUBLISHED'`;
  const next = (condition: Prisma.Sql, column: string, name: string) => Prisma.sql`MIN(CASE WHEN ${condition} THEN t.${Prisma.raw(`"${column}"`)} END) AS ${Prisma.raw(`"${name}"`)}`;
  return Prisma.sql`${next(Prisma.sql`${published} AND t."publishAt" > ${at}`, 'publishAt', 'nextPublish')},
           ${next(Prisma.sql`${published} AND t."expiresAt" > ${at}`, 'expiresAt', 'nextExpiry')},
           ${next(Prisma.sql`${published} AND t."reviewAt" > ${at}`, 'reviewAt', 'nextReview')},
           ${next(Prisma.sql`${published} AND t."reviewAt" IS NULL AND t."updatedAt" > ${staleUpdate}`, 'updatedAt', 'nextUpdate')},
           ${next(Prisma.sql`${comingAtHorizon} AND t."publishAt" > ${horizon}`, 'publishAt', 'nextHorizonPublish')},
           ${next(Prisma.sql`${comingAtHorizon} AND t."expiresAt" > ${horizon}`, 'expiresAt', 'nextHorizonExpiry')}`;
}

/** The counts hold until the first instant one of them changes by time alone (from nextChanges' columns); NEVER if none. */
export function validUntil(r: Record<NextChange, unknown>, settings: Settings): Date {
  const later = (value: unknown, shift: number) => {
    const date = rawDate(value);
    return date ? date.getTime() + shift : Number.POSITIVE_INFINITY;
  };
  const until = Math.min(
    later(r.nextPublish, 0),
    later(r.nextExpiry, 0),
    later(r.nextReview, 0),
    later(r.nextUpdate, settings.freshnessDays * DAY_MS),
    later(r.nextHorizonPublish, -settings.lookaheadDays * DAY_MS),
    later(r.nextHorizonExpiry, -settings.lookaheadDays * DAY_MS),
  );
  return Number.isFinite(until) ? new Date(until) : NEVER;
}

/** Target rows of the given cells: each cell's own index range. */
export function ofCells(cells: CellKey[]): Prisma.Sql {
  return Prisma.sql`(t."phaseId", t."channelId", t."segmentId") IN (VALUES ${Prisma.join(cells.map((c) => Prisma.sql`(${c.phaseId}, ${c.channelId}, ${c.segmentId})`))})`;
}

/** Up to this many cells per statement: three parameters each, below SQLite's 32,766. */
export const CELLS_PER_STATEMENT = 5000;

/**
 * Keeps counts a matrix made afresh (for cells whose rows had run out), so
 * the next one reads them: in a transaction of its own that writes only if
 * no write to the workspace committed since the counts were read (its
 * WorkspaceVersion row), and records itself as maintenance, not a change of
 * data (db/versions.ts). Best effort: giving up only means counting again.
 */
export async function keepCells(database: Database, workspaceId: string, version: number, rows: CellCounts[]): Promise<boolean> {
  if (!rows.length) return false;
  // A content write holds the row until it commits (applyChanges): then give up rather than wait.
  const lock = database.provider === 'postgresql' ? Prisma.sql`FOR UPDATE NOWAIT` : Prisma.empty;
  const guard = Prisma.sql`SELECT COALESCE((SELECT "version" FROM "WorkspaceVersion" WHERE "workspaceId" = ${workspaceId} ${lock}), 0)`;
  const statements: Prisma.Sql[] = [];
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    const chunk = rows.slice(start, start + ROWS_PER_INSERT);
    statements.push(Prisma.sql`DELETE FROM "ContentCell" WHERE ("phaseId", "channelId", "segmentId") IN (VALUES ${Prisma.join(chunk.map((c) => Prisma.sql`(${c.phaseId}, ${c.channelId}, ${c.segmentId})`))})`);
    statements.push(insertCells(chunk));
  }
  statements.push(COUNT_MAINTENANCE);
  return database.maintain(guard, version, statements);
}

/** Rows per INSERT: 17 values each, below SQLite's 32,766 parameters. */
const ROWS_PER_INSERT = 1000;

const COLUMNS = ['workspaceId', 'phaseId', 'channelId', 'segmentId', 'idea', 'draft', 'inReview', 'scheduled', 'published', 'archived', 'live', 'liveFresh', 'liveAtHorizon', 'asOf', 'validUntil', 'freshnessDays', 'lookaheadDays'] as const;

function insertCells(rows: CellCounts[]): Prisma.Sql {
  return Prisma.sql`INSERT INTO "ContentCell" (${Prisma.raw(COLUMNS.map((c) => `"${c}"`).join(', '))}) VALUES ${Prisma.join(rows.map((row) => Prisma.sql`(${Prisma.join(COLUMNS.map((c) => row[c]))})`))}`;
}

/** What a target row says that the counts depend on. */
export interface TargetState extends CellKey {
  workspaceId: string;
  status: string;
  publishAt: Date | null;
  expiresAt: Date | null;
  reviewAt: Date | null;
  updatedAt: Date | null;
}

type CountField = 'idea' | 'draft' | 'inReview' | 'scheduled' | 'published' | 'archived' | 'live' | 'liveFresh' | 'liveAtHorizon';
const STATUS_FIELD: Record<string, CountField> = { IDEA: 'idea', DRAFT: 'draft', IN_REVIEW: 'inReview', SCHEDULED: 'scheduled', PUBLISHED: 'published', ARCHIVED: 'archived' };

/**
 * One target's part in its cell's counts at `at`, and the first instant
 * after `at` its part changes: the rules of countCells' statement, for one row.
 */
export function targetPart(t: TargetState, at: Date, settings: Settings): { fields: CountField[]; changesAt: number } {
  const now = at.getTime();
  const freshFor = settings.freshnessDays * DAY_MS;
  const ahead = settings.lookaheadDays * DAY_MS;
  const horizon = now + ahead;
  const time = (date: Date | null) => (date ? date.getTime() : null);
  const [publishAt, expiresAt, reviewAt, updatedAt] = [time(t.publishAt), time(t.expiresAt), time(t.reviewAt), time(t.updatedAt)];
  const published = t.status === 'PUBLISHED';
  const live = published && (publishAt === null || publishAt <= now) && (expiresAt === null || expiresAt > now);
  const stale = (reviewAt !== null && reviewAt <= now) || (reviewAt === null && updatedAt !== null && updatedAt <= now - freshFor);
  const coming = published || t.status === 'SCHEDULED';
  const atHorizon =
    ((published && (publishAt === null || publishAt <= horizon)) || (t.status === 'SCHEDULED' && publishAt !== null && publishAt <= horizon)) &&
    (expiresAt === null || expiresAt > horizon);
  const fields: CountField[] = [STATUS_FIELD[t.status] as CountField];
  if (live) fields.push('live');
  if (live && !stale) fields.push('liveFresh');
  if (atHorizon) fields.push('liveAtHorizon');
  const after = (instant: number | null, condition: boolean) => (condition && instant !== null && instant > now ? instant : Number.POSITIVE_INFINITY);
  const changesAt = Math.min(
    after(publishAt, published),
    after(expiresAt, published),
    after(reviewAt, published),
    reviewAt === null && updatedAt !== null && published && updatedAt > now - freshFor ? updatedAt + freshFor : Number.POSITIVE_INFINITY,
    coming && publishAt !== null && publishAt > horizon ? publishAt - ahead : Number.POSITIVE_INFINITY,
    coming && expiresAt !== null && expiresAt > horizon ? expiresAt - ahead : Number.POSITIVE_INFINITY,
  );
  return { fields, changesAt };
}

/**
 * Brings the kept rows of the cells a write touched up to date, in the
 * write's transaction: each row takes away the parts of the target rows that
 * went and adds those of the rows that came, judged at the row's own instant
 * and settings, so its counts stay those of the current targets at `asOf`;
 * what came may end its validity sooner, what went never extends it. A cell
 * without a row had no targets: its row starts now. The cost follows the
 * write, never the size of the cells. Concurrent writes to one workspace
 * take turns (its WorkspaceVersion row is locked first), so none adds to
 * counts another is changing.
 */
export async function applyChanges(tx: Tx, removed: TargetState[], added: TargetState[]): Promise<void> {
  const workspaceId = (removed[0] ?? added[0])?.workspaceId;
  if (!workspaceId) return;
  await tx.$executeRaw`INSERT INTO "WorkspaceVersion" ("workspaceId", "version") VALUES (${workspaceId}, 0)
    ON CONFLICT ("workspaceId") DO UPDATE SET "version" = "WorkspaceVersion"."version"`;
  const keys = [...new Map([...removed, ...added].map((t) => [cellId(t), { phaseId: t.phaseId, channelId: t.channelId, segmentId: t.segmentId }])).values()];
  const rows = new Map<string, CellCounts>();
  for (let start = 0; start < keys.length; start += CELLS_PER_STATEMENT) {
    const chunk = keys.slice(start, start + CELLS_PER_STATEMENT);
    const found = await tx.$queryRaw<Record<keyof CellCounts, unknown>[]>`SELECT * FROM "ContentCell" c WHERE ("phaseId", "channelId", "segmentId") IN (VALUES ${Prisma.join(chunk.map((c) => Prisma.sql`(${c.phaseId}, ${c.channelId}, ${c.segmentId})`))})`;
    for (const row of found.map(cellRow)) rows.set(cellId(row), row);
  }
  if (keys.some((key) => !rows.has(cellId(key)))) {
    const workspace = await tx.workspace.findUniqueOrThrow({ where: { id: workspaceId }, select: { freshnessDays: true, expiryLookaheadDays: true } });
    const now = new Date();
    for (const key of keys) {
      if (!rows.has(cellId(key))) rows.set(cellId(key), zeros(workspaceId, key, now, { freshnessDays: workspace.freshnessDays, lookaheadDays: workspace.expiryLookaheadDays }));
    }
  }
  const change = (target: TargetState, sign: 1 | -1) => {
    const row = rows.get(cellId(target)) as CellCounts;
    addPart(row, target, sign, row.asOf);
  };
  for (const target of removed) change(target, -1);
  for (const target of added) change(target, 1);
  const changed = [...rows.values()];
  for (let start = 0; start < changed.length; start += ROWS_PER_INSERT) await tx.$executeRaw(upsertCells(changed.slice(start, start + ROWS_PER_INSERT)));
}

/**
 * Adds (sign 1) or takes away (-1) one target's part in a cell row, judged
 * at `at` with the row's settings: what came may end the row's validity
 * sooner, what went never extends it. The one rule for a write's rebuild
 * (judged at the row's asOf) and for a what-if overlay (judged at the
 * matrix's instant, src/scenarios).
 */
export function addPart(row: CellCounts, target: TargetState, sign: 1 | -1, at: Date): void {
  const part = targetPart(target, at, row);
  for (const field of part.fields) row[field] += sign;
  if (sign > 0 && part.changesAt < row.validUntil.getTime()) row.validUntil = new Date(part.changesAt);
}

/** A row of counts for a cell without targets, from `now` on. */
export function zeros(workspaceId: string, cell: CellKey, now: Date, settings: Settings): CellCounts {
  return { workspaceId, ...cell, idea: 0, draft: 0, inReview: 0, scheduled: 0, published: 0, archived: 0, live: 0, liveFresh: 0, liveAtHorizon: 0, asOf: now, validUntil: NEVER, ...settings };
}

/** A kept cell row as the drivers give it (counts may be bigints or strings, instants numbers or strings). */
function cellRow(r: Record<keyof CellCounts, unknown>): CellCounts {
  return {
    workspaceId: String(r.workspaceId),
    phaseId: String(r.phaseId),
    channelId: String(r.channelId),
    segmentId: String(r.segmentId),
    idea: Number(r.idea),
    draft: Number(r.draft),
    inReview: Number(r.inReview),
    scheduled: Number(r.scheduled),
    published: Number(r.published),
    archived: Number(r.archived),
    live: Number(r.live),
    liveFresh: Number(r.liveFresh),
    liveAtHorizon: Number(r.liveAtHorizon),
    asOf: rawDate(r.asOf) as Date,
    validUntil: rawDate(r.validUntil) as Date,
    freshnessDays: Number(r.freshnessDays),
    lookaheadDays: Number(r.lookaheadDays),
  };
}


function upsertCells(rows: CellCounts[]): Prisma.Sql {
  const updates = COLUMNS.filter((c) => !['phaseId', 'channelId', 'segmentId'].includes(c)).map((c) => `"${c}" = excluded."${c}"`);
  return Prisma.sql`${insertCells(rows)} ON CONFLICT ("phaseId", "channelId", "segmentId") DO UPDATE SET ${Prisma.raw(updates.join(', '))}`;
}

import { Prisma } from '../generated/sqlite/client.js';
import type { Database } from '../db/client.js';
import type { MatrixCell } from './analysis.js';
import { clockConditions, nextChanges, validUntil, type NextChange, type Settings } from './cells.js';
import type { MatrixFrame } from './frame.js';
import { cellStatus } from './status.js';

/**
 * The phase crosswalk in the matrix (recommendations/crosswalk.ts tells what
 * it is): per cell, the live pieces tagged to phases of the workspace's
 * other journey models with the cell's archetype and scope, on the cell's
 * channel, for the cell's segment itself or generic (as the matrix counts
 * its own content: a parent's pieces do not count for its sub-segments;
 * pieces for segments of other journeys never cross). Counted when the
 * matrix asks (`crosswalk: true`) or when a cell's winning coverage rule
 * counts crosswalk content (countCrosswalk) and nothing of the cell's own is
 * live: then the status is judged on the crosswalk content, exactly when
 * recommendedContent(crosswalk: true) would serve it. One statement for the
 * whole matrix, and none when neither applies.
 */
export interface CrosswalkCounts {
  live: number;
  liveFresh: number;
  liveAtHorizon: number;
}

/** Fills the cells' crosswalk counts and the statuses that count them; answers when those next change by time alone (null: no statement ran). */
export async function applyCrosswalk(database: Database, frame: MatrixFrame, cells: MatrixCell[], asked: boolean): Promise<Date | null> {
  const counting = cells.filter((c) => c.rule?.countCrosswalk && !c.rule.notExpected && c.live === 0);
  if (!asked && !counting.length) return null;
  const settings = { freshnessDays: frame.freshnessDays, lookaheadDays: frame.expiryLookaheadDays };
  const { rows, changesAt } = await countCrosswalk(database, frame, settings);
  const of = (segmentId: string, cell: MatrixCell) => rows.get(`${segmentId}|${cell.phase.id}|${cell.channel.id}`);
  const sum = (cell: MatrixCell): CrosswalkCounts => {
    const [own, generic] = [of(cell.segment.id, cell), of('', cell)];
    return {
      live: (own?.live ?? 0) + (generic?.live ?? 0),
      liveFresh: (own?.liveFresh ?? 0) + (generic?.liveFresh ?? 0),
      liveAtHorizon: (own?.liveAtHorizon ?? 0) + (generic?.liveAtHorizon ?? 0),
    };
  };
  if (asked) for (const cell of cells) cell.crosswalk = sum(cell).live;
  for (const cell of counting) {
    const crosswalk = sum(cell);
    if (crosswalk.live === 0) continue;
    cell.countedCrosswalk = crosswalk.live;
    // At the horizon the own content comes first again when some of it is live by then.
    const liveAtHorizon = cell.liveAtHorizon > 0 ? cell.liveAtHorizon : crosswalk.liveAtHorizon;
    cell.status = cellStatus({ expectedMinimum: cell.expectedMinimum, live: crosswalk.live, liveFresh: crosswalk.liveFresh, liveAtHorizon, planned: cell.planned });
  }
  return changesAt;
}

type Count = number | bigint | string;

/**
 * Distinct pieces per (matrix phase, channel, segment or ''), through every
 * phase of another journey with the matrix phase's archetype and scope; the
 * same clock rules as the matrix's own counts (cells.ts).
 */
async function countCrosswalk(database: Database, frame: MatrixFrame, settings: Settings): Promise<{ rows: Map<string, CrosswalkCounts>; changesAt: Date | null }> {
  if (!frame.phases.length || !frame.channels.length) return { rows: new Map(), changesAt: null };
  const { live, stale, atHorizon } = clockConditions(frame.at, settings);
  const distinct = (condition: Prisma.Sql, name: string) => Prisma.sql`COUNT(DISTINCT CASE WHEN ${condition} THEN t."pieceId" END) AS ${Prisma.raw(`"${name}"`)}`;
  const found = await database.analyze<Record<'phaseId' | 'channelId' | 'segmentId', string> & Record<'live' | 'liveStale' | 'liveAtHorizon', Count> & Record<NextChange, unknown>>(Prisma.sql`
    SELECT own.id AS "phaseId", t."channelId", t."segmentId",
           ${distinct(live, 'live')}, ${distinct(Prisma.sql`${live} AND ${stale}`, 'liveStale')}, ${distinct(atHorizon, 'liveAtHorizon')},
           ${nextChanges(frame.at, settings)}
      FROM "Phase" own
      JOIN "Phase" other ON other."workspaceId" = own."workspaceId" AND other."journeyId" <> own."journeyId"
                        AND other.archetype = own.archetype AND other.scope = own.scope
      JOIN "ContentTarget" t ON t."phaseId" = other.id
     WHERE own."workspaceId" = ${frame.workspaceId} AND own.id IN (${Prisma.join(frame.phases.map((p) => p.id))})
       AND t."channelId" IN (${Prisma.join(frame.channels.map((c) => c.id))})
       AND t."segmentId" IN (${Prisma.join(['', ...frame.segments.map((s) => s.id)])})
       AND t.status IN ('PUBLISHED', 'SCHEDULED')
     GROUP BY own.id, t."channelId", t."segmentId"`);
  const rows = new Map<string, CrosswalkCounts>();
  let changesAt: number | null = null;
  for (const r of found) {
    rows.set(`${r.segmentId}|${r.phaseId}|${r.channelId}`, { live: Number(r.live), liveFresh: Number(r.live) - Number(r.liveStale), liveAtHorizon: Number(r.liveAtHorizon) });
    const until = validUntil(r, settings).getTime();
    changesAt = changesAt === null ? until : Math.min(changesAt, until);
  }
  return { rows, changesAt: changesAt === null ? null : new Date(changesAt) };
}

import type { Phase, Segment } from '../generated/sqlite/client.js';
import { Prisma } from '../generated/sqlite/client.js';
import { rawDate } from '../db/raw.js';
import { countedRows, REACH, type Finding, type FindingQuery } from './cadence.js';
import { listOf } from './filter.js';
import { byteOrder, epochMs, integer, type CalendarDatabase } from './sql.js';
import { compareIds } from './targeting.js';

/**
 * SILENCE: stretches within [from, to) longer than the workspace's silence
 * window in which a segment gets nothing published in its journey's STAY
 * phases (those the phase and scope filters allow).
 *
 * A segment hears from its own (targeted) pieces and from its journey's
 * generic ones. A silence of the two together is a stretch where both are
 * silent: the overlap of a silence of each. So one statement finds, per
 * reach (segment or journey), only the gaps between consecutive publish
 * instants longer than the window (and where each reach starts), and the
 * segments' silences are the long overlaps of those, computed here.
 */
const DAY = 86_400_000;

/** A stretch without pieces; its pieces are the last before and first after it (null at the range's edges). */
interface Gap {
  start: Date;
  end: Date;
  before: string | null;
  after: string | null;
}

interface GapRow {
  reach: string;
  start: unknown;
  startPiece: string | null;
  end: unknown;
  endPiece: string | null;
}

export async function silences(db: CalendarDatabase, query: FindingQuery): Promise<Finding[]> {
  const { taxonomy, filter, from, to } = query;
  const window = taxonomy.workspace.silenceDays * DAY;
  const stayPhases = new Map<string, Phase[]>();
  for (const phase of taxonomy.phases) {
    if (phase.scope === 'STAY' && filter.phaseAllowed(phase)) stayPhases.set(phase.journeyId, [...(stayPhases.get(phase.journeyId) ?? []), phase]);
  }
  const segments = taxonomy.segments.filter((s) => stayPhases.has(s.journeyId) && (!filter.segments || filter.segments.has(s.id)));
  if (segments.length === 0) return [];

  const gaps = new Map<string, Gap[]>();
  for (const row of await db.query<GapRow>(gapsSql(db, query, [...stayPhases.values()].flat(), window))) {
    const gap = { start: rawDate(row.start) ?? from, end: rawDate(row.end) ?? to, before: row.startPiece, after: row.endPiece };
    gaps.set(row.reach, [...(gaps.get(row.reach) ?? []), gap]);
  }
  // A reach without a single piece is silent over the whole range.
  const whole: Gap[] = [{ start: from, end: to, before: null, after: null }];
  const long = (list: Gap[]) => list.filter((gap) => gap.end.getTime() - gap.start.getTime() > window);
  return segments.flatMap((segment) => {
    const own = long(gaps.get(segment.id) ?? whole);
    const generic = long(gaps.get(segment.journeyId) ?? whole);
    const both = own.flatMap((a) => generic.map((b) => overlap(a, b)));
    return long(both).map((gap) => silence(query, segment, gap, stayPhases.get(segment.journeyId) ?? []));
  });
}

/**
 * Per reach, the gaps longer than `window` between its consecutive publish
 * instants in range and at the range's end, plus the gap before its first
 * instant whatever its length (so a reach with pieces is known to have
 * them). At each instant, the first and last piece by id stand for it. A
 * targeted piece counts for its segment in a STAY phase of the segment's
 * own journey.
 */
function gapsSql(db: CalendarDatabase, query: FindingQuery, stay: Phase[], window: number): Prisma.Sql {
  const ms = (column: string) => epochMs(db, Prisma.raw(column));
  const pieceId = byteOrder(db, Prisma.sql`t."pieceId"`);
  return Prisma.sql`
    WITH stay AS (
      SELECT ${REACH} AS reach, t."publishAt" AS at, MIN(${pieceId}) AS "firstPiece", MAX(${pieceId}) AS "lastPiece"
        FROM "ContentTarget" t JOIN "Phase" ph ON ph.id = t."phaseId" LEFT JOIN "Segment" s ON s.id = t."segmentId"
       WHERE ${countedRows(query, query, query.filter.channels)}
         AND t."phaseId" IN (${listOf(stay.map((p) => p.id))})
         AND (t."segmentId" = '' OR s."journeyId" = ph."journeyId")
       GROUP BY ${REACH}, t."publishAt"
    ),
    around AS (
      SELECT reach, at, "firstPiece", "lastPiece",
             LAG(at) OVER byInstant AS "previousAt", LAG("lastPiece") OVER byInstant AS "previousPiece", LEAD(at) OVER byInstant AS "nextAt"
        FROM stay WINDOW byInstant AS (PARTITION BY reach ORDER BY at)
    )
    SELECT reach, "previousAt" AS start, "previousPiece" AS "startPiece", at AS "end", "firstPiece" AS "endPiece" FROM around
     WHERE "previousAt" IS NULL OR ${ms('at')} - ${ms('"previousAt"')} > ${integer(window)}
    UNION ALL
    SELECT reach, at, "lastPiece", NULL, NULL FROM around
     WHERE "nextAt" IS NULL AND ${integer(query.to.getTime())} - ${ms('at')} > ${integer(window)}`;
}

/**
 * Where two gaps overlap. Each bound is a bound of one of them (or of both),
 * and so are its pieces; where both gaps share a bound, the pieces at that
 * instant are ordered by id, as everywhere: the last one before, the first
 * one after.
 */
function overlap(a: Gap, b: Gap): Gap {
  const start = Math.max(a.start.getTime(), b.start.getTime());
  const end = Math.min(a.end.getTime(), b.end.getTime());
  const before = [a, b].filter((gap) => gap.start.getTime() === start).map((gap) => gap.before);
  const after = [a, b].filter((gap) => gap.end.getTime() === end).map((gap) => gap.after);
  return { start: new Date(start), end: new Date(end), before: pick(before, 1), after: pick(after, -1) };
}

/** The last (direction 1) or first (-1) id by id order, ignoring nulls. */
function pick(ids: (string | null)[], direction: 1 | -1): string | null {
  return ids.filter((id): id is string => id !== null).reduce<string | null>((best, id) => (best === null || compareIds(id, best) * direction > 0 ? id : best), null);
}

function silence(query: FindingQuery, segment: Segment, gap: Gap, stay: Phase[]): Finding {
  const pieceIds = [gap.before, gap.after].filter((id): id is string => id !== null);
  return {
    kind: 'SILENCE', segment, channel: null, start: gap.start, end: gap.end, pieceCount: pieceIds.length, pieceIds,
    timeZone: query.timeZone, limit: query.taxonomy.workspace.silenceDays, phaseNames: stay.map((p) => p.name),
  };
}

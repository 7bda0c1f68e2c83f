import { Prisma } from '../generated/sqlite/client.js';
import { countedStatuses, type Finding, type FindingKind, type FindingQuery } from './cadence.js';
import { collisions } from './collision.js';
import { listOf, pieceConditions, targetingConditions } from './filter.js';
import { overloads } from './overload.js';
import { calendarPieceOf, pieceColumns, type CalendarPiece, type PieceRow } from './pieces.js';
import { silences } from './silence.js';
import type { CalendarDatabase } from './sql.js';
import { compareIds, type Targeting } from './targeting.js';
import { isoWeekOf, localDate, localMoment } from '../shared/time-zone.js';

/**
 * The calendar's cadence findings (see cadence.ts), in order: by start, then
 * COLLISION, OVERLOAD, SILENCE, then segment and channel key. One statement
 * per kind, each answering only what it found; the pieces of a page of
 * findings are read afterwards, in one statement, and only when asked for.
 */
export type { Finding, FindingKind } from './cadence.js';

const DAY = 86_400_000;
const KIND_ORDER: Record<FindingKind, number> = { COLLISION: 0, OVERLOAD: 1, SILENCE: 2 };

export async function findingsOf(db: CalendarDatabase, query: FindingQuery): Promise<Finding[]> {
  if (countedStatuses(query.filter).length === 0) return [];
  const found = await Promise.all([overloads(db, query), collisions(db, query), silences(db, query)]);
  return found.flat().sort(
    (a, b) =>
      a.start.getTime() - b.start.getTime() ||
      KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
      a.segment.key.localeCompare(b.segment.key) ||
      (a.channel?.key ?? '').localeCompare(b.channel?.key ?? ''),
  );
}

/**
 * The pieces of some findings, by publishAt: those of the week (OVERLOAD),
 * those at the instant (COLLISION), the last before and first after
 * (SILENCE). One statement reads the counted pieces of the findings' weeks
 * and instants on their channels, and the silences' pieces by id; each
 * finding then takes those for its segment and channel.
 */
export async function findingPieces(db: CalendarDatabase, query: FindingQuery, targeting: Targeting, findings: Finding[]): Promise<Map<Finding, CalendarPiece[]>> {
  const byId = new Map<string, CalendarPiece>();
  const counted = findings.filter((f) => f.kind !== 'SILENCE');
  const ids = findings.flatMap((f) => f.pieceIds);
  if (counted.length > 0 || ids.length > 0) {
    const rows = await db.query<PieceRow>(Prisma.sql`
      SELECT ${pieceColumns(db)} FROM "ContentPiece" p
       WHERE p."workspaceId" = ${query.workspaceId}
         AND (p.id IN (${listOf(ids)}) OR (${countedPieces(query, counted)}))`);
    for (const row of rows) byId.set(row.id, calendarPieceOf(row));
  }
  const pieces = [...byId.values()];
  return new Map(
    findings.map((finding) => {
      if (finding.kind === 'SILENCE') return [finding, finding.pieceIds.map((id) => byId.get(id)).filter((p): p is CalendarPiece => p !== undefined)];
      const { start, end, channel, segment } = finding;
      const own = pieces.filter((piece) => {
        const at = piece.publishAt?.getTime() ?? NaN;
        const when = finding.kind === 'COLLISION' ? at === start.getTime() : at >= start.getTime() && at < end.getTime();
        return when && countedStatuses(query.filter).includes(piece.status) && piece.channelIds.includes(channel?.id ?? '') && targeting.segmentsOf(piece).includes(segment);
      });
      return [finding, byPublishAt(own)];
    }),
  );
}

/** Pieces the filters let through, in a counted status, on the findings' channels in their weeks or at their instants. */
function countedPieces(query: FindingQuery, findings: Finding[]): Prisma.Sql {
  if (findings.length === 0) return Prisma.sql`1 = 0`;
  const channels = [...new Set(findings.map((f) => f.channel?.id ?? ''))];
  const windows = mergedWindows(findings.map((f) => ({ start: f.start.getTime(), end: Math.max(f.end.getTime(), f.start.getTime() + 1) })));
  const when = windows.map((w) => Prisma.sql`(p."publishAt" >= ${new Date(w.start)} AND p."publishAt" < ${new Date(w.end)})`);
  return Prisma.sql`p.status IN (${listOf(countedStatuses(query.filter))}) AND (${Prisma.join(when, ' OR ')})
    AND EXISTS (SELECT 1 FROM "ContentChannel" l WHERE l."pieceId" = p.id AND l."channelId" IN (${listOf(channels)}))
    ${pieceConditions({ ...query.filter, statuses: null }, 'p')} ${targetingConditions(query.filter, Prisma.sql`p.id`)}`;
}

/** Overlapping or touching windows joined, in order. */
function mergedWindows(windows: { start: number; end: number }[]): { start: number; end: number }[] {
  const merged: { start: number; end: number }[] = [];
  for (const w of [...windows].sort((a, b) => a.start - b.start)) {
    const last = merged.at(-1);
    if (last && w.start <= last.end) last.end = Math.max(last.end, w.end);
    else merged.push({ ...w });
  }
  return merged;
}

/** The finding in a sentence, for people; a COLLISION names its pieces, so it needs them. */
export function messageOf(f: Finding, pieces: CalendarPiece[]): string {
  const days = Math.floor((f.end.getTime() - f.start.getTime()) / DAY);
  switch (f.kind) {
    case 'OVERLOAD':
      return `Segment "${f.segment.name}" gets ${f.pieceCount} pieces on ${f.channel?.name} in week ${isoWeekOf(f.start, f.timeZone).label} (from ${localDate(f.start, f.timeZone)}), more than the channel's maximum of ${f.limit} per week.`;
    case 'COLLISION': {
      const titles = pieces.map((p) => `"${p.title}"`);
      return `Segment "${f.segment.name}" gets ${f.pieceCount} pieces on ${f.channel?.name} at the same moment, ${localMoment(f.start, f.timeZone)} (${f.timeZone}): ${titles.slice(0, -1).join(', ')} and ${titles.at(-1)}.`;
    }
    case 'SILENCE':
      return `Segment "${f.segment.name}" gets nothing in its STAY phases (${f.phaseNames.join(', ')}) from ${localDate(f.start, f.timeZone)} to ${localDate(f.end, f.timeZone)}: ${days} days, longer than the silence window of ${f.limit} days.`;
  }
}

function byPublishAt(pieces: CalendarPiece[]): CalendarPiece[] {
  return [...pieces].sort((a, b) => (a.publishAt as Date).getTime() - (b.publishAt as Date).getTime() || compareIds(a.id, b.id));
}

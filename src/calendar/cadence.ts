import type { Channel, Segment } from '../generated/sqlite/client.js';
import { Prisma } from '../generated/sqlite/client.js';
import type { ContentStatus } from '../generated/sqlite/enums.js';
import { listOf, targetingConditions, type CalendarFilter } from './filter.js';
import type { Taxonomy } from './taxonomy.js';

/**
 * Cadence findings (seed 000: watch the order, frequency and timing of
 * touchpoints): what they are, and the rows they are counted from. They
 * judge only pieces that are SCHEDULED or PUBLISHED (ideas and drafts may
 * never go out; archived ones are withdrawn), among those the calendar's
 * filters let through, and a generic piece counts for every segment of its
 * phases' journeys.
 *
 * They are counted in SQL over the ContentTarget read model (one row per
 * piece × phase × channel × segment, '' for a generic piece, carrying status
 * and publishAt), whose calendar index holds a range of publish instants in
 * order: a segment's count is its targeted pieces' plus its journey's
 * generic pieces', so pieces are grouped per "reach" (a segment id, or a
 * journey id for generic pieces) and never multiplied by the segments of a
 * journey.
 */
export const FINDING_STATUSES: readonly ContentStatus[] = ['SCHEDULED', 'PUBLISHED'];

export type FindingKind = 'OVERLOAD' | 'SILENCE' | 'COLLISION';

export interface Finding {
  kind: FindingKind;
  segment: Segment;
  /** Null for SILENCE: silence is across every channel the filters allow. */
  channel: Channel | null;
  start: Date;
  end: Date;
  /** How many pieces it involves: those of the week (OVERLOAD) or the instant (COLLISION). */
  pieceCount: number;
  /** SILENCE: the last piece before and the first after, by id (none at the range's edges). */
  pieceIds: string[];
  /** The calendar's time zone, for the local dates and the sentence. */
  timeZone: string;
  /** The limit crossed: maxPerWeek (OVERLOAD) or the silence window in days (SILENCE). */
  limit: number | null;
  /** The STAY phases' names (SILENCE). */
  phaseNames: string[];
}

export interface FindingQuery {
  workspaceId: string;
  from: Date;
  to: Date;
  timeZone: string;
  taxonomy: Taxonomy;
  filter: CalendarFilter;
}

/** The statuses findings judge, within the status filter; empty: no findings at all. */
export function countedStatuses(filter: CalendarFilter): ContentStatus[] {
  return FINDING_STATUSES.filter((status) => !filter.statuses || filter.statuses.includes(status));
}

/**
 * The conditions on ContentTarget rows `t` that count: in the workspace, a
 * counted status, published in [from, to), on one of `channels` (null: any),
 * of a piece the filters let through. A row's own channel being allowed
 * already satisfies the channel filter, so it is not looked up again.
 */
export function countedRows(query: FindingQuery, window: { from: Date; to: Date }, channels: Set<string> | null): Prisma.Sql {
  const { workspaceId, filter } = query;
  const onChannels = channels ? Prisma.sql`AND t."channelId" IN (${listOf([...channels])})` : Prisma.empty;
  const formats = filter.formats
    ? Prisma.sql`AND EXISTS (SELECT 1 FROM "ContentPiece" f WHERE f.id = t."pieceId" AND f.format IN (${listOf(filter.formats)}))`
    : Prisma.empty;
  return Prisma.sql`t."workspaceId" = ${workspaceId} AND t.status IN (${listOf(countedStatuses(filter))})
    AND t."publishAt" >= ${window.from} AND t."publishAt" < ${window.to}
    ${onChannels} ${formats} ${targetingConditions({ ...filter, channels: null }, Prisma.sql`t."pieceId"`)}`;
}

/** A row's reach: its segment, or for a generic piece (segment '') its phase's journey; needs Phase `ph` joined on the row. */
export const REACH = Prisma.sql`CASE WHEN t."segmentId" = '' THEN ph."journeyId" ELSE t."segmentId" END`;

/** Pieces of one reach (a segment, or a journey for generic pieces) on a channel in one slot (a week, an instant). */
export interface ReachCount {
  reach: string;
  channelId: string;
  slot: number;
  pieces: number;
}

export interface SegmentCount {
  segment: Segment;
  channelId: string;
  slot: number;
  pieces: number;
}

/**
 * The pieces per segment (those the filter allows) in each channel and slot:
 * its own plus its journey's generic ones. Only segments with pieces there.
 */
export function perSegment(query: FindingQuery, rows: ReachCount[]): SegmentCount[] {
  const allowed = query.taxonomy.segments.filter((s) => !query.filter.segments || query.filter.segments.has(s.id));
  const byId = new Map(allowed.map((s) => [s.id, s]));
  const byJourney = new Map<string, Segment[]>();
  for (const segment of allowed) byJourney.set(segment.journeyId, [...(byJourney.get(segment.journeyId) ?? []), segment]);
  const cells = new Map<string, { channelId: string; slot: number; pieces: Map<string, number> }>();
  for (const row of rows) {
    const key = `${row.channelId} ${row.slot}`;
    const cell = cells.get(key) ?? { channelId: row.channelId, slot: row.slot, pieces: new Map<string, number>() };
    cell.pieces.set(row.reach, (cell.pieces.get(row.reach) ?? 0) + row.pieces);
    cells.set(key, cell);
  }
  const counts: SegmentCount[] = [];
  for (const { channelId, slot, pieces } of cells.values()) {
    const reached = new Set([...pieces.keys()].flatMap((reach) => byJourney.get(reach) ?? (byId.has(reach) ? [byId.get(reach) as Segment] : [])));
    for (const segment of reached) counts.push({ segment, channelId, slot, pieces: (pieces.get(segment.id) ?? 0) + (pieces.get(segment.journeyId) ?? 0) });
  }
  return counts;
}

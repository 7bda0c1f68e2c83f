import { rawContentPiece } from '../db/raw.js';
import { Prisma } from '../generated/sqlite/client.js';
import type { ContentPiece } from '../generated/sqlite/client.js';
import type { CalendarDatabase } from './sql.js';

/**
 * Pieces as the calendar shows them: the row with the ids of its phases,
 * channels and segments, aggregated from the link tables in the same
 * statement (each subquery one primary-key range), so showing a page of
 * pieces with their targeting costs no statement per piece.
 */

/** A piece with the ids it targets; segmentIds empty = generic. */
export interface CalendarPiece extends ContentPiece {
  phaseIds: string[];
  channelIds: string[];
  segmentIds: string[];
}

export type PieceRow = ContentPiece & { phaseIds: string | null; channelIds: string | null; segmentIds: string | null };

/** The columns of a ContentPiece row `p` with its targeting ids, for a SELECT list. */
export function pieceColumns(db: CalendarDatabase): Prisma.Sql {
  // The same aggregate under two names; ids are cuids, so a comma separates them safely.
  const agg = Prisma.raw(db.provider === 'postgresql' ? 'string_agg' : 'group_concat');
  return Prisma.sql`p.*,
    (SELECT ${agg}(l."phaseId", ',') FROM "ContentPhase" l WHERE l."pieceId" = p.id) AS "phaseIds",
    (SELECT ${agg}(l."channelId", ',') FROM "ContentChannel" l WHERE l."pieceId" = p.id) AS "channelIds",
    (SELECT ${agg}(l."segmentId", ',') FROM "ContentSegment" l WHERE l."pieceId" = p.id) AS "segmentIds"`;
}

export function calendarPieceOf({ phaseIds, channelIds, segmentIds, ...piece }: PieceRow): CalendarPiece {
  return { ...rawContentPiece(piece as ContentPiece), phaseIds: ids(phaseIds), channelIds: ids(channelIds), segmentIds: ids(segmentIds) };
}

function ids(list: string | null): string[] {
  return list ? list.split(',').sort() : [];
}

import type { Channel } from '../generated/sqlite/client.js';
import { Prisma } from '../generated/sqlite/client.js';
import { rawDate } from '../db/raw.js';
import { countedRows, perSegment, REACH, type Finding, type FindingQuery } from './cadence.js';
import type { CalendarDatabase, Count } from './sql.js';

/**
 * COLLISION: two or more pieces for the same segment and channel are
 * published at the same instant within the range. One statement counts, at
 * the instants two pieces share a channel at all, the pieces per reach; a
 * segment's count is its own plus its journey's generic pieces'.
 */
export async function collisions(db: CalendarDatabase, query: FindingQuery): Promise<Finding[]> {
  const counted = countedRows(query, query, query.filter.channels);
  const rows = await db.query<{ reach: string; channelId: string; at: unknown; pieces: Count }>(Prisma.sql`
    WITH shared AS (
      SELECT t."channelId", t."publishAt" FROM "ContentTarget" t WHERE ${counted}
       GROUP BY t."channelId", t."publishAt" HAVING COUNT(DISTINCT t."pieceId") > 1
    )
    SELECT ${REACH} AS reach, t."channelId", t."publishAt" AS at, COUNT(DISTINCT t."pieceId") AS pieces
      FROM "ContentTarget" t JOIN "Phase" ph ON ph.id = t."phaseId"
     WHERE ${counted} AND (t."channelId", t."publishAt") IN (SELECT "channelId", "publishAt" FROM shared)
     GROUP BY ${REACH}, t."channelId", t."publishAt"`);
  const channels = new Map(query.taxonomy.channels.map((c) => [c.id, c]));
  const counts = perSegment(query, rows.map((row) => ({ reach: row.reach, channelId: row.channelId, slot: (rawDate(row.at) as Date).getTime(), pieces: Number(row.pieces) })));
  return counts.flatMap(({ segment, channelId, slot, pieces }) => {
    if (pieces < 2) return [];
    const at = new Date(slot);
    return [{ kind: 'COLLISION', segment, channel: channels.get(channelId) as Channel, start: at, end: at, pieceCount: pieces, pieceIds: [], timeZone: query.timeZone, limit: null, phaseNames: [] }];
  });
}

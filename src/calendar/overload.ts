import type { Channel } from '../generated/sqlite/client.js';
import { Prisma } from '../generated/sqlite/client.js';
import { countedRows, perSegment, REACH, type Finding, type FindingQuery } from './cadence.js';
import { epochMs, periodIndex, type CalendarDatabase, type Count } from './sql.js';
import { isoWeekOf, periodsOf, type Period } from '../shared/time-zone.js';

/**
 * OVERLOAD: a segment gets more pieces on a channel in one ISO week than the
 * channel's maxPerWeek. Weeks count whole, even where the range cuts one.
 * One statement counts the pieces per reach, channel with a maximum and
 * week; a segment's count is its own plus its journey's generic pieces'.
 */
export async function overloads(db: CalendarDatabase, query: FindingQuery): Promise<Finding[]> {
  const { taxonomy, timeZone } = query;
  const limited = new Map(
    taxonomy.channels.filter((c) => c.maxPerWeek !== null && (!query.filter.channels || query.filter.channels.has(c.id))).map((c) => [c.id, c]),
  );
  if (limited.size === 0) return [];
  const weeks = periodsOf(isoWeekOf(query.from, timeZone).start, isoWeekOf(new Date(query.to.getTime() - 1), timeZone).end, 'WEEK', timeZone);
  const window = { from: (weeks[0] as Period).start, to: (weeks.at(-1) as Period).end };
  const rows = await db.query<{ reach: string; channelId: string; week: Count; pieces: Count }>(Prisma.sql`
    SELECT reach, "channelId", week, COUNT(DISTINCT "pieceId") AS pieces FROM (
      SELECT ${REACH} AS reach, t."channelId", ${periodIndex(epochMs(db, Prisma.sql`t."publishAt"`), weeks)} AS week, t."pieceId"
        FROM "ContentTarget" t JOIN "Phase" ph ON ph.id = t."phaseId"
       WHERE ${countedRows(query, window, new Set(limited.keys()))}
    ) AS counted GROUP BY reach, "channelId", week`);
  const counts = perSegment(query, rows.map((row) => ({ reach: row.reach, channelId: row.channelId, slot: Number(row.week), pieces: Number(row.pieces) })));
  return counts.flatMap(({ segment, channelId, slot, pieces }) => {
    const channel = limited.get(channelId) as Channel;
    if (pieces <= (channel.maxPerWeek as number)) return [];
    const { start, end } = weeks[slot] as Period;
    return [{ kind: 'OVERLOAD', segment, channel, start, end, pieceCount: pieces, pieceIds: [], timeZone, limit: channel.maxPerWeek, phaseNames: [] }];
  });
}

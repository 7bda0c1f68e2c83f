import { Prisma } from '../generated/sqlite/client.js';
import { EVENT_COLUMNS, EVENTS, type CalendarEventKind } from './entries.js';
import { pieceConditions, targetingConditions, type CalendarFilter } from './filter.js';
import { epochMs, periodIndex, type CalendarDatabase, type Count } from './sql.js';
import type { Period } from '../shared/time-zone.js';

/**
 * How many entries each bucket holds, per event, in one GROUP BY over the
 * three date columns' index ranges: no entry is read into memory. The
 * bucket of an instant is computed in SQL from the buckets' bounds (see
 * periodIndex), so local days, weeks and months stay right across
 * daylight-saving changes.
 */
export interface EntryCounts {
  total: number;
  publish: number;
  expire: number;
  review: number;
}

export interface CountQuery {
  workspaceId: string;
  from: Date;
  to: Date;
  filter: CalendarFilter;
  /** Consecutive buckets covering [from, to). */
  buckets: Period[];
}

const FIELD: Record<CalendarEventKind, 'publish' | 'expire' | 'review'> = { PUBLISH: 'publish', EXPIRE: 'expire', REVIEW: 'review' };

/** Counts per bucket, in the buckets' order. */
export async function countEntries(db: CalendarDatabase, query: CountQuery): Promise<EntryCounts[]> {
  const { workspaceId, from, to, filter, buckets } = query;
  const arms = EVENTS.map((event, index) => {
    const column = Prisma.raw(`p."${EVENT_COLUMNS[event]}"`);
    return Prisma.sql`
      SELECT ${periodIndex(epochMs(db, column), buckets)} AS bucket, ${Prisma.raw(String(index))} AS event FROM "ContentPiece" p
       WHERE p."workspaceId" = ${workspaceId} AND ${column} >= ${from} AND ${column} < ${to}
         ${pieceConditions(filter, 'p')} ${targetingConditions(filter, Prisma.sql`p.id`)}`;
  });
  const rows = await db.query<{ bucket: Count; event: Count; entries: Count }>(Prisma.sql`
    SELECT bucket, event, COUNT(*) AS entries FROM (${Prisma.join(arms, ' UNION ALL ')}) AS dated GROUP BY bucket, event`);
  const counts = buckets.map(() => ({ total: 0, publish: 0, expire: 0, review: 0 }));
  for (const row of rows) {
    const bucket = counts[Number(row.bucket)];
    const event = EVENTS[Number(row.event)];
    if (!bucket || !event) throw new Error(`An entry fell outside the calendar's buckets (bucket ${row.bucket}, event ${row.event})`);
    bucket[FIELD[event]] += Number(row.entries);
    bucket.total += Number(row.entries);
  }
  return counts;
}

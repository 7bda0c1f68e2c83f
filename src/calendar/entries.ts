import { Prisma } from '../generated/sqlite/client.js';
import { pieceConditions, targetingConditions, type CalendarFilter } from './filter.js';
import { calendarPieceOf, pieceColumns, type CalendarPiece, type PieceRow } from './pieces.js';
import { byteOrder, type CalendarDatabase, type Count } from './sql.js';

/**
 * The calendar's entries, read in order (by instant, then publish before
 * expire before review, then piece id) a page at a time: one statement per
 * page, each event's arm an index range of its date column that stops after
 * the page, whatever the range holds. Without a limit the same statement
 * reads every entry of the range (the iCalendar feed).
 */
export type CalendarEventKind = 'PUBLISH' | 'EXPIRE' | 'REVIEW';

/** In entry order; an entry's event is its index here. */
export const EVENTS: readonly CalendarEventKind[] = ['PUBLISH', 'EXPIRE', 'REVIEW'];
/** The date column each event reads. */
export const EVENT_COLUMNS = { PUBLISH: 'publishAt', EXPIRE: 'expiresAt', REVIEW: 'reviewAt' } as const;

/** One dated event of a piece. */
export interface EntryRow {
  piece: CalendarPiece;
  event: CalendarEventKind;
  at: Date;
}

/** Where an entry sits in the order; a page starts beyond it. */
export interface EntryPosition {
  at: Date;
  event: CalendarEventKind;
  pieceId: string;
}

export interface EntryQuery {
  workspaceId: string;
  from: Date;
  to: Date;
  filter: CalendarFilter;
  /** Start beyond this entry (after it, or before it when backward); from the range's edge when null. */
  beyond?: EntryPosition | null;
  /** From the end of the range, in reverse. */
  backward?: boolean;
  /** How many entries at most; all when null. */
  limit?: number | null;
}

/** The entries asked for, in entry order (also when read backward). */
export async function loadEntries(db: CalendarDatabase, query: EntryQuery): Promise<EntryRow[]> {
  const rows = await db.query<PieceRow & { event: Count }>(entriesSql(db, query));
  const entries = rows.map(({ event, ...row }) => {
    const piece = calendarPieceOf(row);
    const kind = EVENTS[Number(event)] as CalendarEventKind;
    return { piece, event: kind, at: piece[EVENT_COLUMNS[kind]] as Date };
  });
  return query.backward ? entries.reverse() : entries;
}

function entriesSql(db: CalendarDatabase, query: EntryQuery): Prisma.Sql {
  const { workspaceId, from, to, filter, beyond = null, backward = false, limit = null } = query;
  const direction = Prisma.raw(backward ? 'DESC' : 'ASC');
  const id = byteOrder(db, Prisma.sql`p.id`);
  const take = limit === null ? Prisma.empty : Prisma.sql`LIMIT ${limit}`;
  const arms = EVENTS.map((event, index) => {
    const column = Prisma.raw(`p."${EVENT_COLUMNS[event]}"`);
    // Each arm sorted and cut on its own, so each reads only as far as the page needs.
    return Prisma.sql`SELECT * FROM (
      SELECT p.id, ${Prisma.raw(String(index))} AS event, ${column} AS at FROM "ContentPiece" p
       WHERE p."workspaceId" = ${workspaceId} AND ${column} >= ${from} AND ${column} < ${to}
         ${beyond ? beyondSql(column, id, index, beyond, backward) : Prisma.empty}
         ${pieceConditions(filter, 'p')} ${targetingConditions(filter, Prisma.sql`p.id`)}
       ORDER BY ${column} ${direction}, ${id} ${direction} ${take}
    ) AS ${Prisma.raw(`arm${index}`)}`;
  });
  return Prisma.sql`
    WITH page AS (
      SELECT * FROM (${Prisma.join(arms, ' UNION ALL ')}) AS entries
       ORDER BY at ${direction}, event ${direction}, ${byteOrder(db, Prisma.sql`id`)} ${direction} ${take}
    )
    SELECT ${pieceColumns(db)}, page.event
      FROM page JOIN "ContentPiece" p ON p.id = page.id
     ORDER BY page.at ${direction}, page.event ${direction}, ${byteOrder(db, Prisma.sql`page.id`)} ${direction}`;
}

/**
 * The entries of one event's arm strictly beyond a position in entry order
 * (instant, event, id), with the instant bound written out so the date
 * column's index range starts there.
 */
function beyondSql(column: Prisma.Sql, id: Prisma.Sql, event: number, position: EntryPosition, backward: boolean): Prisma.Sql {
  const at = position.at;
  const cursorEvent = EVENTS.indexOf(position.event);
  const [past, pastOrAt] = backward ? [Prisma.raw('<'), Prisma.raw('<=')] : [Prisma.raw('>'), Prisma.raw('>=')];
  // A later event at the same instant comes after; an earlier one before.
  const eventPast = backward ? event < cursorEvent : event > cursorEvent;
  if (event === cursorEvent) return Prisma.sql`AND ${column} ${pastOrAt} ${at} AND (${column} ${past} ${at} OR ${id} ${past} ${position.pieceId})`;
  return eventPast ? Prisma.sql`AND ${column} ${pastOrAt} ${at}` : Prisma.sql`AND ${column} ${past} ${at}`;
}

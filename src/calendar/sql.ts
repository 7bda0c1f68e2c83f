import type { Database } from '../db/client.js';
import type { Provider } from '../db/config.js';
import { Prisma } from '../generated/sqlite/client.js';
import type { Period } from '../shared/time-zone.js';

/**
 * What the calendar's statements run on: one function that sends a raw
 * statement and answers its rows as the driver gives them (database.query,
 * or anything with its shape), and the SQL dialect it speaks. Every
 * statement of the calendar goes through it; none through Prisma's models.
 */
export interface CalendarDatabase {
  query<Row>(sql: Prisma.Sql): Promise<Row[]>;
  provider: Provider;
}

/**
 * The server's calendar: its statements count and judge up to a year of
 * pieces, so they run where heavy reads run (Database.analyze: a worker
 * thread on SQLite, the analysis pool on PostgreSQL), never holding up the
 * requests a website sends meanwhile.
 */
export function analysisOf(database: Pick<Database, 'provider' | 'analyze'>): CalendarDatabase {
  return { provider: database.provider, query: (sql) => database.analyze(sql) };
}

/** Rows from either driver: counts may be bigints (SQLite) or strings (PostgreSQL). */
export type Count = number | bigint | string;

/** An instant column as epoch milliseconds: SQLite stores them so; PostgreSQL keeps timestamps. */
export function epochMs(db: CalendarDatabase, column: Prisma.Sql): Prisma.Sql {
  return db.provider === 'postgresql' ? Prisma.sql`CAST(EXTRACT(EPOCH FROM ${column}) * 1000 AS BIGINT)` : column;
}

/** A whole number as a parameter both databases do integer arithmetic with. */
export function integer(value: number): Prisma.Sql {
  return Prisma.sql`CAST(${value} AS BIGINT)`;
}

/**
 * Ids in byte order, as JavaScript compares them (compareIds): PostgreSQL
 * would otherwise order text by the database's locale.
 */
export function byteOrder(db: CalendarDatabase, column: Prisma.Sql): Prisma.Sql {
  return db.provider === 'postgresql' ? Prisma.sql`${column} COLLATE "C"` : column;
}

/**
 * The index in `periods` of the period holding an instant (epoch
 * milliseconds), for GROUP BY. Local days, weeks and months are not all
 * equally long across a daylight-saving change, so no single division
 * works; but consecutive periods of the same length do divide evenly, and a
 * year has only a few runs of them (months: one run each). The periods come
 * from Luxon (time-zone.ts), so the database needs no time-zone rules.
 * Instants outside the periods get indexes outside 0..length-1.
 */
export function periodIndex(ms: Prisma.Sql, periods: Period[]): Prisma.Sql {
  const runs = runsOf(periods);
  const branch = (run: Run) => Prisma.sql`${integer(run.first)} + (${ms} - ${integer(run.start)}) / ${integer(run.length)}`;
  const last = runs.at(-1) as Run;
  if (runs.length === 1) return branch(last);
  const whens = runs.slice(1).map((next, i) => Prisma.sql`WHEN ${ms} < ${integer(next.start)} THEN ${branch(runs[i] as Run)}`);
  return Prisma.sql`(CASE ${Prisma.join(whens, ' ')} ELSE ${branch(last)} END)`;
}

interface Run {
  /** Index of its first period. */
  first: number;
  /** Start of its first period, epoch milliseconds. */
  start: number;
  /** The length of each of its periods, milliseconds. */
  length: number;
}

/** Consecutive periods of equal length, in order. */
export function runsOf(periods: Period[]): Run[] {
  const runs: Run[] = [];
  periods.forEach((period, index) => {
    const length = period.end.getTime() - period.start.getTime();
    if (runs.at(-1)?.length !== length) runs.push({ first: index, start: period.start.getTime(), length });
  });
  return runs;
}

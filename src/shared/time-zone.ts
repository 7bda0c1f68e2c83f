import { DateTime, IANAZone } from 'luxon';

/**
 * Calendar arithmetic in a named time zone, through Luxon (which reads the
 * zone rules from the platform's Intl): local days, ISO weeks and months are
 * walked in local time, so a day across a daylight-saving change lasts 23 or
 * 25 hours. Nothing here adds offsets by hand.
 */
export type Grouping = 'DAY' | 'WEEK' | 'MONTH';

export interface Period {
  /** First instant of the period. */
  start: Date;
  /** First instant after it. */
  end: Date;
  /** Local date of `start`, YYYY-MM-DD. */
  startDate: string;
  /** Local date of `end` (exclusive), YYYY-MM-DD. */
  endDate: string;
  /** 2026-03-29, 2026-W13 or 2026-03. */
  label: string;
}

const UNIT = { DAY: 'day', WEEK: 'week', MONTH: 'month' } as const;
const ONE = { day: { days: 1 }, week: { weeks: 1 }, month: { months: 1 } } as const;

export function isTimeZone(name: string): boolean {
  return IANAZone.isValidZone(name);
}

/** The periods of `grouping` that [from, to) touches, in order, none skipped. */
export function periodsOf(from: Date, to: Date, grouping: Grouping, zone: string): Period[] {
  const unit = UNIT[grouping];
  const periods: Period[] = [];
  let start = startOf(from, unit, zone);
  while (start.toMillis() < to.getTime()) {
    // Start of the next unit, not start + 24 h: a local day need not be 24 hours long.
    const end = start.plus(ONE[unit]).startOf(unit);
    periods.push(period(start, end, grouping));
    start = end;
  }
  return periods;
}

/** The ISO week (Monday 00:00 local) that holds `at`. */
export function isoWeekOf(at: Date, zone: string): Period {
  const start = startOf(at, 'week', zone);
  return period(start, start.plus({ weeks: 1 }).startOf('week'), 'WEEK');
}

/** The local date and time of `at`, e.g. 2026-03-29T09:00:00. */
export function localDateTime(at: Date, zone: string): string {
  return DateTime.fromJSDate(at, { zone }).toFormat("yyyy-MM-dd'T'HH:mm:ss");
}

/** Local date and time for sentences, e.g. "2026-03-29 09:00". */
export function localMoment(at: Date, zone: string): string {
  return DateTime.fromJSDate(at, { zone }).toFormat('yyyy-MM-dd HH:mm');
}

function startOf(at: Date, unit: 'day' | 'week' | 'month', zone: string): DateTime {
  // Luxon's 'week' is the ISO week, starting on Monday.
  return DateTime.fromJSDate(at, { zone }).startOf(unit);
}

function period(start: DateTime, end: DateTime, grouping: Grouping): Period {
  const label = grouping === 'DAY' ? start.toISODate() : grouping === 'WEEK' ? start.toFormat("kkkk-'W'WW") : start.toFormat('yyyy-MM');
  return { start: start.toJSDate(), end: end.toJSDate(), startDate: start.toISODate() as string, endDate: end.toISODate() as string, label: label as string };
}

/** The local date of `at`, YYYY-MM-DD. */
export function localDate(at: Date, zone: string): string {
  return DateTime.fromJSDate(at, { zone }).toISODate() as string;
}

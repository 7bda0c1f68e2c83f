import { openCalendar } from '../../src/calendar/calendar.js';
import { isoWeekOf } from '../../src/shared/time-zone.js';
import type { Database } from '../../src/db/client.js';
import { DateTime } from 'luxon';
import { body, type Scenario } from './scenarios.js';
import { BENCH_WORKSPACE_ID } from './synthetic.js';

/**
 * The benchmark workspace's content calendar in Europe/Amsterdam, three ways:
 *
 * - calendar-overview: a strategist's year by ISO week: the counts per week
 *   and the first 100 findings, no entries;
 * - calendar-month: a front end's next month by day: the day counts, the
 *   first 100 entries and the month's first 100 findings;
 * - calendar: the old shape (deprecated), every entry of the year in its
 *   week, and the same year for one root segment of each journey.
 *
 * Beside each, the same answer's statements run directly on the database
 * (through the calendar's own code, at one connection so the p50s compare).
 */
const DAY = 86_400_000;
const TIME_ZONE = 'Europe/Amsterdam';

export const OVERVIEW = `query ($from: DateTime!, $to: DateTime!, $timeZone: String!) {
  contentCalendar(from: $from, to: $to, timeZone: $timeZone, groupBy: WEEK) {
    counts { total publish expire review }
    buckets { label start end counts { total publish expire review } }
    findings(first: 100) { totalCount edges { node { kind segment { key } channel { key } startDate endDate message } } }
  }
}`;

const MONTH = `query ($from: DateTime!, $to: DateTime!, $timeZone: String!) {
  contentCalendar(from: $from, to: $to, timeZone: $timeZone, groupBy: DAY) {
    buckets { startDate counts { total publish expire review } }
    entries(first: 100) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { cursor node { event at localDateTime piece { id title status } channels { key } segments { key } phases { key } } }
    }
    findings(first: 100) { totalCount edges { node { kind segment { key } channel { key } startDate endDate message } } }
  }
}`;

const OLD_OVERVIEW = `query ($from: DateTime!, $to: DateTime!, $timeZone: String!) {
  contentCalendar(from: $from, to: $to, timeZone: $timeZone, groupBy: WEEK) {
    entryCount
    buckets { label start end entryCount }
    findings(first: 100) { totalCount edges { node { kind segment { key } channel { key } startDate endDate message } } }
  }
}`;

const OLD_SEGMENT = `query ($from: DateTime!, $to: DateTime!, $timeZone: String!, $segment: String!) {
  contentCalendar(from: $from, to: $to, timeZone: $timeZone, groupBy: WEEK, segments: [$segment], statuses: [SCHEDULED, PUBLISHED]) {
    buckets { label entryCount entries { event at localDateTime piece { id title status } channels { key } } }
    findings(first: 100, kinds: [OVERLOAD, SILENCE]) { totalCount edges { node { kind channel { key } startDate message } } }
  }
}`;

/** The year from the start of this ISO week: fixed for a run, so every request asks the same. */
export function year() {
  const from = isoWeekOf(new Date(), TIME_ZONE).start;
  return { from, to: new Date(from.getTime() + 364 * DAY) };
}

/** Next month, local midnight to local midnight. */
function month() {
  const start = DateTime.now().setZone(TIME_ZONE).startOf('month').plus({ months: 1 });
  return { from: start.toJSDate(), to: start.plus({ months: 1 }).toJSDate() };
}

export const variables = (range: { from: Date; to: Date }) => ({ from: range.from.toISOString(), to: range.to.toISOString(), timeZone: TIME_ZONE });
const open = (database: Database, range: { from: Date; to: Date }, groupBy: 'DAY' | 'WEEK') =>
  openCalendar(database, BENCH_WORKSPACE_ID, { ...range, timeZone: TIME_ZONE, groupBy });

export const calendarOverviewScenario: Scenario = {
  name: 'calendar-overview',
  connections: 1,
  bodies: () => [body(OVERVIEW, variables(year()))],
  bareSql: async (database) => {
    const calendar = await open(database, year(), 'WEEK');
    return Promise.all([calendar.counts(), calendar.findings()]);
  },
};

export const calendarMonthScenario: Scenario = {
  name: 'calendar-month',
  connections: 1,
  bodies: () => [body(MONTH, variables(month()))],
  bareSql: async (database) => {
    const calendar = await open(database, month(), 'DAY');
    const findings = await calendar.findings();
    return Promise.all([calendar.counts(), calendar.page({ beyond: null, backward: false, limit: 100 }), calendar.findingPieces(findings.slice(0, 100))]);
  },
};

export const calendarScenario: Scenario = {
  name: 'calendar',
  connections: 1,
  bodies: (shape) => {
    const range = variables(year());
    return [body(OLD_OVERVIEW, range), ...shape.journeys.map((j) => body(OLD_SEGMENT, { ...range, segment: j.segments[0]?.key }))];
  },
  bareSql: async (database) => {
    const calendar = await open(database, year(), 'WEEK');
    return Promise.all([calendar.counts(), calendar.allEntries(), calendar.findings()]);
  },
};

import { loadPieces, loadTaxonomy } from '../../src/calendar/load.js';
import { isoWeekOf } from '../../src/calendar/time-zone.js';
import { body, type Scenario } from './scenarios.js';
import { BENCH_WORKSPACE_ID } from './synthetic.js';

/**
 * A year of the benchmark workspace's content calendar, by ISO week in
 * Europe/Amsterdam: the overview a calendar front end draws (every week's
 * count and every finding), and the same year for one root segment of each
 * journey with its entries. Beside it, the calendar's two bare statements
 * (src/calendar/load.ts) on the same database, at one connection so the
 * p50s compare.
 */
const DAY = 86_400_000;
const TIME_ZONE = 'Europe/Amsterdam';

const OVERVIEW = `query ($from: DateTime!, $to: DateTime!, $timeZone: String!) {
  contentCalendar(from: $from, to: $to, timeZone: $timeZone, groupBy: WEEK) {
    entryCount
    buckets { label start end entryCount }
    findings(first: 100) { totalCount edges { node { kind segment { key } channel { key } startDate endDate message } } }
  }
}`;

const SEGMENT = `query ($from: DateTime!, $to: DateTime!, $timeZone: String!, $segment: String!) {
  contentCalendar(from: $from, to: $to, timeZone: $timeZone, groupBy: WEEK, segments: [$segment], statuses: [SCHEDULED, PUBLISHED]) {
    buckets { label entryCount entries { event at localDateTime piece { id title status } channels { key } } }
    findings(first: 100, kinds: [OVERLOAD, SILENCE]) { totalCount edges { node { kind channel { key } startDate message } } }
  }
}`;

/** The year from the start of this ISO week: fixed for a run, so every request asks the same. */
function year() {
  const from = isoWeekOf(new Date(), TIME_ZONE).start;
  return { from, to: new Date(from.getTime() + 364 * DAY) };
}

export const calendarScenario: Scenario = {
  name: 'calendar',
  connections: 1,
  bodies: (shape) => {
    const { from, to } = year();
    const range = { from: from.toISOString(), to: to.toISOString(), timeZone: TIME_ZONE };
    return [body(OVERVIEW, range), ...shape.journeys.map((j) => body(SEGMENT, { ...range, segment: j.segments[0]?.key }))];
  },
  bareSql: async ({ reader: db }) => {
    const { from, to } = year();
    const provider = process.env.DATABASE_URL?.startsWith('postgres') ? 'postgresql' : 'sqlite';
    await loadTaxonomy(db, BENCH_WORKSPACE_ID);
    return loadPieces(db, provider, { workspaceId: BENCH_WORKSPACE_ID, publishFrom: from, publishTo: to, from, to });
  },
};

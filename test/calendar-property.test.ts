import fc from 'fast-check';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContentFormat, ContentStatus, Scope } from '../src/generated/sqlite/enums.js';
import { startTestApp, type GraphQLResponse, type TestApp } from './support/app.js';
import { Fixture } from './support/fixtures.js';

/**
 * The calendar counts, pages and judges in SQL; this checks it against the
 * slow, obvious way in plain TypeScript on random small workspaces: two
 * journeys with STAY phases, targeted and generic pieces (some in two phases
 * of a journey), every status, instants around the spring daylight-saving
 * changes of several zones (some shared, for collisions) and random filters.
 * Every page of entries (forward and backward), every bucket's counts and
 * every finding must be what the brute force says.
 */
const STATUSES: ContentStatus[] = ['IDEA', 'DRAFT', 'IN_REVIEW', 'SCHEDULED', 'PUBLISHED', 'ARCHIVED'];
const FORMATS: ContentFormat[] = ['ARTICLE', 'NEWSLETTER'];
const SCOPES: Scope[] = ['BECOME', 'BE', 'STAY'];
const ZONES = ['UTC', 'Europe/Amsterdam', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu'];
const EVENTS = ['PUBLISH', 'EXPIRE', 'REVIEW'] as const;
const DAY = 86_400_000;
const START = Date.parse('2026-03-01T00:00:00Z');
/** Instants many pieces share, around New York's (8 March), Europe's (29 March) and Lord Howe's (5 April) clock changes. */
const SHARED = ['2026-03-08T06:30:00Z', '2026-03-08T07:00:00Z', '2026-03-28T23:30:00Z', '2026-03-29T01:00:00Z', '2026-04-04T14:45:00Z', '2026-04-04T15:00:00Z'].map((s) => new Date(s));

interface Journey {
  phases: Scope[];
  segments: number;
}

interface Piece {
  title: string;
  status: ContentStatus;
  format: ContentFormat;
  journey: number;
  phases: number[];
  channels: number[];
  segments: number[];
  publishAt: Date | null;
  expiresAt: Date | null;
  reviewAt: Date | null;
}

interface Query {
  from: Date;
  to: Date;
  timeZone: string;
  groupBy: 'DAY' | 'WEEK' | 'MONTH';
  segments: string[] | null;
  channels: string[] | null;
  phaseRefs: { journey: string; phase: string }[] | null;
  scope: Scope | null;
  statuses: ContentStatus[] | null;
  formats: ContentFormat[] | null;
}

interface World {
  silenceDays: number;
  journeys: Journey[];
  channels: (number | null)[];
  pieces: Piece[];
  query: Query;
  pageSize: number;
}

const instant = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom(...SHARED) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 40 * 96 - 1 }).map((quarter) => new Date(START + quarter * 15 * 60_000)) },
);

function world(): fc.Arbitrary<World> {
  const journey = fc.record({ phases: fc.array(fc.constantFrom(...SCOPES), { minLength: 1, maxLength: 3 }), segments: fc.integer({ min: 1, max: 3 }) });
  return fc
    .record({ journeys: fc.array(journey, { minLength: 1, maxLength: 2 }), channels: fc.array(fc.constantFrom(null, 1, 2), { minLength: 1, maxLength: 3 }) })
    .chain(({ journeys, channels }) => {
      const index = (n: number) => fc.integer({ min: 0, max: n - 1 });
      const subset = (n: number, min: number) => fc.uniqueArray(index(n), { minLength: min, maxLength: n });
      const piece = index(journeys.length).chain((j) =>
        fc.record({
          title: fc.constant(''),
          status: fc.constantFrom(...STATUSES, 'SCHEDULED', 'PUBLISHED', 'PUBLISHED'),
          format: fc.constantFrom(...FORMATS),
          journey: fc.constant(j),
          phases: subset((journeys[j] as Journey).phases.length, 1),
          channels: subset(channels.length, 1),
          segments: fc.oneof(fc.constant<number[]>([]), subset((journeys[j] as Journey).segments, 1)),
          publishAt: fc.option(instant, { nil: null, freq: 6 }),
          expiresAt: fc.option(instant, { nil: null, freq: 2 }),
          reviewAt: fc.option(instant, { nil: null, freq: 2 }),
        }),
      );
      const keys = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
      const segmentKeys = journeys.flatMap((j, ji) => keys(`j${ji}s`, j.segments));
      const phaseRefs = journeys.flatMap((j, ji) => j.phases.map((_, pi) => ({ journey: `j${ji}`, phase: `p${pi}` })));
      const range = fc.tuple(fc.integer({ min: -3, max: 40 }), fc.integer({ min: 1, max: 50 })).map(([start, days]) => {
        const from = new Date(START + start * DAY + (start % 3) * 3_600_000);
        return { from, to: new Date(Math.min(from.getTime() + days * DAY, START + 55 * DAY)) };
      });
      // Each filter in one query of four: most runs keep enough pieces to find something.
      const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 1, arbitrary });
      const query = fc.record({
        range,
        timeZone: fc.constantFrom(...ZONES),
        groupBy: fc.constantFrom('DAY' as const, 'WEEK' as const, 'MONTH' as const),
        segments: maybe(fc.subarray(segmentKeys, { minLength: 1 })),
        channels: maybe(fc.subarray(keys('c', channels.length), { minLength: 1 })),
        phaseRefs: maybe(fc.subarray(phaseRefs, { minLength: 1 })),
        scope: maybe(fc.constantFrom(...SCOPES)),
        statuses: maybe(fc.subarray(STATUSES, { minLength: 1 })),
        formats: maybe(fc.subarray(FORMATS, { minLength: 1 })),
      }).map(({ range: r, ...rest }): Query => ({ ...r, ...rest }));
      return fc.record({
        silenceDays: fc.constantFrom(1, 3, 30),
        journeys: fc.constant(journeys),
        channels: fc.constant(channels),
        pieces: fc.array(piece, { minLength: 4, maxLength: 16, size: 'max' }).map((pieces) => pieces.map((p, i) => ({ ...p, title: `piece ${i}` }))),
        query,
        pageSize: fc.integer({ min: 1, max: 6 }),
      });
    });
}

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

const ARGS = `$from: DateTime!, $to: DateTime!, $timeZone: String, $groupBy: CalendarGrouping, $segments: [String!], $channels: [String!],
  $phaseRefs: [PhaseRefInput!], $scope: Scope, $statuses: [ContentStatus!], $formats: [ContentFormat!]`;
const CALENDAR = `from: $from, to: $to, timeZone: $timeZone, groupBy: $groupBy, segments: $segments, channels: $channels,
  phaseRefs: $phaseRefs, scope: $scope, statuses: $statuses, formats: $formats`;
const OVERVIEW = `query (${ARGS}) { contentCalendar(${CALENDAR}) {
  counts { total publish expire review }
  buckets { start end counts { total publish expire review } }
  findings(first: 50) { totalCount edges { node { kind segment { key } channel { key } start end pieces { title } message } } }
} }`;
const PAGE = `query (${ARGS}, $first: Int, $after: String, $last: Int, $before: String) { contentCalendar(${CALENDAR}) {
  entries(first: $first, after: $after, last: $last, before: $before) {
    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { node { event at piece { title } } }
  }
} }`;

describe('contentCalendar against a brute-force computation', () => {
  it('pages every entry both ways, counts every bucket and finds every finding as the slow way does', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(world(), async (w) => {
        run += 1;
        const keys = await app.workspace(`property ${run}`);
        await app.database.prisma.workspace.update({ where: { id: keys.workspaceId }, data: { silenceDays: w.silenceDays } });
        const f = new Fixture(app.database.prisma, keys.workspaceId);
        for (const [c, max] of w.channels.entries()) await f.channel(`c${c}`, max ?? undefined);
        for (const [ji, journey] of w.journeys.entries()) {
          await f.journey(`j${ji}`, journey.phases.map((scope, pi) => [`p${pi}`, scope]));
          for (let s = 0; s < journey.segments; s++) await f.segment(`j${ji}s${s}`);
        }
        const ids = new Map<Piece, string>();
        for (const p of w.pieces) {
          const { id } = await f.piece({
            title: p.title, status: p.status, format: p.format, phases: p.phases.map((n) => `j${p.journey}:p${n}`), channels: p.channels.map((n) => `c${n}`),
            segments: p.segments.map((n) => `j${p.journey}s${n}`), publishAt: p.publishAt, expiresAt: p.expiresAt, reviewAt: p.reviewAt,
          });
          ids.set(p, id);
        }
        const variables = { ...w.query, from: w.query.from.toISOString(), to: w.query.to.toISOString() };
        const expected = bruteForce(w, ids);

        const overview = await app.gql(keys.EDITOR, OVERVIEW, variables);
        expect(overview.errors).toBeUndefined();
        const calendar = overview.data?.contentCalendar;
        const buckets = calendar.buckets as { start: string; end: string; counts: Record<string, number> }[];
        expect(buckets.map((b) => b.counts)).toEqual(buckets.map((b) => countsOf(expected.entries.filter((e) => e.at >= Date.parse(b.start) && e.at < Date.parse(b.end)))));
        expect(calendar.counts).toEqual(countsOf(expected.entries));
        expect(calendar.findings.totalCount).toBe(expected.findingCount);
        expect(calendar.findings.edges.map((e: { node: unknown }) => e.node)).toEqual(expected.findings);

        const entries = expected.entries.map((e) => ({ event: e.event, at: new Date(e.at).toISOString(), piece: { title: e.title } }));
        const forward: unknown[] = [];
        for (let after: string | null = null; ; ) {
          const res: GraphQLResponse = await app.gql(keys.EDITOR, PAGE, { ...variables, first: w.pageSize, after });
          expect(res.errors).toBeUndefined();
          const page = res.data?.contentCalendar.entries;
          expect(page.totalCount).toBe(entries.length);
          forward.push(...page.edges.map((e: { node: unknown }) => e.node));
          if (!page.pageInfo.hasNextPage) break;
          after = page.pageInfo.endCursor;
        }
        expect(forward).toEqual(entries);
        const backward: unknown[] = [];
        for (let before: string | null = null; ; ) {
          const res: GraphQLResponse = await app.gql(keys.EDITOR, PAGE, { ...variables, last: w.pageSize, before });
          const page = res.data?.contentCalendar.entries;
          backward.unshift(...page.edges.map((e: { node: unknown }) => e.node));
          if (!page.pageInfo.hasPreviousPage) break;
          before = page.pageInfo.startCursor;
        }
        expect(backward).toEqual(entries);
      }),
      { numRuns: 40 },
    );
  }, 300_000);
});

interface Entry {
  event: (typeof EVENTS)[number];
  at: number;
  title: string;
  id: string;
}

function countsOf(entries: Entry[]) {
  return {
    total: entries.length,
    publish: entries.filter((e) => e.event === 'PUBLISH').length,
    expire: entries.filter((e) => e.event === 'EXPIRE').length,
    review: entries.filter((e) => e.event === 'REVIEW').length,
  };
}

/**
 * The calendar the slow way: every piece against every filter, every
 * segment, channel, week and instant. Segments are `j<journey>s<n>`, phases
 * `j<journey>:p<n>`, channels `c<n>`; a piece's phases are all in one journey.
 */
function bruteForce(w: World, ids: Map<Piece, string>) {
  const q = w.query;
  const from = q.from.getTime();
  const to = q.to.getTime();
  const phaseAllowed = (journey: number, phase: number) =>
    (!q.phaseRefs || q.phaseRefs.some((r) => r.journey === `j${journey}` && r.phase === `p${phase}`)) && (!q.scope || w.journeys[journey]?.phases[phase] === q.scope);
  const segmentKeys = (p: Piece) => (p.segments.length ? p.segments : Array.from({ length: w.journeys[p.journey]?.segments ?? 0 }, (_, i) => i)).map((s) => `j${p.journey}s${s}`);
  const matches = (p: Piece) =>
    p.phases.some((phase) => phaseAllowed(p.journey, phase)) &&
    (!q.channels || p.channels.some((c) => q.channels?.includes(`c${c}`))) &&
    (!q.segments || segmentKeys(p).some((s) => q.segments?.includes(s))) &&
    (!q.statuses || q.statuses.includes(p.status)) &&
    (!q.formats || q.formats.includes(p.format));
  const pieces = w.pieces.filter(matches);
  const id = (p: Piece) => ids.get(p) as string;
  const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

  const entries: Entry[] = [];
  for (const p of pieces) {
    for (const [event, at] of [['PUBLISH', p.publishAt], ['EXPIRE', p.expiresAt], ['REVIEW', p.reviewAt]] as const) {
      if (at && at.getTime() >= from && at.getTime() < to) entries.push({ event, at: at.getTime(), title: p.title, id: id(p) });
    }
  }
  entries.sort((a, b) => a.at - b.at || EVENTS.indexOf(a.event) - EVENTS.indexOf(b.event) || byId(a.id, b.id));

  const counted = pieces.filter((p) => p.publishAt && (p.status === 'SCHEDULED' || p.status === 'PUBLISHED'));
  const zone = q.timeZone;
  const segments = w.journeys.flatMap((j, ji) => Array.from({ length: j.segments }, (_, s) => ({ key: `j${ji}s${s}`, journey: ji }))).filter((s) => !q.segments || q.segments.includes(s.key));
  const channels = w.channels.map((max, c) => ({ key: `c${c}`, max })).filter((c) => !q.channels || q.channels.includes(c.key));
  const reaches = (p: Piece, segment: string) => segmentKeys(p).includes(segment);
  const onChannel = (p: Piece, channel: string) => p.channels.some((c) => `c${c}` === channel);
  const byPublish = (list: Piece[]) => [...list].sort((a, b) => (a.publishAt as Date).getTime() - (b.publishAt as Date).getTime() || byId(id(a), id(b)));
  const at = (p: Piece) => (p.publishAt as Date).getTime();
  const localDate = (t: number) => DateTime.fromMillis(t, { zone }).toISODate();
  const findings: { kind: string; segment: string; channel: string | null; start: number; end: number; pieces: Piece[]; message: string }[] = [];

  const weekOf = (t: number) => DateTime.fromMillis(t, { zone }).startOf('week');
  let week = weekOf(from);
  while (week.toMillis() < to) {
    const end = week.plus({ weeks: 1 }).startOf('week');
    for (const s of segments) {
      for (const c of channels) {
        if (c.max === null) continue;
        const own = counted.filter((p) => at(p) >= week.toMillis() && at(p) < end.toMillis() && onChannel(p, c.key) && reaches(p, s.key));
        if (own.length <= c.max) continue;
        const message = `Segment "${s.key.toUpperCase()}" gets ${own.length} pieces on ${c.key} in week ${week.toFormat("kkkk-'W'WW")} (from ${week.toISODate()}), more than the channel's maximum of ${c.max} per week.`;
        findings.push({ kind: 'OVERLOAD', segment: s.key, channel: c.key, start: week.toMillis(), end: end.toMillis(), pieces: byPublish(own), message });
      }
    }
    week = end;
  }
  const instants = [...new Set(counted.map(at))].filter((t) => t >= from && t < to);
  for (const t of instants) {
    for (const s of segments) {
      for (const c of channels) {
        const own = byPublish(counted.filter((p) => at(p) === t && onChannel(p, c.key) && reaches(p, s.key)));
        if (own.length < 2) continue;
        const titles = own.map((p) => `"${p.title}"`);
        const moment = DateTime.fromMillis(t, { zone }).toFormat('yyyy-MM-dd HH:mm');
        const message = `Segment "${s.key.toUpperCase()}" gets ${own.length} pieces on ${c.key} at the same moment, ${moment} (${zone}): ${titles.slice(0, -1).join(', ')} and ${titles.at(-1)}.`;
        findings.push({ kind: 'COLLISION', segment: s.key, channel: c.key, start: t, end: t, pieces: own, message });
      }
    }
  }
  // Findings judge scheduled and published pieces; a status filter without either leaves none to judge.
  const judged = !q.statuses || q.statuses.some((status) => status === 'SCHEDULED' || status === 'PUBLISHED');
  for (const s of judged ? segments : []) {
    const stay = (w.journeys[s.journey]?.phases ?? []).flatMap((scope, phase) => (scope === 'STAY' && phaseAllowed(s.journey, phase) ? [phase] : []));
    if (stay.length === 0) continue;
    const heard = byPublish(counted.filter((p) => p.journey === s.journey && at(p) >= from && at(p) < to && reaches(p, s.key) && p.phases.some((phase) => stay.includes(phase))));
    let start = from;
    let before: Piece | null = null;
    for (const next of [...heard, null]) {
      const end = next ? at(next) : to;
      if (end - start > w.silenceDays * DAY) {
        const message = `Segment "${s.key.toUpperCase()}" gets nothing in its STAY phases (${stay.map((p) => `p${p}`).join(', ')}) from ${localDate(start)} to ${localDate(end)}: ${Math.floor((end - start) / DAY)} days, longer than the silence window of ${w.silenceDays} days.`;
        findings.push({ kind: 'SILENCE', segment: s.key, channel: null, start, end, pieces: [before, next].filter((p): p is Piece => p !== null), message });
      }
      if (next) {
        start = end;
        before = next;
      }
    }
  }
  const order = { COLLISION: 0, OVERLOAD: 1, SILENCE: 2 } as Record<string, number>;
  findings.sort((a, b) => a.start - b.start || (order[a.kind] as number) - (order[b.kind] as number) || a.segment.localeCompare(b.segment) || (a.channel ?? '').localeCompare(b.channel ?? ''));
  return {
    entries,
    findings: findings.slice(0, 50).map((f) => ({
      kind: f.kind,
      segment: { key: f.segment },
      channel: f.channel === null ? null : { key: f.channel },
      start: new Date(f.start).toISOString(),
      end: new Date(f.end).toISOString(),
      pieces: f.pieces.map((p) => ({ title: p.title })),
      message: f.message,
    })),
    findingCount: findings.length,
  };
}

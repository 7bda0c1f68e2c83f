import type { GraphQLObjectType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../src/schema.js';
import { startTestApp, type TestApp, type WorkspaceKeys } from './support/app.js';
import { Fixture } from './support/fixtures.js';
import { loadDemoWorkspace } from '../src/demo/demo.js';

const CALENDAR = /* GraphQL */ `
  query (
    $from: DateTime!, $to: DateTime!, $timeZone: String, $groupBy: CalendarGrouping,
    $segments: [String!], $phases: [String!], $scope: Scope, $channels: [String!], $statuses: [ContentStatus!], $formats: [ContentFormat!],
    $kinds: [CalendarFindingKind!]
  ) {
    contentCalendar(from: $from, to: $to, timeZone: $timeZone, groupBy: $groupBy, segments: $segments, phases: $phases,
                    scope: $scope, channels: $channels, statuses: $statuses, formats: $formats) {
      timeZone groupBy entryCount
      buckets { start end startDate endDate label entryCount entries { event at localDateTime isGeneric piece { title } channels { key } segments { key } phases { key } } }
      findings(first: 100, kinds: $kinds) { totalCount edges { node { kind segment { key } channel { key } start end startDate endDate pieces { title } message } } }
    }
  }
`;

interface Entry { event: string; at: string; localDateTime: string; isGeneric: boolean; piece: { title: string }; channels: { key: string }[]; segments: { key: string }[] }
interface Bucket { start: string; end: string; startDate: string; endDate: string; label: string; entryCount: number; entries: Entry[] }
interface Finding { kind: string; segment: { key: string }; channel: { key: string } | null; start: string; end: string; startDate: string; endDate: string; pieces: { title: string }[]; message: string }
interface Calendar { timeZone: string; groupBy: string; entryCount: number; buckets: Bucket[]; findings: Finding[] }

let app: TestApp;
let ws: WorkspaceKeys;
let other: WorkspaceKeys;

const at = (iso: string) => new Date(iso);

beforeAll(async () => {
  app = await startTestApp();
  ws = await app.workspace('Bike shop');
  const f = new Fixture(app.database.prisma, ws.workspaceId);
  await f.journey('shop', [['attention', 'BECOME'], ['buy', 'BECOME'], ['always', 'STAY'], ['advocate', 'STAY']]);
  await f.segment('families');
  await f.segment('students');
  await f.journey('biz', [['attention', 'BECOME'], ['renew', 'STAY']]);
  await f.segment('smb', undefined, 'B2B');
  await f.channel('email', 2);
  await f.channel('social');
  await f.channel('site');
  // Week 2026-W10 (Mon 2 March): three e-mails reach families, one of them generic; the idea does not count.
  await f.piece({ title: 'Spring newsletter', phases: ['shop:always'], channels: ['email'], segments: ['families'], status: 'PUBLISHED', publishAt: at('2026-03-03T08:00:00Z') });
  await f.piece({ title: 'Bike check tips', phases: ['shop:always'], channels: ['email'], segments: ['families'], status: 'SCHEDULED', publishAt: at('2026-03-04T08:00:00Z') });
  await f.piece({ title: 'Loyalty mail', phases: ['shop:always'], channels: ['email'], status: 'SCHEDULED', publishAt: at('2026-03-05T08:00:00Z') });
  await f.piece({ title: 'Idea mail', phases: ['shop:always'], channels: ['email'], segments: ['families'], status: 'IDEA', publishAt: at('2026-03-06T08:00:00Z') });
  // Two social posts for students at the same instant.
  await f.piece({ title: 'Student deal post', phases: ['shop:attention'], channels: ['social'], segments: ['students'], status: 'SCHEDULED', publishAt: at('2026-03-10T12:00:00Z') });
  await f.piece({ title: 'Campus post', phases: ['shop:attention'], channels: ['social'], segments: ['students'], status: 'PUBLISHED', publishAt: at('2026-03-10T12:00:00Z') });
  // Families hear from us again 28 days after the last March mail: no silence for them.
  await f.piece({ title: 'April newsletter', phases: ['shop:always'], channels: ['email'], segments: ['families'], status: 'PUBLISHED', publishAt: at('2026-04-02T08:00:00Z') });
  // 00:30 on 29 March in Amsterdam, still 28 March in UTC.
  await f.piece({ title: 'Night post', phases: ['shop:attention'], channels: ['site'], segments: ['families'], status: 'PUBLISHED', publishAt: at('2026-03-28T23:30:00Z') });
  // 00:30 on 25 October in Amsterdam (summer time), still 24 October in UTC.
  await f.piece({ title: 'October post', phases: ['shop:buy'], channels: ['site'], status: 'SCHEDULED', publishAt: at('2026-10-24T22:30:00Z') });
  await f.piece({
    title: 'Expiring offer', phases: ['shop:buy'], channels: ['site'], segments: ['students'], status: 'PUBLISHED', format: 'OFFER',
    publishAt: at('2026-02-01T09:00:00Z'), expiresAt: at('2026-03-20T10:00:00Z'), reviewAt: at('2026-03-15T09:00:00Z'),
  });
  await f.piece({ title: 'SMB webinar', phases: ['biz:attention'], channels: ['site'], segments: ['smb'], status: 'DRAFT', format: 'WEBINAR', publishAt: at('2026-03-12T15:00:00Z') });
  await f.piece({ title: 'Undated idea', phases: ['shop:buy'], channels: ['site'], status: 'IDEA' });

  other = await app.workspace('Other shop');
  const g = new Fixture(app.database.prisma, other.workspaceId);
  await g.journey('shop', [['always', 'STAY']]);
  await g.segment('families');
  await g.channel('email', 1);
  await g.piece({ title: 'Other secret', phases: ['always'], channels: ['email'], segments: ['families'], status: 'SCHEDULED', publishAt: at('2026-03-03T08:00:00Z') });
});
afterAll(() => app.close());

async function calendar(variables: Record<string, unknown>, key = ws.EDITOR): Promise<Calendar> {
  const res = await app.gql<{ contentCalendar: Omit<Calendar, 'findings'> & { findings: { totalCount: number; edges: { node: Finding }[] } } }>(key, CALENDAR, variables);
  expect(res.errors).toBeUndefined();
  const { findings, ...calendar } = res.data!.contentCalendar;
  expect(findings.totalCount).toBe(findings.edges.length);
  return { ...calendar, findings: findings.edges.map((e) => e.node) };
}

const MARCH = { from: '2026-03-01T00:00:00Z', to: '2026-04-01T00:00:00Z' };
const titles = (c: Calendar) => c.buckets.flatMap((b) => b.entries.map((e) => `${e.event} ${e.piece.title}`));
const hours = (b: Bucket) => (Date.parse(b.end) - Date.parse(b.start)) / 3_600_000;

describe('contentCalendar: buckets in a time zone', () => {
  it('groups by local day, and the last Sunday of March is a 23-hour day in Europe/Amsterdam', async () => {
    const c = await calendar({ from: '2026-03-28T00:00:00+01:00', to: '2026-03-31T00:00:00+02:00', timeZone: 'Europe/Amsterdam', groupBy: 'DAY' });
    expect(c.buckets.map((b) => [b.label, hours(b)])).toEqual([['2026-03-28', 24], ['2026-03-29', 23], ['2026-03-30', 24]]);
    expect(c.buckets[1]).toMatchObject({ start: '2026-03-28T23:00:00.000Z', end: '2026-03-29T22:00:00.000Z', startDate: '2026-03-29', endDate: '2026-03-30' });
    expect(c.buckets[1]!.entries.map((e) => [e.piece.title, e.localDateTime])).toEqual([['Night post', '2026-03-29T00:30:00']]);
    expect(c.buckets[0]!.entries).toEqual([]);
  });

  it('in UTC the same piece falls on the day before', async () => {
    const c = await calendar({ from: '2026-03-28T00:00:00Z', to: '2026-03-30T00:00:00Z' });
    expect(c.timeZone).toBe('UTC');
    expect(c.groupBy).toBe('DAY');
    expect(c.buckets.map((b) => [b.label, b.entries.map((e) => e.piece.title)])).toEqual([['2026-03-28', ['Night post']], ['2026-03-29', []]]);
  });

  it('the last Sunday of October is a 25-hour day in Europe/Amsterdam', async () => {
    const c = await calendar({ from: '2026-10-24T00:00:00+02:00', to: '2026-10-27T00:00:00+01:00', timeZone: 'Europe/Amsterdam' });
    expect(c.buckets.map((b) => [b.label, hours(b), b.entries.map((e) => e.localDateTime)])).toEqual([
      ['2026-10-24', 24, []],
      ['2026-10-25', 25, ['2026-10-25T00:30:00']],
      ['2026-10-26', 24, []],
    ]);
  });

  it('groups by ISO week from Monday 00:00 local time, empty weeks included', async () => {
    const c = await calendar({ ...MARCH, timeZone: 'Europe/Amsterdam', groupBy: 'WEEK' });
    expect(c.buckets.map((b) => b.label)).toEqual(['2026-W09', '2026-W10', '2026-W11', '2026-W12', '2026-W13', '2026-W14']);
    expect(c.buckets[0]).toMatchObject({ startDate: '2026-02-23', endDate: '2026-03-02', start: '2026-02-22T23:00:00.000Z', entryCount: 0 });
    // The week of the clock change is 167 hours long.
    expect(c.buckets.map(hours)).toEqual([168, 168, 168, 168, 167, 168]);
    expect(c.buckets[1]!.entries.map((e) => e.piece.title)).toEqual(['Spring newsletter', 'Bike check tips', 'Loyalty mail', 'Idea mail']);
    // Sunday 29 March 00:30 local is still week 13; Monday starts week 14.
    expect(c.buckets[4]!.entries.map((e) => e.piece.title)).toEqual(['Night post']);
  });

  it('groups by local month: 22:30 UTC on 31 March is April in Amsterdam', async () => {
    await new Fixture(app.database.prisma, ws.workspaceId).journey('late', [['late', 'BECOME']]).then((f) =>
      f.channel('late-channel').then(() => f.piece({ title: 'Late March post', phases: ['late'], channels: ['late-channel'], status: 'SCHEDULED', publishAt: at('2026-03-31T22:30:00Z') })),
    );
    const amsterdam = await calendar({ from: '2026-02-28T23:00:00Z', to: '2026-04-30T22:00:00Z', timeZone: 'Europe/Amsterdam', groupBy: 'MONTH', channels: ['late-channel'] });
    expect(amsterdam.buckets.map((b) => [b.label, b.startDate, b.entries.map((e) => e.piece.title)])).toEqual([
      ['2026-03', '2026-03-01', []],
      ['2026-04', '2026-04-01', ['Late March post']],
    ]);
    const utc = await calendar({ from: '2026-03-01T00:00:00Z', to: '2026-04-30T22:00:00Z', groupBy: 'MONTH', channels: ['late-channel'] });
    expect(utc.buckets.map((b) => b.entries.length)).toEqual([1, 0]);
  });
});

describe('contentCalendar: entries and filters', () => {
  it('shows publish, expire and review events with their instant and local time', async () => {
    const c = await calendar({ ...MARCH, timeZone: 'Europe/Amsterdam', formats: ['OFFER'] });
    const entries = c.buckets.flatMap((b) => b.entries);
    expect(entries.map((e) => [e.event, e.at, e.localDateTime])).toEqual([
      ['REVIEW', '2026-03-15T09:00:00.000Z', '2026-03-15T10:00:00'],
      ['EXPIRE', '2026-03-20T10:00:00.000Z', '2026-03-20T11:00:00'],
    ]);
    expect(entries[0]).toMatchObject({ isGeneric: false, channels: [{ key: 'site' }], segments: [{ key: 'students' }], piece: { title: 'Expiring offer' } });
    expect(c.entryCount).toBe(2);
  });

  it('a segment filter shows its own pieces and the generic pieces of its journey', async () => {
    const c = await calendar({ ...MARCH, segments: ['students'] });
    expect(titles(c)).toEqual(['PUBLISH Loyalty mail', 'PUBLISH Student deal post', 'PUBLISH Campus post', 'REVIEW Expiring offer', 'EXPIRE Expiring offer']);
    expect(c.buckets.flatMap((b) => b.entries).find((e) => e.piece.title === 'Loyalty mail')).toMatchObject({ isGeneric: true, segments: [] });
  });

  it('filters by phase ("journey:phase", or a bare key one journey alone has), scope, channel, status and format', async () => {
    expect(titles(await calendar({ ...MARCH, phases: ['shop:always'] }))).toEqual(['PUBLISH Spring newsletter', 'PUBLISH Bike check tips', 'PUBLISH Loyalty mail', 'PUBLISH Idea mail']);
    expect(titles(await calendar({ ...MARCH, phases: ['renew', 'biz:attention'] }))).toEqual(['PUBLISH SMB webinar']);
    expect(titles(await calendar({ ...MARCH, scope: 'STAY' }))).toEqual(['PUBLISH Spring newsletter', 'PUBLISH Bike check tips', 'PUBLISH Loyalty mail', 'PUBLISH Idea mail']);
    expect(titles(await calendar({ ...MARCH, channels: ['social'] }))).toEqual(['PUBLISH Student deal post', 'PUBLISH Campus post']);
    expect(titles(await calendar({ ...MARCH, statuses: ['DRAFT'] }))).toEqual(['PUBLISH SMB webinar']);
    expect(titles(await calendar({ ...MARCH, formats: ['WEBINAR', 'OFFER'], segments: ['smb'] }))).toEqual(['PUBLISH SMB webinar']);
  });

  it('never shows pieces without a date in range', async () => {
    const c = await calendar(MARCH);
    expect(titles(c)).not.toContain('PUBLISH Undated idea');
    expect(titles(c)).not.toContain('PUBLISH April newsletter');
    expect(titles(c)).not.toContain('PUBLISH Expiring offer');
  });
});

describe('contentCalendar: findings', () => {
  const SPRING = { from: '2026-03-01T00:00:00Z', to: '2026-05-01T00:00:00Z', timeZone: 'Europe/Amsterdam' };

  it('OVERLOAD: more e-mails for a segment in one ISO week than the channel allows, generic pieces counted, ideas not', async () => {
    const c = await calendar(SPRING);
    const overloads = c.findings.filter((f) => f.kind === 'OVERLOAD');
    expect(overloads).toEqual([
      {
        kind: 'OVERLOAD', segment: { key: 'families' }, channel: { key: 'email' },
        start: '2026-03-01T23:00:00.000Z', end: '2026-03-08T23:00:00.000Z', startDate: '2026-03-02', endDate: '2026-03-09',
        pieces: [{ title: 'Spring newsletter' }, { title: 'Bike check tips' }, { title: 'Loyalty mail' }],
        message: 'Segment "FAMILIES" gets 3 pieces on email in week 2026-W10 (from 2026-03-02), more than the channel\'s maximum of 2 per week.',
      },
    ]);
  });

  it('OVERLOAD counts the whole ISO week even where the range cuts it', async () => {
    const c = await calendar({ from: '2026-03-05T00:00:00Z', to: '2026-03-06T00:00:00Z' });
    expect(c.findings.filter((f) => f.kind === 'OVERLOAD').map((f) => [f.segment.key, f.pieces.length])).toEqual([['families', 3]]);
  });

  it('COLLISION: two pieces for the same segment and channel at the same instant', async () => {
    const c = await calendar(SPRING);
    const collisions = c.findings.filter((f) => f.kind === 'COLLISION');
    expect(collisions[0]?.pieces).toHaveLength(2);
    expect(collisions).toEqual([
      {
        kind: 'COLLISION', segment: { key: 'students' }, channel: { key: 'social' },
        start: '2026-03-10T12:00:00.000Z', end: '2026-03-10T12:00:00.000Z', startDate: '2026-03-10', endDate: '2026-03-10',
        pieces: expect.arrayContaining([{ title: 'Campus post' }, { title: 'Student deal post' }]),
        message: expect.stringMatching(/^Segment "STUDENTS" gets 2 pieces on social at the same moment, 2026-03-10 13:00 \(Europe\/Amsterdam\): ".+" and ".+"\.$/),
      },
    ]);
  });

  it('SILENCE: a segment without STAY content for longer than the silence window; generic pieces break it', async () => {
    const c = await calendar(SPRING);
    const silences = c.findings.filter((f) => f.kind === 'SILENCE');
    expect(silences.map((f) => [f.segment.key, f.channel, f.start, f.end, f.pieces.map((p) => p.title)])).toEqual([
      ['smb', null, '2026-03-01T00:00:00.000Z', '2026-05-01T00:00:00.000Z', []],
      ['students', null, '2026-03-05T08:00:00.000Z', '2026-05-01T00:00:00.000Z', ['Loyalty mail']],
    ]);
    expect(silences[1]!.message).toBe(
      'Segment "STUDENTS" gets nothing in its STAY phases (always, advocate) from 2026-03-05 to 2026-05-01: 56 days, longer than the silence window of 30 days.',
    );
  });

  it('SILENCE follows the workspace\'s silence window', async () => {
    await app.database.prisma.workspace.update({ where: { id: ws.workspaceId }, data: { silenceDays: 60 } });
    try {
      const c = await calendar({ ...SPRING, timeZone: 'UTC' });
      expect(c.findings.filter((f) => f.kind === 'SILENCE').map((f) => f.segment.key)).toEqual(['smb']);
    } finally {
      await app.database.prisma.workspace.update({ where: { id: ws.workspaceId }, data: { silenceDays: 30 } });
    }
  });

  it('findings can be asked for by kind, a page at a time', async () => {
    const c = await calendar({ ...SPRING, kinds: ['SILENCE', 'COLLISION'] });
    expect(c.findings.map((f) => f.kind)).toEqual(['SILENCE', 'SILENCE', 'COLLISION']);
    const page = await app.gql(ws.EDITOR, `query { contentCalendar(from: "${SPRING.from}", to: "${SPRING.to}") { findings(first: 1) { totalCount pageInfo { hasNextPage } edges { node { kind } } } } }`);
    expect(page.data?.contentCalendar.findings).toEqual({ totalCount: 4, pageInfo: { hasNextPage: true }, edges: [{ node: { kind: 'SILENCE' } }] });
  });

  it('findings judge only scheduled and published pieces, and respect the filters', async () => {
    expect((await calendar({ ...SPRING, statuses: ['IDEA', 'DRAFT'] })).findings).toEqual([]);
    const families = await calendar({ ...SPRING, segments: ['families'] });
    expect(families.findings.map((f) => `${f.kind} ${f.segment.key}`)).toEqual(['OVERLOAD families']);
    const social = await calendar({ ...SPRING, channels: ['social'], scope: 'BECOME' });
    expect(social.findings.map((f) => `${f.kind} ${f.segment.key}`)).toEqual(['COLLISION students']);
  });
});

describe('contentCalendar: bad input, roles, isolation, cost', () => {
  const bad = async (variables: Record<string, unknown>) => {
    const res = await app.gql(ws.EDITOR, CALENDAR, variables);
    expect(res.data?.contentCalendar ?? null).toBeNull();
    return { code: res.errors?.[0]?.extensions?.code, argument: res.errors?.[0]?.extensions?.argument, message: res.errors?.[0]?.message };
  };

  it('refuses an empty or reversed range, and one longer than 400 days, on "to"', async () => {
    expect(await bad({ from: MARCH.from, to: MARCH.from })).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'to' });
    expect(await bad({ from: MARCH.to, to: MARCH.from })).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'to' });
    expect(await bad({ from: '2026-01-01T00:00:00Z', to: '2027-02-05T00:00:00.001Z' })).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'to', message: expect.stringContaining('400 days') });
    expect((await calendar({ from: '2026-01-01T00:00:00Z', to: '2027-02-04T00:00:00Z', groupBy: 'MONTH' })).buckets).toHaveLength(14);
  });

  it('refuses an unknown time zone and unknown keys, naming the argument', async () => {
    expect(await bad({ ...MARCH, timeZone: 'Europe/Atlantis' })).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'timeZone' });
    expect(await bad({ ...MARCH, segments: ['families', 'pensioners'] })).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'segments', message: expect.stringContaining('pensioners') });
    expect(await bad({ ...MARCH, channels: ['fax'] })).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'channels' });
    expect(await bad({ ...MARCH, phases: ['shop:nope'] })).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'phases' });
    expect(await bad({ ...MARCH, phases: ['attention'] })).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'phases', message: expect.stringContaining('"shop:attention"') });
    expect((await app.gql(ws.EDITOR, CALENDAR, { from: 'yesterday', to: MARCH.to })).errors?.[0]?.message).toContain('$from');
  });

  it('is for editors and admins: a delivery key is refused', async () => {
    expect((await app.gql(ws.DELIVERY, CALENDAR, MARCH)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await app.gql(null, CALENDAR, MARCH)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await calendar(MARCH, ws.ADMIN)).entryCount).toBeGreaterThan(0);
  });

  it('never shows another workspace\'s pieces, nor resolves its keys', async () => {
    const mine = await calendar(MARCH);
    expect(titles(mine)).not.toContain('PUBLISH Other secret');
    const theirs = await calendar({ ...MARCH, groupBy: 'MONTH' }, other.EDITOR);
    expect(titles(theirs)).toEqual(['PUBLISH Other secret']);
    // One e-mail a week is their limit, and they send one: nothing of ours leaks into their count.
    expect(theirs.findings).toEqual([]);
    const res = await app.gql(other.EDITOR, CALENDAR, { ...MARCH, segments: ['students'] });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'segments' });
  });

  it('a year overview, a month page and the old shape each cost a fixed number of statements, however many pieces the range holds', async () => {
    const year = { from: '2026-01-01T00:00:00Z', to: '2027-01-01T00:00:00Z' };
    const month = { from: '2026-03-01T00:00:00Z', to: '2026-04-01T00:00:00Z' };
    const cost = async (query: string, variables: Record<string, unknown>, key: string) => {
      const answer = () => app.gql(key, query, variables).then((res) => expect(res.errors).toBeUndefined());
      await answer(); // warms the key cache
      return app.countStatements(answer);
    };
    const costs = async (key: string) => ({
      // Taxonomy, counts, the three kinds of findings, the page's pieces.
      overview: await cost(OVERVIEW, year, key),
      // Taxonomy, the page of entries, counts (totalCount), the three kinds of findings, the page's pieces.
      month: await cost(MONTH, month, key),
      // As the overview, and every entry of the year for the deprecated per-bucket entries.
      old: await cost(CALENDAR, { ...year, groupBy: 'WEEK', timeZone: 'Europe/Amsterdam' }, key),
    });
    expect(await costs(ws.EDITOR)).toEqual({ overview: 6, month: 7, old: 7 });
    const f = new Fixture(app.database.prisma, other.workspaceId);
    await f.journey('more', [['stay', 'STAY']]);
    await f.segment('many');
    await f.channel('many-channel', 1);
    for (let i = 0; i < 30; i++) {
      await f.piece({ title: `Piece ${i}`, phases: ['stay'], channels: ['many-channel'], segments: i % 2 ? ['many'] : [], status: 'SCHEDULED', publishAt: at(`2026-0${1 + (i % 9)}-1${i % 10}T08:00:00Z`) });
    }
    expect(await costs(other.EDITOR)).toEqual({ overview: 6, month: 7, old: 7 });
  });

  it('counts and judges the range off the main thread (Database.analyze), so a year overview never holds up a website', async () => {
    const year = { from: '2026-01-01T00:00:00Z', to: '2027-01-01T00:00:00Z' };
    await app.gql(ws.EDITOR, OVERVIEW, year); // warms the key cache
    const before = { all: app.database.statements.count, analyzed: app.database.statements.analyzed };
    const res = await app.gql(ws.EDITOR, OVERVIEW, year);
    expect(res.errors).toBeUndefined();
    const all = app.database.statements.count - before.all;
    const analyzed = app.database.statements.analyzed - before.analyzed;
    // Every statement of the answer, the taxonomy's included, goes to the analysis workers or pool.
    expect(all).toBeGreaterThan(1);
    expect(analyzed).toBe(all);
  });
});

const OVERVIEW = /* GraphQL */ `
  query ($from: DateTime!, $to: DateTime!) {
    contentCalendar(from: $from, to: $to, timeZone: "Europe/Amsterdam", groupBy: WEEK) {
      counts { total publish expire review }
      buckets { label counts { total publish expire review } }
      findings(first: 100) { totalCount edges { node { kind message pieces { title } } } }
    }
  }
`;
const MONTH = /* GraphQL */ `
  query ($from: DateTime!, $to: DateTime!) {
    contentCalendar(from: $from, to: $to, timeZone: "Europe/Amsterdam") {
      entries(first: 100) { totalCount edges { cursor node { event at localDateTime piece { title } channels { key } segments { key } phases { key } } } }
      findings(first: 100) { totalCount edges { node { kind message pieces { title } } } }
    }
  }
`;
const ENTRIES = /* GraphQL */ `
  query (
    $from: DateTime!, $to: DateTime!, $segments: [String!], $channels: [String!], $phaseRefs: [PhaseRefInput!], $scope: Scope, $statuses: [ContentStatus!], $formats: [ContentFormat!],
    $first: Int, $after: String, $last: Int, $before: String
  ) {
    contentCalendar(from: $from, to: $to, segments: $segments, channels: $channels, phaseRefs: $phaseRefs, scope: $scope, statuses: $statuses, formats: $formats) {
      entries(first: $first, after: $after, last: $last, before: $before) {
        totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { event piece { title } } }
      }
    }
  }
`;

interface EntryPage {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  edges: { cursor: string; node: { event: string; piece: { title: string } } }[];
}

async function entries(variables: Record<string, unknown>, key = ws.EDITOR): Promise<EntryPage> {
  const res = await app.gql(key, ENTRIES, variables);
  expect(res.errors).toBeUndefined();
  return res.data!.contentCalendar.entries;
}

/** Every entry, a page of `size` at a time, forward or backward. */
async function allPages(variables: Record<string, unknown>, size: number, backward = false): Promise<string[]> {
  const seen: string[] = [];
  for (let cursor: string | null = null; ; ) {
    const page: EntryPage = await entries(backward ? { ...variables, last: size, before: cursor } : { ...variables, first: size, after: cursor });
    const items = page.edges.map((e) => `${e.node.event} ${e.node.piece.title}`);
    if (backward) seen.unshift(...items);
    else seen.push(...items);
    if (!(backward ? page.pageInfo.hasPreviousPage : page.pageInfo.hasNextPage)) return seen;
    cursor = backward ? page.pageInfo.startCursor : page.pageInfo.endCursor;
  }
}

describe('contentCalendar: entries a page at a time', () => {
  it('pages forward and backward through the same entries, in order, with and without filters', async () => {
    for (const filters of [{}, { segments: ['students'] }, { phaseRefs: [{ journey: 'shop', phase: 'always' }], statuses: ['SCHEDULED', 'PUBLISHED'] }, { channels: ['site'], formats: ['OFFER', 'ARTICLE'] }]) {
      const variables = { ...MARCH, ...filters };
      const all = await entries({ ...variables, first: 100 });
      const expected = all.edges.map((e) => `${e.node.event} ${e.node.piece.title}`);
      expect(all.totalCount).toBe(expected.length);
      for (const size of [1, 2, 3]) {
        expect(await allPages(variables, size), `${JSON.stringify(filters)} first ${size}`).toEqual(expected);
        expect(await allPages(variables, size, true), `${JSON.stringify(filters)} last ${size}`).toEqual(expected);
      }
    }
    // The same entries as the deprecated per-bucket lists, and the filters apply.
    expect((await entries({ ...MARCH, first: 100 })).edges.map((e) => `${e.node.event} ${e.node.piece.title}`)).toEqual(titles(await calendar(MARCH)));
    expect((await entries({ ...MARCH, segments: ['students'], first: 100 })).edges.map((e) => `${e.node.event} ${e.node.piece.title}`)).toEqual([
      'PUBLISH Loyalty mail', 'PUBLISH Student deal post', 'PUBLISH Campus post', 'REVIEW Expiring offer', 'EXPIRE Expiring offer',
    ]);
  });

  it('says where a page sits, and answers totalCount without reading an entry', async () => {
    const first = await entries({ ...MARCH, first: 2 });
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const second = await entries({ ...MARCH, first: 2, after: first.pageInfo.endCursor });
    expect(second.pageInfo).toMatchObject({ hasPreviousPage: true });
    expect(second.edges[0]?.cursor).not.toBe(first.edges[1]?.cursor);
    expect((await entries({ ...MARCH, first: 0 })).edges).toEqual([]);
    const countOnly = `query ($from: DateTime!, $to: DateTime!) { contentCalendar(from: $from, to: $to) { entries { totalCount } } }`;
    await app.gql(ws.EDITOR, countOnly, MARCH);
    // Taxonomy and counts: no entry is read.
    expect(await app.countStatements(() => app.gql(ws.EDITOR, countOnly, MARCH))).toBe(2);
    expect((await app.gql(ws.EDITOR, countOnly, MARCH)).data?.contentCalendar.entries.totalCount).toBe(first.totalCount);
  });

  it('refuses page sizes outside 0..100, and cursors of another list, another workspace or altered, naming the argument', async () => {
    const refused = async (variables: Record<string, unknown>, key = ws.EDITOR) => (await app.gql(key, ENTRIES, { ...MARCH, ...variables })).errors?.[0]?.extensions;
    expect(await refused({ first: 101 })).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'first' });
    expect(await refused({ last: -1 })).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'last' });
    const cursor = (await entries({ ...MARCH, first: 1 })).pageInfo.endCursor as string;
    expect(await refused({ first: 1, after: cursor }, other.EDITOR)).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
    expect(await refused({ last: 1, before: cursor }, ws.DELIVERY)).toMatchObject({ code: 'FORBIDDEN' });
    const findings = await app.gql(ws.EDITOR, `query ($from: DateTime!, $to: DateTime!) { contentCalendar(from: $from, to: $to) { findings(first: 1) { pageInfo { endCursor } } } }`, MARCH);
    expect(await refused({ first: 1, after: findings.data?.contentCalendar.findings.pageInfo.endCursor })).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
    const [body, mac] = cursor.split('.') as [string, string];
    const altered = Buffer.from(JSON.stringify(['2030-01-01T00:00:00.000Z', 'PUBLISH', 'x'])).toString('base64url');
    for (const bad of [`${altered}.${mac}`, body, `${body}.AAAA`]) expect(await refused({ first: 1, after: bad })).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
  });
});

describe('contentCalendar: counts', () => {
  it('counts entries per bucket and per event, as many as there are entries in each', async () => {
    const query = `query ($from: DateTime!, $to: DateTime!, $formats: [ContentFormat!]) { contentCalendar(from: $from, to: $to, groupBy: WEEK, timeZone: "Europe/Amsterdam", formats: $formats) {
      counts { total publish expire review } buckets { label counts { total publish expire review } } } }`;
    const offers = (await app.gql(ws.EDITOR, query, { ...MARCH, formats: ['OFFER'] })).data?.contentCalendar;
    expect(offers.counts).toEqual({ total: 2, publish: 0, expire: 1, review: 1 });
    expect(offers.buckets.filter((b: { counts: { total: number } }) => b.counts.total > 0)).toEqual([
      { label: '2026-W11', counts: { total: 1, publish: 0, expire: 0, review: 1 } },
      { label: '2026-W12', counts: { total: 1, publish: 0, expire: 1, review: 0 } },
    ]);
    const all = (await app.gql(ws.EDITOR, query, MARCH)).data?.contentCalendar;
    const weeks = await calendar({ ...MARCH, groupBy: 'WEEK', timeZone: 'Europe/Amsterdam' });
    expect(all.buckets.map((b: { counts: { total: number } }) => b.counts.total)).toEqual(weeks.buckets.map((b) => b.entries.length));
    expect(all.counts.total).toBe(weeks.entryCount);
  });
});

describe('contentCalendar: phases by reference, and the deprecated fields', () => {
  it('takes phases as { journey, phase } like every other argument; the "journey:phase" strings still work', async () => {
    const byRef = await entries({ ...MARCH, phaseRefs: [{ journey: 'shop', phase: 'always' }, { journey: 'biz', phase: 'attention' }], first: 100 });
    const byString = await calendar({ ...MARCH, phases: ['shop:always', 'biz:attention'] });
    expect(byRef.edges.map((e) => `${e.node.event} ${e.node.piece.title}`)).toEqual(titles(byString));
    expect(byRef.totalCount).toBe(5);
    const refused = async (variables: Record<string, unknown>) => (await app.gql(ws.EDITOR, ENTRIES, { ...MARCH, ...variables, first: 1 })).errors?.[0];
    expect((await refused({ phaseRefs: [{ journey: 'shop', phase: 'renew' }] }))?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'phaseRefs' });
    // Both forms together: a phase in either.
    const both = await entries({ ...MARCH, phaseRefs: [{ journey: 'shop', phase: 'always' }], first: 100 });
    const combined = `query ($from: DateTime!, $to: DateTime!) { contentCalendar(from: $from, to: $to, phases: ["biz:attention"], phaseRefs: [{ journey: "shop", phase: "always" }]) { counts { total } } }`;
    expect((await app.gql(ws.EDITOR, combined, MARCH)).data?.contentCalendar.counts.total).toBe(both.totalCount + 1);
  });

  it('marks the old fields and the string phases deprecated, pointing to what replaces them, and they still answer', async () => {
    const fields = (type: string) => (schema.getType(type) as GraphQLObjectType).getFields();
    const deprecated = {
      'ContentCalendar.entryCount': fields('ContentCalendar').entryCount?.deprecationReason,
      'CalendarBucket.entryCount': fields('CalendarBucket').entryCount?.deprecationReason,
      'CalendarBucket.entries': fields('CalendarBucket').entries?.deprecationReason,
      'contentCalendar(phases:)': schema.getQueryType()?.getFields().contentCalendar?.args.find((a) => a.name === 'phases')?.deprecationReason,
    };
    expect(deprecated).toEqual({
      'ContentCalendar.entryCount': expect.stringContaining('counts.total'),
      'CalendarBucket.entryCount': expect.stringContaining('counts.total'),
      'CalendarBucket.entries': expect.stringContaining('ContentCalendar.entries'),
      'contentCalendar(phases:)': expect.stringContaining('phaseRefs'),
    });
    const old = await calendar({ ...MARCH, groupBy: 'WEEK', timeZone: 'Europe/Amsterdam' });
    expect(old.entryCount).toBe(old.buckets.reduce((sum, b) => sum + b.entryCount, 0));
    expect(old.buckets.map((b) => b.entryCount)).toEqual(old.buckets.map((b) => b.entries.length));
  });
});

describe('contentCalendar on the demo workspace', () => {
  it('reports the planted e-mail overload for gezinnen, the social collision for e-bike-forenzen and the silence for studenten', async () => {
    await loadDemoWorkspace(app.database);
    const from = new Date(Date.now() - 7 * 86_400_000).toISOString();
    const to = new Date(Date.now() + 56 * 86_400_000).toISOString();
    const c = await calendar({ from, to, timeZone: 'Europe/Amsterdam', groupBy: 'WEEK' }, 'cpk_demo_editor');
    const found = c.findings.map((f) => `${f.kind} ${f.segment.key} ${f.channel?.key ?? '-'}`);
    expect(found).toEqual(expect.arrayContaining(['OVERLOAD gezinnen email', 'COLLISION e-bike-forenzen social', 'SILENCE studenten -']));
    expect(c.buckets.length).toBeGreaterThanOrEqual(9);
  });
});

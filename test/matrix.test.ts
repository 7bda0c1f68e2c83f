import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type WorkspaceKeys } from './support/app.js';
import { Fixture } from './support/fixtures.js';

const MATRIX = /* GraphQL */ `
  query ($journey: String!, $segments: [String!], $includeSubSegments: Boolean, $scope: Scope, $channels: [String!], $at: DateTime) {
    contentMatrix(journey: $journey, segments: $segments, includeSubSegments: $includeSubSegments, scope: $scope, channels: $channels, at: $at) {
      journey { key } at freshnessDays expiryLookaheadDays
      segments { key depth parentKey market }
      phases { key scope archetype }
      channels { key }
      cells {
        segment { key } phase { key } channel { key }
        status liveCount freshLiveCount liveAfterLookaheadCount plannedCount expectedMinimum
        counts { idea draft inReview scheduled published archived }
        touchpoints { name }
        coverageRule { minLive notExpected specificity }
      }
      summary {
        overall { key expectedCells coveredCells ratio }
        perSegment { key expectedCells coveredCells ratio }
        perPhase { key expectedCells coveredCells ratio }
        perScope { key expectedCells coveredCells ratio }
        perChannel { key expectedCells coveredCells ratio }
      }
    }
  }
`;

const GAPS = /* GraphQL */ `
  query ($journey: String!, $segments: [String!], $includeSubSegments: Boolean, $kinds: [GapKind!], $at: DateTime, $first: Int, $after: String) {
    contentGaps(journey: $journey, segments: $segments, includeSubSegments: $includeSubSegments, kinds: $kinds, at: $at, first: $first, after: $after) {
      totalCount at
      pageInfo { hasNextPage hasPreviousPage endCursor }
      edges { cursor node { kind severity message suggestedFormats segment { key } phase { key } channel { key } touchpoints { name } cell { status } } }
    }
  }
`;

const AT = new Date('2026-06-01T12:00:00.000Z');
const DAY = 86_400_000;
const days = (n: number, from = AT) => new Date(from.getTime() + n * DAY);

let app: TestApp;
let ws: WorkspaceKeys;
let f: Fixture;

interface Cell {
  segment: { key: string };
  phase: { key: string };
  channel: { key: string };
  status: string;
  liveCount: number;
  expectedMinimum: number;
  [field: string]: unknown;
}

async function matrix(variables: Record<string, unknown>, key = ws.EDITOR) {
  const res = await app.gql(key, MATRIX, { journey: 'b2b', at: AT.toISOString(), ...variables });
  expect(res.errors).toBeUndefined();
  return res.data?.contentMatrix;
}
function cellOf(m: { cells: Cell[] }, segment: string, phase: string, channel: string): Cell {
  const cell = m.cells.find((c) => c.segment.key === segment && c.phase.key === phase && c.channel.key === channel);
  if (!cell) throw new Error(`no cell ${segment}/${phase}/${channel}`);
  return cell;
}
const status = async (segment: string, phase: string, channel: string, at = AT) => cellOf(await matrix({ at: at.toISOString() }), segment, phase, channel).status;

beforeAll(async () => {
  app = await startTestApp();
  ws = await app.workspace();
  f = new Fixture(app.database.prisma, ws.workspaceId);
  await f.journey('b2b', [['awareness', 'BECOME'], ['decision', 'BECOME'], ['onboarding', 'BE'], ['retention', 'STAY']]);
  await f.segment('mkb', undefined, 'B2B');
  await f.segment('zzp', 'mkb', 'B2B');
  await f.segment('corporate', undefined, 'B2B');
  await f.channel('website');
  await f.channel('email');
  await f.journey('b2c', [['awareness', 'BECOME']]);
  await f.segment('families', undefined, 'B2C');

  // awareness × website: a touchpoint for every segment, covered by one generic piece.
  await f.touchpoint('Homepage', 'awareness', 'website');
  await f.piece({ title: 'generic awareness', phases: ['awareness'], channels: ['website'], reviewAt: days(100) });
  // awareness × email: content but nobody expects it.
  await f.piece({ title: 'unasked', phases: ['awareness'], channels: ['email'], reviewAt: days(100) });
  // decision × website: a rule wants 2 for mkb; 1 live.
  await f.rule({ segment: 'mkb', phase: 'decision', channel: 'website' }, { minLive: 2 });
  await f.piece({ title: 'one offer', phases: ['decision'], channels: ['website'], segments: ['mkb'], reviewAt: days(100) });
  // decision × email: a painful sales moment for mkb only, nothing made (a draft for corporate does not count).
  await f.touchpoint('Quote e-mail', 'decision', 'email', { segment: 'mkb', salesOpportunity: true, emotion: -2 });
  await f.piece({ title: 'corporate quote', phases: ['decision'], channels: ['email'], segments: ['corporate'], status: 'DRAFT' });
  // onboarding × website: for everyone; mkb has a draft and an archived piece.
  await f.touchpoint('Welcome page', 'onboarding', 'website');
  await f.piece({ title: 'welcome draft', phases: ['onboarding'], channels: ['website'], segments: ['mkb'], status: 'DRAFT' });
  await f.piece({ title: 'old welcome', phases: ['onboarding'], channels: ['website'], segments: ['mkb'], status: 'ARCHIVED' });
  // onboarding × email: the only live piece is due for review now.
  await f.touchpoint('Welcome e-mail', 'onboarding', 'email');
  await f.piece({ title: 'welcome mail', phases: ['onboarding'], channels: ['email'], reviewAt: AT });
  // retention × website: the only live piece expires at the end of the 14-day look-ahead.
  await f.touchpoint('Account page', 'retention', 'website');
  await f.piece({ title: 'renewal page', phases: ['retention'], channels: ['website'], reviewAt: days(100), expiresAt: days(14) });
  // retention × email: expiring too, but a scheduled piece replaces it.
  await f.touchpoint('Newsletter', 'retention', 'email');
  await f.piece({ title: 'spring newsletter', phases: ['retention'], channels: ['email'], reviewAt: days(100), expiresAt: days(5) });
  await f.piece({ title: 'summer newsletter', phases: ['retention'], channels: ['email'], status: 'SCHEDULED', publishAt: days(4), reviewAt: days(100) });
});
afterAll(() => app.close());

describe('contentMatrix cell statuses', () => {
  it('COVERED: the expected minimum is live and fresh; generic pieces count for every segment row', async () => {
    const m = await matrix({});
    for (const segment of ['mkb', 'zzp', 'corporate']) {
      expect(cellOf(m, segment, 'awareness', 'website')).toMatchObject({ status: 'COVERED', liveCount: 1, expectedMinimum: 1, touchpoints: [{ name: 'Homepage' }] });
    }
  });

  it('NOT_EXPECTED: content without a touchpoint or rule is counted but not expected', async () => {
    expect(cellOf(await matrix({}), 'mkb', 'awareness', 'email')).toMatchObject({ status: 'NOT_EXPECTED', liveCount: 1, expectedMinimum: 0, touchpoints: [] });
  });

  it('THIN: fewer live pieces than a coverage rule\'s minLive', async () => {
    expect(cellOf(await matrix({}), 'mkb', 'decision', 'website')).toMatchObject({
      status: 'THIN', liveCount: 1, expectedMinimum: 2, coverageRule: { minLive: 2, notExpected: false, specificity: 3 },
    });
  });

  it('MISSING: expected and nothing live or planned; another segment\'s draft does not count', async () => {
    expect(cellOf(await matrix({}), 'mkb', 'decision', 'email')).toMatchObject({ status: 'MISSING', liveCount: 0, plannedCount: 0, touchpoints: [{ name: 'Quote e-mail' }] });
  });

  it('PLANNED_ONLY: nothing live but a draft in the pipeline; archived pieces are counted but not planned', async () => {
    expect(cellOf(await matrix({}), 'mkb', 'onboarding', 'website')).toMatchObject({
      status: 'PLANNED_ONLY', plannedCount: 1, counts: { idea: 0, draft: 1, inReview: 0, scheduled: 0, published: 0, archived: 1 },
    });
  });

  it('pieces and touchpoints for a parent segment do not cover its sub-segments\' cells', async () => {
    const m = await matrix({});
    expect(cellOf(m, 'zzp', 'onboarding', 'website')).toMatchObject({ status: 'MISSING', plannedCount: 0 });
    expect(cellOf(m, 'zzp', 'decision', 'email')).toMatchObject({ status: 'NOT_EXPECTED', touchpoints: [] });
    expect(cellOf(m, 'zzp', 'decision', 'website')).toMatchObject({ status: 'NOT_EXPECTED', liveCount: 0 });
  });

  it('STALE: every live piece is past its reviewAt (reviewAt = at is due)', async () => {
    expect(await status('mkb', 'onboarding', 'email')).toBe('STALE');
    expect(await status('mkb', 'onboarding', 'email', new Date(AT.getTime() - 1))).toBe('COVERED');
  });

  it('STALE without reviewAt: last updated at or before the freshness window (365 days by default)', async () => {
    const w = await app.workspace('freshness');
    const g = new Fixture(app.database.prisma, w.workspaceId);
    await g.journey('b2b', [['awareness', 'BECOME']]);
    await g.segment('all');
    await g.channel('web');
    await g.touchpoint('Home', 'awareness', 'web');
    await g.piece({ title: 'old', phases: ['awareness'], channels: ['web'], updatedAt: days(-365) });
    const at = async (when: Date) => cellOf((await app.gql(w.EDITOR, MATRIX, { journey: 'b2b', at: when.toISOString() })).data?.contentMatrix, 'all', 'awareness', 'web');
    expect(await at(AT)).toMatchObject({ status: 'STALE', liveCount: 1, freshLiveCount: 0 });
    expect(await at(new Date(AT.getTime() - 1))).toMatchObject({ status: 'COVERED', freshLiveCount: 1 });
    await app.database.prisma.workspace.update({ where: { id: w.workspaceId }, data: { freshnessDays: 400 } });
    expect(await at(AT)).toMatchObject({ status: 'COVERED' });
  });

  it('EXPIRING: every live piece expires within the 14-day look-ahead (its end included) and nothing replaces it', async () => {
    expect(await status('mkb', 'retention', 'website')).toBe('EXPIRING');
    expect(await status('mkb', 'retention', 'website', new Date(AT.getTime() - 1))).toBe('COVERED');
    expect(cellOf(await matrix({}), 'mkb', 'retention', 'email')).toMatchObject({ status: 'COVERED', liveAfterLookaheadCount: 1 });
  });

  it('the live window\'s edges: live from publishAt = at, no longer live at expiresAt = at', async () => {
    // The expiring renewal page: at its expiresAt nothing is live.
    expect(await status('mkb', 'retention', 'website', days(14))).toBe('MISSING');
    // The scheduled newsletter is not live even at its publishAt (it is not PUBLISHED), but it is planned.
    expect(await status('mkb', 'retention', 'email', days(5))).toBe('PLANNED_ONLY');
    await f.piece({ title: 'timed', phases: ['retention'], channels: ['email'], segments: ['corporate'], publishAt: days(10), reviewAt: days(100) });
    expect(await status('corporate', 'retention', 'email', days(10))).toBe('COVERED');
    // A millisecond earlier it is not live yet; the generic scheduled newsletter is still in the pipeline.
    expect(await status('corporate', 'retention', 'email', new Date(days(10).getTime() - 1))).toBe('PLANNED_ONLY');
  });
});

describe('contentMatrix rows, columns and summaries', () => {
  it('rows are each segment followed by its sub-segments; columns by position; channels by key', async () => {
    const m = await matrix({});
    expect(m.journey.key).toBe('b2b');
    expect(m.segments).toEqual([
      { key: 'corporate', depth: 0, parentKey: null, market: 'B2B' },
      { key: 'mkb', depth: 0, parentKey: null, market: 'B2B' },
      { key: 'zzp', depth: 1, parentKey: 'mkb', market: 'B2B' },
    ]);
    expect(m.phases.map((p: { key: string }) => p.key)).toEqual(['awareness', 'decision', 'onboarding', 'retention']);
    expect(m.channels.map((c: { key: string }) => c.key)).toEqual(['email', 'website']);
    expect(m.cells).toHaveLength(3 * 4 * 2);
    expect([m.freshnessDays, m.expiryLookaheadDays]).toEqual([365, 14]);
  });

  it('filters: asked segments with or without sub-segments, one scope, channels in the asked order', async () => {
    expect((await matrix({ segments: ['mkb'] })).segments.map((s: { key: string }) => s.key)).toEqual(['mkb', 'zzp']);
    const narrow = await matrix({ segments: ['mkb'], includeSubSegments: false, scope: 'BECOME', channels: ['website', 'email'] });
    expect(narrow.segments.map((s: { key: string }) => s.key)).toEqual(['mkb']);
    expect(narrow.phases.map((p: { key: string }) => p.key)).toEqual(['awareness', 'decision']);
    expect(narrow.channels.map((c: { key: string }) => c.key)).toEqual(['website', 'email']);
    expect(narrow.cells).toHaveLength(4);
    expect(narrow.summary.perScope).toEqual([{ key: 'BECOME', expectedCells: 3, coveredCells: 1, ratio: 1 / 3 }]);
  });

  it('summaries: covered expected cells / expected cells overall, per segment, phase, scope and channel; null without expected cells', async () => {
    const { summary } = await matrix({ segments: ['mkb'], includeSubSegments: false });
    // mkb expected: awareness/website COVERED, decision/website THIN, decision/email MISSING, onboarding/website PLANNED_ONLY,
    // onboarding/email STALE, retention/website EXPIRING (covered today), retention/email COVERED.
    expect(summary.overall).toEqual({ key: 'b2b', expectedCells: 7, coveredCells: 3, ratio: 3 / 7 });
    expect(summary.perSegment).toEqual([{ key: 'mkb', expectedCells: 7, coveredCells: 3, ratio: 3 / 7 }]);
    expect(summary.perPhase).toEqual([
      { key: 'awareness', expectedCells: 1, coveredCells: 1, ratio: 1 },
      { key: 'decision', expectedCells: 2, coveredCells: 0, ratio: 0 },
      { key: 'onboarding', expectedCells: 2, coveredCells: 0, ratio: 0 },
      { key: 'retention', expectedCells: 2, coveredCells: 2, ratio: 1 },
    ]);
    expect(summary.perScope).toEqual([
      { key: 'BECOME', expectedCells: 3, coveredCells: 1, ratio: 1 / 3 },
      { key: 'BE', expectedCells: 2, coveredCells: 0, ratio: 0 },
      { key: 'STAY', expectedCells: 2, coveredCells: 2, ratio: 1 },
    ]);
    expect(summary.perChannel).toEqual([
      { key: 'email', expectedCells: 3, coveredCells: 1, ratio: 1 / 3 },
      { key: 'website', expectedCells: 4, coveredCells: 2, ratio: 0.5 },
    ]);
    const b2c = await matrix({ journey: 'b2c' });
    expect(b2c.summary.overall).toEqual({ key: 'b2c', expectedCells: 0, coveredCells: 0, ratio: null });
  });
});

describe('coverage rule precedence', () => {
  it('the most specific rule wins; at equal specificity segment beats phase beats channel; notExpected silences touchpoints', async () => {
    const w = await app.workspace('rules');
    const g = new Fixture(app.database.prisma, w.workspaceId);
    await g.journey('j', [['p1', 'BECOME'], ['p2', 'STAY']]);
    await g.segment('s1');
    await g.segment('s2');
    await g.channel('c1');
    await g.channel('c2');
    await g.touchpoint('Silenced', 'p2', 'c2');
    await g.rule({}, { minLive: 2 });
    await g.rule({ phase: 'p2' }, { notExpected: true });
    await g.rule({ segment: 's1' }, { minLive: 4 });
    await g.rule({ channel: 'c2' }, { minLive: 5 });
    await g.rule({ segment: 's1', phase: 'p1' }, { minLive: 3 });
    await g.rule({ segment: 's1', phase: 'p1', channel: 'c1' }, { notExpected: true });
    const res = await app.gql(w.EDITOR, MATRIX, { journey: 'j', at: AT.toISOString() });
    const m = res.data?.contentMatrix;
    const min = (s: string, p: string, c: string) => cellOf(m, s, p, c).expectedMinimum;
    expect(min('s1', 'p1', 'c1')).toBe(0); // all three named: notExpected
    expect(min('s1', 'p1', 'c2')).toBe(3); // segment + phase beats channel alone
    expect(min('s1', 'p2', 'c1')).toBe(4); // segment beats phase at equal specificity
    expect(min('s2', 'p2', 'c2')).toBe(0); // phase beats channel at equal specificity; the touchpoint is silenced
    expect(min('s2', 'p1', 'c2')).toBe(5); // channel rule beats the catch-all
    expect(min('s2', 'p1', 'c1')).toBe(2); // only the catch-all
    expect(cellOf(m, 's2', 'p2', 'c2')).toMatchObject({ status: 'NOT_EXPECTED', touchpoints: [{ name: 'Silenced' }], coverageRule: { notExpected: true, specificity: 1 } });
  });
});

describe('contentGaps', () => {
  async function gaps(variables: Record<string, unknown>, key = ws.EDITOR) {
    const res = await app.gql(key, GAPS, { journey: 'b2b', at: AT.toISOString(), ...variables });
    expect(res.errors).toBeUndefined();
    return res.data?.contentGaps;
  }

  it('lists the cells that need work, most severe first: MISSING > STALE > THIN > EXPIRING > PLANNED_ONLY, painful sales moments and earlier scopes first', async () => {
    const page = await gaps({ segments: ['mkb'], includeSubSegments: false, first: 100 });
    const seen = page.edges.map((e: { node: { kind: string; phase: { key: string }; channel: { key: string } } }) => `${e.node.kind} ${e.node.phase.key}/${e.node.channel.key}`);
    expect(seen).toEqual(['MISSING decision/email', 'STALE onboarding/email', 'THIN decision/website', 'EXPIRING retention/website', 'PLANNED_ONLY onboarding/website']);
    const severities = page.edges.map((e: { node: { severity: number } }) => e.node.severity);
    expect([...severities].sort((a, b) => b - a)).toEqual(severities);
    expect(page.totalCount).toBe(5);
    // The same kind weighs more with a painful sales moment: zzp's onboarding/website MISSING (no touchpoint pain, scope BE) ranks below mkb's decision/email.
    const all = await gaps({ kinds: ['MISSING'] });
    expect(all.edges[0].node).toMatchObject({ segment: { key: 'mkb' }, phase: { key: 'decision' }, channel: { key: 'email' } });
    expect(all.edges[0].node.severity).toBeGreaterThan(all.edges[1].node.severity);
  });

  it('explains each gap in a sentence naming the segment, phase, scope, channel and touchpoints, and suggests formats for the archetype and market', async () => {
    const page = await gaps({ segments: ['mkb'], kinds: ['MISSING'] });
    const gap = page.edges[0].node;
    expect(gap.message).toBe(
      'Nothing is live or in the pipeline for segment "MKB" in phase "decision" (BECOME: becoming a customer) on channel "email". Expected by touchpoint "Quote e-mail" (a sales opportunity, emotion -2).',
    );
    expect(gap.touchpoints).toEqual([{ name: 'Quote e-mail' }]);
    // The fixture's BECOME phases are AWARENESS; B2B gets the B2B list.
    expect(gap.suggestedFormats).toEqual(['THOUGHT_LEADERSHIP_ARTICLE', 'PRESS_RELEASE', 'PODCAST', 'BLOG_POST', 'SOCIAL_POST']);
    const thin = (await gaps({ segments: ['mkb'], kinds: ['THIN'] })).edges[0].node;
    expect(thin.message).toBe(
      'Only 1 of 2 expected live pieces are live for segment "MKB" in phase "decision" (BECOME: becoming a customer) on channel "website". A coverage rule for segment "MKB" × phase "decision" × channel "website" expects 2 live pieces.',
    );
  });

  it('suggests consumer formats for a B2C segment', async () => {
    const w = await app.workspace('b2c formats');
    const g = new Fixture(app.database.prisma, w.workspaceId);
    await g.journey('j', [['stay', 'STAY']]);
    await g.segment('families', undefined, 'B2C');
    await g.channel('email');
    await g.touchpoint('Newsletter', 'stay', 'email');
    const res = await app.gql(w.EDITOR, GAPS, { journey: 'j', at: AT.toISOString() });
    expect(res.data?.contentGaps.edges[0].node.suggestedFormats).toEqual(['NEWSLETTER', 'LOYALTY_OFFER', 'PERSONAL_EMAIL', 'SERVICE_MESSAGE']);
  });

  it('pages through the ranking with cursors that keep the first page\'s instant', async () => {
    const whole = await gaps({ first: 100 });
    const first = await gaps({ first: 2 });
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const second = await gaps({ first: 100, after: first.pageInfo.endCursor, at: new Date(AT.getTime() + 400 * DAY).toISOString() });
    expect(second.at).toBe(AT.toISOString());
    expect(second.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    const keyOf = (e: { node: { kind: string; segment: { key: string }; phase: { key: string }; channel: { key: string } } }) => `${e.node.kind} ${e.node.segment.key}/${e.node.phase.key}/${e.node.channel.key}`;
    expect([...first.edges, ...second.edges].map(keyOf)).toEqual(whole.edges.map(keyOf));
    expect(second.totalCount).toBe(whole.totalCount);
  });
});

describe('arguments, roles and isolation', () => {
  it('bad keys and arguments answer BAD_USER_INPUT naming the argument', async () => {
    const cases: [string, Record<string, unknown>, string][] = [
      [MATRIX, { journey: 'nope' }, 'journey'],
      [MATRIX, { segments: ['nope'] }, 'segments'],
      [MATRIX, { segments: ['families'] }, 'segments'], // follows another journey
      [MATRIX, { channels: ['website', 'fax'] }, 'channels'],
      [GAPS, { journey: 'nope' }, 'journey'],
      [GAPS, { first: -1 }, 'first'],
      [GAPS, { first: 101 }, 'first'],
      [GAPS, { after: 'garbage' }, 'after'],
    ];
    for (const [query, variables, argument] of cases) {
      const res = await app.gql(ws.EDITOR, query, { journey: 'b2b', ...variables });
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
    }
  });

  it('EDITOR and ADMIN keys read the matrix and the gaps; DELIVERY keys are FORBIDDEN; no key is UNAUTHENTICATED', async () => {
    for (const key of [ws.EDITOR, ws.ADMIN]) {
      expect((await app.gql(key, MATRIX, { journey: 'b2b' })).errors).toBeUndefined();
      expect((await app.gql(key, GAPS, { journey: 'b2b' })).errors).toBeUndefined();
    }
    for (const query of [MATRIX, GAPS]) {
      expect((await app.gql(ws.DELIVERY, query, { journey: 'b2b' })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect((await app.gql(null, query, { journey: 'b2b' })).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
  });

  it('another workspace sees none of this one\'s journeys, segments, channels, content, touchpoints or rules', async () => {
    const other = await app.workspace('other');
    const res = await app.gql(other.EDITOR, MATRIX, { journey: 'b2b' });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'journey' });
    // Same keys in the other workspace: its own, empty matrix.
    const g = new Fixture(app.database.prisma, other.workspaceId);
    await g.journey('b2b', [['awareness', 'BECOME']]);
    await g.segment('solo');
    await g.channel('website');
    const own = await app.gql(other.EDITOR, MATRIX, { journey: 'b2b' });
    expect(own.data?.contentMatrix.segments.map((s: { key: string }) => s.key)).toEqual(['solo']);
    expect(own.data?.contentMatrix.cells).toEqual([
      expect.objectContaining({ status: 'NOT_EXPECTED', liveCount: 0, touchpoints: [], coverageRule: null, counts: { idea: 0, draft: 0, inReview: 0, scheduled: 0, published: 0, archived: 0 } }),
    ]);
    for (const [query, variables, argument] of [
      [MATRIX, { segments: ['mkb'] }, 'segments'],
      [MATRIX, { channels: ['email'] }, 'channels'],
    ] as const) {
      expect((await app.gql(other.EDITOR, query, { journey: 'b2b', ...variables })).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
    }
    expect((await app.gql(other.EDITOR, GAPS, { journey: 'b2b' })).data?.contentGaps.totalCount).toBe(0);
  });

  it('counts afresh, off the main thread, only the cells whose kept counts ran out, and keeps them for the next matrix', async () => {
    const db = app.database.prisma;
    const matrix = async () => ({ ...(await app.gql(ws.EDITOR, MATRIX, { journey: 'b2b' })).data?.contentMatrix, at: 'the instant asked' });
    const before = await matrix();
    await waitForKeptCells(ws.workspaceId);
    const kept = app.database.statements.analyzed;
    expect(await matrix()).toEqual(before);
    expect(app.database.statements.analyzed, 'every kept row still holds: nothing counted').toBe(kept);

    // As if their time had passed: the matrix must count these again, and gets the same answer.
    await db.contentCell.updateMany({ where: { workspaceId: ws.workspaceId }, data: { validUntil: new Date(0) } });
    expect(await matrix()).toEqual(before);
    expect(app.database.statements.analyzed, 'one recount, through analyze()').toBe(kept + 1);
    await waitForKeptCells(ws.workspaceId);
    expect(await matrix()).toEqual(before);
    expect(app.database.statements.analyzed, 'the recount was kept').toBe(kept + 1);
  });

  it('a matrix costs at most 5 SQL statements whatever its size, and so does the gap list', async () => {
    await app.gql(ws.EDITOR, '{ __typename }'); // the key is now cached
    // Four for the matrix; the fifth loads the winning rules' `specificity` (one batched lookup, asked for by this query).
    expect(await app.countStatements(() => app.gql(ws.EDITOR, MATRIX, { journey: 'b2b' }))).toBeLessThanOrEqual(5);
    expect(await app.countStatements(() => app.gql(ws.EDITOR, MATRIX, { journey: 'b2b', segments: ['zzp'], channels: ['email'] }))).toBeLessThanOrEqual(5);
    const lean = '{ contentMatrix(journey: "b2b") { cells { status liveCount touchpoints { name } } summary { overall { ratio } } } }';
    expect(await app.countStatements(() => app.gql(ws.EDITOR, lean))).toBe(4);
    expect(await app.countStatements(() => app.gql(ws.EDITOR, GAPS, { journey: 'b2b', first: 100 }))).toBeLessThanOrEqual(5);
  });
});

/** Waits until the workspace's kept cells all hold now (a matrix keeps its recounts just after answering). */
async function waitForKeptCells(workspaceId: string) {
  for (let attempt = 0; attempt < 100; attempt++) {
    const outdated = await app.database.prisma.contentCell.count({ where: { workspaceId, validUntil: { lte: new Date() } } });
    if (outdated === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('the recounted cells were never kept');
}

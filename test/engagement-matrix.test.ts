import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lookAtCoverage } from '../src/webhooks/coverage.js';
import { startTestApp, type TestApp, type WorkspaceKeys } from './support/app.js';
import { Fixture } from './support/fixtures.js';
import { recordTotals, type RecordedTotals } from './support/interactions.js';

const MATRIX = /* GraphQL */ `
  query ($journey: String!, $segments: [String!], $channels: [String!]) {
    contentMatrix(journey: $journey, segments: $segments, channels: $channels) {
      cells { segment { key } phase { key } channel { key } status liveCount engagement { impressions clicks conversions clickThroughRate conversionRate } }
    }
  }
`;

const GAPS = /* GraphQL */ `
  query ($journey: String!, $segments: [String!], $kinds: [GapKind!]) {
    contentGaps(journey: $journey, segments: $segments, kinds: $kinds, first: 100) {
      totalCount
      edges { node { kind severity message suggestedFormats segment { key } phase { key } channel { key } cell { status engagement { impressions conversionRate } } } }
    }
  }
`;

let app: TestApp;
let ws: WorkspaceKeys;
let f: Fixture;
const pieces = new Map<string, string>();

type Counts = Omit<RecordedTotals, 'pieceId' | 'segmentId' | 'phaseId' | 'channelId'>;

/** Interactions of `piece` in the cell segment × phase × channel of fixture `on`. */
const at = (on: Fixture, piece: string, segment: string, phase: string, channel: string, counts: Counts): RecordedTotals => ({
  pieceId: pieces.get(piece) as string,
  segmentId: on.segments.get(segment) as string,
  phaseId: on.phase(phase),
  channelId: on.channels.get(channel) as string,
  ...counts,
});

interface CellAnswer {
  segment: { key: string };
  phase: { key: string };
  channel: { key: string };
  status: string;
  liveCount: number;
  engagement: { impressions: number; clicks: number; conversions: number; clickThroughRate: number | null; conversionRate: number | null };
}

async function matrix(variables: Record<string, unknown> = {}, key = ws.EDITOR) {
  const res = await app.gql(key, MATRIX, { journey: 'b2c', ...variables });
  expect(res.errors).toBeUndefined();
  return res.data?.contentMatrix.cells as CellAnswer[];
}
const cellOf = (cells: CellAnswer[], segment: string, phase: string, channel: string) =>
  cells.find((c) => c.segment.key === segment && c.phase.key === phase && c.channel.key === channel) as CellAnswer;

async function gaps(variables: Record<string, unknown> = {}) {
  const res = await app.gql(ws.EDITOR, GAPS, { journey: 'b2c', ...variables });
  expect(res.errors).toBeUndefined();
  return res.data?.contentGaps as { totalCount: number; edges: { node: Record<string, any> }[] };
}
const underperforming = async (variables: Record<string, unknown> = {}) =>
  (await gaps(variables)).edges.map((e) => e.node).filter((g) => g.kind === 'UNDERPERFORMING');

beforeAll(async () => {
  app = await startTestApp();
  ws = await app.workspace();
  f = new Fixture(app.database.prisma, ws.workspaceId);
  await f.journey('b2c', [['awareness', 'BECOME'], ['decision', 'BECOME'], ['loyalty', 'STAY']]);
  for (const segment of ['a', 'b', 'c', 'd']) await f.segment(segment);
  await f.channel('web');
  await f.channel('mail');
  const generic = await f.piece({ title: 'generic', phases: ['awareness', 'decision'], channels: ['web'] });
  pieces.set('generic', generic.id);
  const forD = await f.piece({ title: 'for d', phases: ['awareness'], channels: ['web'], segments: ['d'] });
  pieces.set('for d', forD.id);
  const draft = await f.piece({ title: 'draft', phases: ['decision'], channels: ['mail'], status: 'DRAFT' });
  pieces.set('draft', draft.id);
  // Expected where d underperforms, so it is THIN as well (two live pieces wanted).
  await f.rule({ segment: 'd', phase: 'awareness', channel: 'web' }, { minLive: 3 });
  await recordTotals(app.database, ws.workspaceId, [
    // awareness × web converts 5 %, 4 %, 6 % and (d) 1 %: the median is 4.5 %.
    at(f, 'generic', 'a', 'awareness', 'web', { impressions: 1000, clicks: 100, conversions: 50 }),
    at(f, 'generic', 'b', 'awareness', 'web', { impressions: 1000, clicks: 100, conversions: 40 }),
    at(f, 'generic', 'c', 'awareness', 'web', { impressions: 1000, clicks: 100, conversions: 60 }),
    at(f, 'generic', 'd', 'awareness', 'web', { impressions: 600, clicks: 90, conversions: 6 }),
    at(f, 'for d', 'd', 'awareness', 'web', { impressions: 400, clicks: 10, conversions: 4 }),
    // Too few impressions to judge or to count in the median, though nothing converts.
    at(f, 'generic', 'a', 'awareness', 'mail', { impressions: 150 }),
    // decision records no conversions at all: judged by clicks, 10 %, 8 %, 1 %, and 0 % where nothing is live.
    at(f, 'generic', 'a', 'decision', 'web', { impressions: 500, clicks: 50 }),
    at(f, 'generic', 'b', 'decision', 'web', { impressions: 500, clicks: 40 }),
    at(f, 'generic', 'c', 'decision', 'web', { impressions: 500, clicks: 5 }),
    at(f, 'draft', 'd', 'decision', 'mail', { impressions: 500 }),
  ]);
});
afterAll(() => app.close());

describe('contentMatrix engagement', () => {
  it('sums what was recorded in each cell over every piece, with its rates', async () => {
    const cells = await matrix();
    expect(cellOf(cells, 'd', 'awareness', 'web').engagement).toEqual({ impressions: 1000, clicks: 100, conversions: 10, clickThroughRate: 0.1, conversionRate: 0.01 });
    expect(cellOf(cells, 'a', 'awareness', 'mail').engagement).toEqual({ impressions: 150, clicks: 0, conversions: 0, clickThroughRate: 0, conversionRate: 0 });
    expect(cellOf(cells, 'b', 'loyalty', 'mail').engagement).toEqual({ impressions: 0, clicks: 0, conversions: 0, clickThroughRate: null, conversionRate: null });
  });

  it('costs no statement more than the matrix without it', async () => {
    const lean = '{ contentMatrix(journey: "b2c") { cells { status liveCount } } }';
    const engaged = '{ contentMatrix(journey: "b2c") { cells { status liveCount engagement { impressions conversionRate } } } }';
    await app.gql(ws.EDITOR, lean); // the key is cached, the cells' counts kept
    await app.gql(ws.EDITOR, engaged);
    const without = await app.countStatements(() => app.gql(ws.EDITOR, lean));
    expect(await app.countStatements(() => app.gql(ws.EDITOR, engaged))).toBe(without);
    expect(await app.countStatements(() => app.gql(ws.EDITOR, GAPS, { journey: 'b2c' }))).toBe(without);
  });

  it('is for EDITOR and ADMIN keys, like the matrix', async () => {
    expect((await app.gql(ws.DELIVERY, MATRIX, { journey: 'b2c' })).errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect((await app.gql(ws.DELIVERY, GAPS, { journey: 'b2c' })).errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect(cellOf(await matrix({}, ws.ADMIN), 'd', 'awareness', 'web').engagement.impressions).toBe(1000);
  });
});

describe('contentGaps UNDERPERFORMING', () => {
  it('lists live cells far below their phase\'s median conversion rate, with a severity, formats and a sentence', async () => {
    const found = await underperforming();
    const awareness = found.find((g) => g.phase.key === 'awareness');
    expect(awareness).toMatchObject({ segment: { key: 'd' }, channel: { key: 'web' }, cell: { status: 'THIN', engagement: { impressions: 1000, conversionRate: 0.01 } } });
    // Shortfall 1 − 1 / 4.5 ≈ 0.78: (20 + 20 × 0.78) × 1.2 for BECOME.
    expect(awareness?.severity).toBe(42.7);
    expect(awareness?.suggestedFormats).toEqual(['SOCIAL_POST', 'SHORT_VIDEO', 'BLOG_POST', 'ONLINE_AD', 'PRESS_RELEASE']);
    expect(awareness?.message).toBe(
      'Live content (2 pieces) converts at 1.0% (10 conversions from 1000 impressions) for segment "D" in phase "awareness" (BECOME: becoming a customer) on channel "web", below 50% of the phase\'s median of 4.5%.',
    );
  });

  it('judges by clicks in a phase where no cell records conversions', async () => {
    const decision = (await underperforming()).filter((g) => g.phase.key === 'decision');
    // Medians of 10 %, 8 %, 1 % and 0 %: 4.5 %; c is clicked at 1 %; d's cell has nothing live.
    expect(decision.map((g) => `${g.segment.key} ${g.channel.key}`)).toEqual(['c web']);
    expect(decision[0]?.message).toContain('is clicked at 1.0% (5 clicks from 500 impressions)');
  });

  it('judges nothing with too few impressions, and keeps the cells\' statuses and the other kinds as they were', async () => {
    const found = await underperforming();
    expect(found.map((g) => `${g.segment.key} ${g.phase.key} ${g.channel.key}`).sort()).toEqual(['c decision web', 'd awareness web']);
    const all = await gaps();
    // d × awareness × web is THIN and UNDERPERFORMING: listed once per kind.
    expect(all.edges.filter((e) => e.node.segment.key === 'd' && e.node.phase.key === 'awareness' && e.node.channel.key === 'web').map((e) => e.node.kind)).toEqual(['UNDERPERFORMING', 'THIN']);
    const coverage = await gaps({ kinds: ['MISSING', 'STALE', 'THIN', 'EXPIRING', 'PLANNED_ONLY'] });
    expect(coverage.totalCount).toBe(all.totalCount - 2);
    expect((await gaps({ kinds: ['UNDERPERFORMING'] })).totalCount).toBe(2);
  });

  it('measures against the whole phase, whichever segments are shown', async () => {
    expect((await underperforming({ segments: ['d'] })).map((g) => g.segment.key)).toEqual(['d']);
  });

  it('opens no coverage webhook: the webhooks\' look at coverage has no UNDERPERFORMING gap and no other change', async () => {
    const now = new Date();
    const look = await lookAtCoverage(app.database, ws.workspaceId, now);
    expect(look.gaps.map((g) => g.kind)).not.toContain('UNDERPERFORMING');
    const coverageKinds = (await gaps({ kinds: ['MISSING', 'STALE', 'THIN', 'EXPIRING', 'PLANNED_ONLY'] })).edges.map((e) => `${e.node.kind} ${e.node.segment.key} ${e.node.phase.key} ${e.node.channel.key}`);
    expect(look.gaps.map((g) => `${g.kind} ${keyOf('segments', g.segmentId)} ${keyOf('phases', g.phaseId)} ${keyOf('channels', g.channelId)}`).sort()).toEqual(coverageKinds.sort());
  });
});

describe('engagement across workspaces', () => {
  it('never shows or judges by another workspace\'s interactions', async () => {
    const beforeCells = await matrix();
    const beforeGaps = await gaps();
    const other = await app.workspace('Other');
    const g = new Fixture(app.database.prisma, other.workspaceId);
    await g.journey('b2c', [['awareness', 'BECOME']]);
    await g.segment('a');
    await g.channel('web');
    const theirs = await g.piece({ title: 'theirs', phases: ['awareness'], channels: ['web'] });
    pieces.set('theirs', theirs.id);
    await recordTotals(app.database, other.workspaceId, [at(g, 'theirs', 'a', 'awareness', 'web', { impressions: 5000, conversions: 2500 })]);
    // A row naming this workspace's cell under theirs: the recording code never writes one, and readers ignore it.
    await app.database.prisma.interactionTotal.create({
      data: { workspaceId: other.workspaceId, pieceId: theirs.id, segmentId: f.segments.get('b') as string, phaseId: f.phase('awareness'), channelId: f.channels.get('web') as string, impressions: 9000, conversions: 9000 },
    });
    expect(await matrix()).toEqual(beforeCells);
    expect(await gaps()).toEqual(beforeGaps);
    const own = await app.gql(other.EDITOR, MATRIX, { journey: 'b2c' });
    expect(own.data?.contentMatrix.cells.map((c: CellAnswer) => c.engagement.impressions)).toEqual([5000]);
  });
});

function keyOf(kind: 'segments' | 'phases' | 'channels', id: string): string {
  if (kind === 'phases') return [...f.phases.entries()].find(([key, p]) => p.id === id && !key.includes(':'))?.[0] ?? id;
  return [...f[kind].entries()].find(([, value]) => value === id)?.[0] ?? id;
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { startTestApp, type TestApp, type WorkspaceKeys } from './support/app.js';
import { Fixture } from './support/fixtures.js';
import { recordTotals, type RecordedTotals } from './support/interactions.js';

const QUERY = /* GraphQL */ `
  query ($segment: String!, $phase: String!, $channel: String!, $locale: Locale, $first: Int, $after: String) {
    recommendedContent(segment: $segment, phase: $phase, channel: $channel, locale: $locale, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges {
        score
        node { id title externalId }
        reason { code codes message }
        report { pieceId externalId segmentKey phaseKey channelKey touchpointId }
      }
    }
  }
`;

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY);

let app: TestApp;
let ws: WorkspaceKeys;
let f: Fixture;
const ids = new Map<string, string>();

type Edge = { score: number; node: { id: string; title: string; externalId: string | null }; reason: { code: string; codes: string[]; message: string }; report: Record<string, string | null> };

async function recommend(variables: Record<string, unknown>, key = ws.DELIVERY, keys = ws) {
  const res = await app.gql(key === ws.DELIVERY && keys !== ws ? keys.DELIVERY : key, QUERY, { first: 100, ...variables });
  expect(res.errors).toBeUndefined();
  return res.data?.recommendedContent as { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: Edge[] };
}
const titles = (answer: { edges: Edge[] }) => answer.edges.map((e) => e.node.title);

/** Interactions for pieces (by title) in a cell of the fixture `on`. */
function totals(on: Fixture, cell: { segment: string; phase: string; channel: string }, counts: Record<string, Omit<RecordedTotals, 'pieceId' | 'segmentId' | 'phaseId' | 'channelId'>>): RecordedTotals[] {
  return Object.entries(counts).map(([title, c]) => ({
    pieceId: ids.get(title) as string,
    segmentId: on.segments.get(cell.segment) as string,
    phaseId: on.phase(cell.phase),
    channelId: on.channels.get(cell.channel) as string,
    ...c,
  }));
}

async function piece(title: string, spec: Partial<Parameters<Fixture['piece']>[0]> & { phases: string[]; channels: string[] }, on = f) {
  const created = await on.piece({ title, ...spec });
  ids.set(title, created.id);
  return created;
}

beforeAll(async () => {
  app = await startTestApp();
  ws = await app.workspace();
  f = new Fixture(app.database.prisma, ws.workspaceId);
  await f.journey('b2b', [['awareness', 'BECOME'], ['decision', 'BECOME'], ['retention', 'STAY']]);
  await f.segment('mkb', undefined, 'B2B');
  await f.segment('zzp', 'mkb', 'B2B');
  await f.channel('website');
  await f.channel('email');
  // awareness × website: four generic pieces of one priority, freshest first without interactions.
  await piece('fresh', { phases: ['awareness'], channels: ['website'], publishAt: ago(1), externalId: 'cms-fresh' });
  await piece('recent', { phases: ['awareness'], channels: ['website'], publishAt: ago(2) });
  await piece('older', { phases: ['awareness'], channels: ['website'], publishAt: ago(3) });
  await piece('oldest', { phases: ['awareness'], channels: ['website'], publishAt: ago(4) });
  await piece('urgent', { phases: ['awareness'], channels: ['website'], publishAt: ago(30), priority: 90 });
  await piece('for zzp', { phases: ['awareness'], channels: ['website'], segments: ['zzp'], publishAt: ago(40), priority: 10 });
});
afterAll(() => app.close());

describe('recommendedContent ranked by engagement', () => {
  it('keeps today\'s order, scores and reasons while nothing is recorded in the cell', async () => {
    const before = await recommend({ segment: 'zzp', phase: 'awareness', channel: 'website' });
    expect(titles(before)).toEqual(['for zzp', 'urgent', 'fresh', 'recent', 'older', 'oldest']);
    expect(before.edges.flatMap((e) => e.reason.codes)).not.toContain('ENGAGEMENT');
    // Interactions in another cell (another segment asked for, another channel) change nothing here.
    await recordTotals(app.database, ws.workspaceId, [
      ...totals(f, { segment: 'mkb', phase: 'awareness', channel: 'website' }, { oldest: { impressions: 1000, clicks: 900 } }),
      ...totals(f, { segment: 'zzp', phase: 'awareness', channel: 'email' }, { oldest: { impressions: 1000, clicks: 900 } }),
    ]);
    expect(await recommend({ segment: 'zzp', phase: 'awareness', channel: 'website' })).toEqual(before);
  });

  it('puts the piece that engages better in this cell first within the same specificity and priority, and says so', async () => {
    const cell = { segment: 'mkb', phase: 'awareness', channel: 'website' };
    // 'oldest' engages best here (recorded above); 'older' engages worst; the others have no interactions.
    await recordTotals(app.database, ws.workspaceId, totals(f, cell, { older: { impressions: 2000, clicks: 10 }, recent: { impressions: 1000, views: 500 } }));
    const answer = await recommend(cell);
    // 'recent' has impressions without engaged actions (views do not count): below the cell's mean.
    expect(titles(answer)).toEqual(['urgent', 'oldest', 'fresh', 'recent', 'older']);
    const codes = Object.fromEntries(answer.edges.map((e) => [e.node.title, e.reason.codes]));
    expect(codes).toEqual({
      urgent: ['GENERIC'], // priority decided
      oldest: ['GENERIC', 'ENGAGEMENT'],
      fresh: ['GENERIC', 'ENGAGEMENT'], // at the mean, above 'recent'
      recent: ['GENERIC', 'ENGAGEMENT'],
      older: ['GENERIC'], // the last one
    });
    expect(answer.edges[1]?.reason.message).toMatch(/engages better here than the next piece \(\d+\.\d% against \d+\.\d%\)/);
    const scores = answer.edges.map((e) => e.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    // Specificity and priority still come first: the zzp piece (priority 10) and 'urgent' keep their places.
    expect(titles(await recommend({ ...cell, segment: 'zzp' }))[0]).toBe('for zzp');
  });

  it('smooths toward the cell\'s mean: 3 clicks from 3 impressions do not beat 600 from 3,000', async () => {
    await f.segment('starters', undefined, 'B2B');
    const cell = { segment: 'starters', phase: 'decision', channel: 'email' };
    await piece('lucky newcomer', { phases: ['decision'], channels: ['email'], publishAt: ago(1) });
    await piece('proven', { phases: ['decision'], channels: ['email'], publishAt: ago(50) });
    await piece('unmeasured', { phases: ['decision'], channels: ['email'], publishAt: ago(60) });
    await piece('weak', { phases: ['decision'], channels: ['email'], publishAt: ago(2) });
    // The cell's mean: (3 + 600 + 100) / 13,003 ≈ 5.4 %.
    await recordTotals(app.database, ws.workspaceId, totals(f, cell, {
      'lucky newcomer': { impressions: 3, clicks: 3 },
      proven: { impressions: 3000, clicks: 500, conversions: 100 },
      weak: { impressions: 10000, clicks: 100 },
    }));
    const answer = await recommend(cell);
    // proven: (600 + 50 × 5.4 %) / 3,050 ≈ 19.8 %; lucky: (3 + 2.7) / 53 ≈ 10.8 %; unmeasured: the mean; weak: ≈ 1.0 %.
    expect(titles(answer)).toEqual(['proven', 'lucky newcomer', 'unmeasured', 'weak']);
    expect(answer.edges[0]?.reason.message).toContain('(19.8% against 10.8%)');
  });

  it('pages through the same order it ranks, whatever the page size', async () => {
    for (const cell of [{ segment: 'mkb', phase: 'awareness', channel: 'website' }, { segment: 'starters', phase: 'decision', channel: 'email' }]) {
      const whole = titles(await recommend(cell));
      const walked: string[] = [];
      let after: string | null = null;
      do {
        const page: Awaited<ReturnType<typeof recommend>> = await recommend({ ...cell, first: 1, after });
        walked.push(...titles(page));
        after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      } while (after);
      expect(walked).toEqual(whole);
    }
  });

  it('ranks only pieces in the asked locale, interactions or not', async () => {
    await piece('english hit', { phases: ['retention'], channels: ['email'], locale: 'en-GB' });
    await piece('dutch', { phases: ['retention'], channels: ['email'], locale: 'nl-NL' });
    const cell = { segment: 'mkb', phase: 'retention', channel: 'email' };
    await recordTotals(app.database, ws.workspaceId, totals(f, cell, { 'english hit': { impressions: 500, clicks: 400 }, dutch: { impressions: 1000, clicks: 10 } }));
    expect(titles(await recommend({ ...cell, locale: 'nl-NL' }))).toEqual(['dutch']);
    expect(titles(await recommend({ ...cell, locale: 'en-GB' }))).toEqual(['english hit']);
    expect(titles(await recommend(cell))).toEqual(['english hit', 'dutch']);
  });

  it('ranks as if every live piece were read, on every page, though it reads only those whose priority can reach the page', async () => {
    await f.channel('app');
    const on = (spec: { priority: number; days: number; segments?: string[] }) => ({ phases: ['awareness'], channels: ['app'], priority: spec.priority, publishAt: ago(spec.days), segments: spec.segments ?? [] });
    // Twelve generic pieces of one priority, freshest first; the three freshest engage badly, the stalest one best.
    for (let n = 1; n <= 12; n++) await piece(`tie ${n}`, on({ priority: 50, days: n }));
    await piece('stale hit', on({ priority: 50, days: 100 }));
    await piece('lower hit', on({ priority: 40, days: 1 }));
    // For zzp and its parent mkb: on a short page its zzp row falls below the zzp bar (priority 20), its mkb row does not.
    await piece('both tiers', on({ priority: 5, days: 1, segments: ['zzp', 'mkb'] }));
    await piece('zzp top', on({ priority: 60, days: 1, segments: ['zzp'] }));
    await piece('zzp mid', on({ priority: 55, days: 1, segments: ['zzp'] }));
    await piece('zzp low', on({ priority: 20, days: 1, segments: ['zzp'] }));
    await piece('mkb only', on({ priority: 99, days: 1, segments: ['mkb'] }));
    const cell = { segment: 'zzp', phase: 'awareness', channel: 'app' };
    await recordTotals(app.database, ws.workspaceId, totals(f, cell, {
      'tie 1': { impressions: 1000 },
      'tie 2': { impressions: 1000, clicks: 10 },
      'tie 3': { impressions: 1000, clicks: 5 },
      'stale hit': { impressions: 1000, clicks: 500 },
      'lower hit': { impressions: 1000, clicks: 900 },
    }));
    const whole = titles(await recommend(cell));
    expect(whole).toEqual([
      'zzp top', 'zzp mid', 'zzp low', 'both tiers', // the segment itself, by priority
      'mkb only', // its parent
      'stale hit', ...[4, 5, 6, 7, 8, 9, 10, 11, 12].map((n) => `tie ${n}`), 'tie 2', 'tie 3', 'tie 1', // generic, priority 50: engagement, then freshness
      'lower hit', // engagement never lifts a piece above a higher priority
    ]);
    for (const first of [1, 2, 3, 5]) {
      const walked: string[] = [];
      let after: string | null = null;
      do {
        const page: Awaited<ReturnType<typeof recommend>> = await recommend({ ...cell, first, after });
        expect(page.totalCount).toBe(whole.length);
        walked.push(...titles(page));
        after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      } while (after);
      expect(walked, `pages of ${first}`).toEqual(whole);
    }
  });

  it('still costs one SQL statement with interactions recorded', async () => {
    const cell = { segment: 'mkb', phase: 'awareness', channel: 'website' };
    await recommend(cell); // the catalog is loaded
    await app.gql(ws.EDITOR, '{ __typename }');
    for (const key of [ws.DELIVERY, ws.EDITOR]) {
      for (const variables of [cell, { ...cell, first: 1 }, { segment: 'starters', phase: 'decision', channel: 'email', locale: 'en-GB' }]) {
        // DELIVERY answers are kept: another page size or locale is another answer, counted afresh.
        const statements = await app.countStatements(() => app.gql(key, QUERY, { first: 3, ...variables, after: null }));
        expect(statements, JSON.stringify(variables)).toBeLessThanOrEqual(1);
      }
      const fresh = await app.countStatements(() => app.gql(key, QUERY, { segment: 'zzp', phase: 'decision', channel: 'website', first: 7 }));
      expect(fresh).toBe(1);
    }
  });

  it('sees new interactions at once, also in answers kept for DELIVERY keys', async () => {
    const cell = { segment: 'mkb', phase: 'awareness', channel: 'website' };
    const before = titles(await recommend(cell));
    expect(titles(await recommend(cell))).toEqual(before); // kept
    await recordTotals(app.database, ws.workspaceId, totals(f, cell, { fresh: { impressions: 1000, conversions: 1000 } }));
    expect(titles(await recommend(cell)).slice(0, 2)).toEqual(['urgent', 'fresh']);
  });
});

describe('recommendedContent report', () => {
  it('hands each edge what recordInteractions needs: the piece and the cell asked for', async () => {
    const answer = await recommend({ segment: 'zzp', phase: 'awareness', channel: 'website' });
    const fresh = answer.edges.find((e) => e.node.title === 'fresh') as Edge;
    expect(fresh.report).toEqual({ pieceId: fresh.node.id, externalId: 'cms-fresh', segmentKey: 'zzp', phaseKey: 'awareness', channelKey: 'website', touchpointId: null });
    expect(decodeGlobalID(fresh.report.pieceId as string)).toEqual({ typename: 'ContentPiece', id: ids.get('fresh') });
    // The segment asked for, not the one the piece targets.
    expect(answer.edges[0]?.report.segmentKey).toBe('zzp');
  });

  it('names the touchpoint of the cell when exactly one sits there, and none when several do', async () => {
    const one = await f.touchpoint('Offerte', 'decision', 'email');
    const cell = { segment: 'starters', phase: 'decision', channel: 'email' };
    const answer = await recommend(cell);
    expect(answer.edges.map((e) => e.report.touchpointId)).toEqual(answer.edges.map(() => expect.any(String)));
    expect(decodeGlobalID(answer.edges[0]?.report.touchpointId as string)).toEqual({ typename: 'Touchpoint', id: one.id });
    await f.touchpoint('Offerte voor starters', 'decision', 'email', { segment: 'starters' });
    expect((await recommend(cell)).edges[0]?.report.touchpointId).toBeNull();
  });

  it('is there for every role that may ask for recommendations', async () => {
    for (const key of [ws.DELIVERY, ws.EDITOR, ws.ADMIN]) {
      const res = await app.gql(key, QUERY, { segment: 'zzp', phase: 'awareness', channel: 'website', first: 1 });
      expect(res.errors).toBeUndefined();
      expect(res.data?.recommendedContent.edges[0].report).toMatchObject({ segmentKey: 'zzp', phaseKey: 'awareness', channelKey: 'website' });
    }
    expect((await app.gql(null, QUERY, { segment: 'zzp', phase: 'awareness', channel: 'website' })).data?.recommendedContent ?? null).toBeNull();
  });
});

describe('recommendedContent engagement across workspaces', () => {
  it('never lets another workspace\'s interactions move this workspace\'s ranking', async () => {
    const cell = { segment: 'mkb', phase: 'awareness', channel: 'website' };
    const before = await recommend(cell);
    const other = await app.workspace('Other');
    const g = new Fixture(app.database.prisma, other.workspaceId);
    await g.journey('b2b', [['awareness', 'BECOME']]);
    await g.segment('mkb', undefined, 'B2B');
    await g.channel('website');
    await piece('theirs', { phases: ['awareness'], channels: ['website'] }, g);
    // Their interactions in their cell of the same keys, and a row that names this workspace's piece and cell under theirs.
    await recordTotals(app.database, other.workspaceId, totals(g, cell, { theirs: { impressions: 100, clicks: 100 } }));
    // A row that names this workspace's piece and cell under theirs: the recording code never writes one, and ranking ignores it.
    await app.database.prisma.interactionTotal.create({
      data: { workspaceId: other.workspaceId, pieceId: ids.get('urgent') as string, segmentId: f.segments.get('mkb') as string, phaseId: f.phase('awareness'), channelId: f.channels.get('website') as string, impressions: 10, clicks: 0 },
    });
    expect(await recommend(cell)).toEqual(before);
    const theirs = await app.gql(other.DELIVERY, QUERY, { ...cell, first: 100 });
    expect(theirs.data?.recommendedContent.edges.map((e: Edge) => e.node.title)).toEqual(['theirs']);
  });
});

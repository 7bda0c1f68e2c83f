import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoWorkspace } from '../src/demo/demo.js';
import { startTestApp, type TestApp, type WorkspaceKeys } from './support/app.js';
import { Fixture } from './support/fixtures.js';

/**
 * The phase crosswalk: content tagged in another journey model, as a marked
 * fallback for recommendations, a count in the matrix, and, per coverage
 * rule, toward coverage. Workspace layout:
 * - journey b2c (segments consumers > students): attention (AWARENESS,
 *   BECOME), buy (DECISION, BECOME), loyal (RETENTION, STAY);
 * - journey b2b (segment mkb): awareness (AWARENESS, BECOME), retention
 *   (RETENTION, STAY), usage (USAGE, STAY: same scope as loyal, other archetype);
 * - journey x3: notice (AWARENESS, BECOME), keep (RETENTION, BE: same
 *   archetype as loyal, other scope).
 */
const RECOMMEND = /* GraphQL */ `
  query ($segment: String!, $phase: String!, $channel: String!, $locale: Locale, $first: Int, $after: String, $crosswalk: Boolean) {
    recommendedContent(segment: $segment, phase: $phase, channel: $channel, locale: $locale, first: $first, after: $after, crosswalk: $crosswalk) {
      totalCount
      gap { kind }
      pageInfo { hasNextPage endCursor }
      edges { node { title } reason { code codes message segment crosswalk { journey phase phaseName } } }
    }
  }
`;

const MATRIX = /* GraphQL */ `
  query ($journey: String!, $crosswalk: Boolean, $channels: [String!]) {
    contentMatrix(journey: $journey, crosswalk: $crosswalk, channels: $channels) {
      cells { segment { key } phase { key } channel { key } status liveCount crosswalkCount crosswalkCounted }
    }
  }
`;

const GAPS = /* GraphQL */ `
  query ($journey: String!) {
    contentGaps(journey: $journey, first: 100) { edges { node { kind message segment { key } phase { key } channel { key } } } }
  }
`;

const RULE_FIELDS = 'minLive notExpected countCrosswalk';
const CREATE_RULE = `mutation ($input: CreateCoverageRuleInput!) { createCoverageRule(input: $input) { coverageRule { id ${RULE_FIELDS} } userErrors { field code message } } }`;
const UPDATE_RULE = `mutation ($input: UpdateCoverageRuleInput!) { updateCoverageRule(input: $input) { coverageRule { ${RULE_FIELDS} } userErrors { field code message } } }`;

let app: TestApp;
let ws: WorkspaceKeys;
let other: WorkspaceKeys;
let f: Fixture;

type Edge = { node: { title: string }; reason: { code: string; codes: string[]; message: string; segment: string | null; crosswalk: { journey: string; phase: string; phaseName: string } | null } };
type Cell = { segment: { key: string }; phase: { key: string }; channel: { key: string }; status: string; liveCount: number; crosswalkCount: number | null; crosswalkCounted: boolean };

async function recommend(variables: Record<string, unknown>, key = ws.DELIVERY) {
  const res = await app.gql(key, RECOMMEND, variables);
  expect(res.errors).toBeUndefined();
  return res.data?.recommendedContent as { totalCount: number; gap: { kind: string } | null; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: Edge[] };
}
const titles = (answer: { edges: Edge[] }) => answer.edges.map((e) => e.node.title);

async function cells(variables: Record<string, unknown>, key = ws.EDITOR): Promise<Cell[]> {
  const res = await app.gql(key, MATRIX, { journey: 'b2c', ...variables });
  expect(res.errors).toBeUndefined();
  return res.data?.contentMatrix.cells;
}
const cellAt = (all: Cell[], segment: string, phase: string, channel: string) =>
  all.find((c) => c.segment.key === segment && c.phase.key === phase && c.channel.key === channel) as Cell;

beforeAll(async () => {
  app = await startTestApp();
  ws = await app.workspace();
  other = await app.workspace('other');
  f = new Fixture(app.database.prisma, ws.workspaceId);
  await f.channel('website');
  await f.channel('email');
  await f.journey('b2c', [['attention', 'BECOME', 'AWARENESS'], ['buy', 'BECOME', 'DECISION'], ['loyal', 'STAY', 'RETENTION']]);
  await f.segment('consumers');
  await f.segment('students', 'consumers');
  await f.journey('b2b', [['awareness', 'BECOME', 'AWARENESS'], ['retention', 'STAY', 'RETENTION'], ['usage', 'STAY', 'USAGE']]);
  await f.segment('mkb', undefined, 'B2B');
  await f.journey('x3', [['notice', 'BECOME', 'AWARENESS'], ['keep', 'BE', 'RETENTION']]);

  // Own content of b2c: on e-mail at attention only; nothing on the website at attention or loyal.
  await f.piece({ title: 'own email', phases: ['b2c:attention'], channels: ['email'] });
  // Crosswalk candidates for attention (AWARENESS, BECOME) on the website.
  await f.piece({ title: 'b2b generic awareness', phases: ['b2b:awareness'], channels: ['website'], priority: 50 });
  await f.piece({ title: 'x3 generic notice', phases: ['x3:notice'], channels: ['website'], priority: 80 });
  await f.piece({ title: 'english notice', phases: ['x3:notice', 'b2b:awareness'], channels: ['website'], priority: 40, locale: 'en-GB' });
  await f.piece({ title: 'students across', phases: ['b2c:buy', 'b2b:awareness'], channels: ['website'], segments: ['students'], priority: 10 });
  // Never crossing: made for another journey's segment, not live, another channel.
  await f.piece({ title: 'b2b for mkb', phases: ['b2b:awareness'], channels: ['website'], segments: ['mkb'], priority: 100 });
  await f.piece({ title: 'b2b draft', phases: ['b2b:awareness'], channels: ['website'], status: 'DRAFT', priority: 100 });
  await f.piece({ title: 'b2b email awareness', phases: ['b2b:awareness'], channels: ['email'] });
  // For loyal (RETENTION, STAY) on the website: one matches, two differ in scope or archetype.
  await f.piece({ title: 'right scope', phases: ['b2b:retention'], channels: ['website'] });
  await f.piece({ title: 'wrong scope', phases: ['x3:keep'], channels: ['website'] });
  await f.piece({ title: 'wrong archetype', phases: ['b2b:usage'], channels: ['website'] });
  await f.touchpoint('loyalty page', 'b2c:loyal', 'website');

  // Another workspace with an AWARENESS phase and generic website content: never crosses.
  const g = new Fixture(app.database.prisma, other.workspaceId);
  await g.channel('website');
  await g.journey('mine', [['attention', 'BECOME', 'AWARENESS']]);
  await g.segment('consumers');
  await g.journey('theirs', [['awareness', 'BECOME', 'AWARENESS']]);
  await g.piece({ title: 'foreign generic awareness', phases: ['theirs:awareness'], channels: ['website'], priority: 100 });
});
afterAll(() => app.close());

describe('recommendedContent(crosswalk: true)', () => {
  const empty = { segment: 'students', phase: 'attention', channel: 'website' };

  it('is off by default: a cell with nothing of its own journey answers nothing, as before', async () => {
    for (const variables of [empty, { ...empty, crosswalk: false }]) {
      const answer = await recommend(variables);
      expect(answer.totalCount).toBe(0);
      expect(answer.edges).toEqual([]);
    }
  });

  it('falls back to the same archetype and scope in other journeys, ranked by tier, priority, freshness, and marked CROSSWALK with the phase it came from', async () => {
    const answer = await recommend({ ...empty, crosswalk: true });
    expect(titles(answer)).toEqual(['students across', 'x3 generic notice', 'b2b generic awareness', 'english notice']);
    expect(answer.totalCount).toBe(4);
    expect(answer.edges.map((e) => [e.reason.code, e.reason.codes, e.reason.segment, e.reason.crosswalk])).toEqual([
      ['CROSSWALK', ['CROSSWALK', 'EXACT_SEGMENT'], 'students', { journey: 'b2b', phase: 'awareness', phaseName: 'awareness' }],
      ['CROSSWALK', ['CROSSWALK', 'GENERIC'], null, { journey: 'x3', phase: 'notice', phaseName: 'notice' }],
      ['CROSSWALK', ['CROSSWALK', 'GENERIC'], null, { journey: 'b2b', phase: 'awareness', phaseName: 'awareness' }],
      // Tagged to both: the first journey by key names it.
      ['CROSSWALK', ['CROSSWALK', 'GENERIC'], null, { journey: 'b2b', phase: 'awareness', phaseName: 'awareness' }],
    ]);
    expect(answer.edges[1]?.reason.message).toBe('From phase "notice" of journey "x3" (same archetype AWARENESS and scope BECOME): nothing in journey "b2c" fits. Generic content for all segments.');
    // A parent segment gets the generic ones only: "students across" targets its child.
    expect(titles(await recommend({ ...empty, segment: 'consumers', crosswalk: true }))).toEqual(['x3 generic notice', 'b2b generic awareness', 'english notice']);
  });

  it('never crosses content for another journey\'s segments, content not live, or content on another channel', async () => {
    const all = titles(await recommend({ ...empty, crosswalk: true, first: 100 }));
    expect(all).not.toContain('b2b for mkb');
    expect(all).not.toContain('b2b draft');
    expect(all).not.toContain('b2b email awareness');
  });

  it('happens only when nothing of the own journey is live: a cell with own content answers it alone', async () => {
    const answer = await recommend({ segment: 'consumers', phase: 'attention', channel: 'email', crosswalk: true });
    expect(titles(answer)).toEqual(['own email']);
    expect(answer.edges[0]?.reason.code).toBe('GENERIC');
    expect(answer.edges[0]?.reason.crosswalk).toBeNull();
    // A locale fallback of the own journey is something that fits: no crosswalk either.
    const fallback = await recommend({ segment: 'consumers', phase: 'attention', channel: 'email', locale: 'de-DE', crosswalk: true });
    expect(fallback.edges.map((e) => e.reason.codes)).toEqual([['GENERIC', 'LOCALE_FALLBACK']]);
  });

  it('matches archetype and scope both', async () => {
    const answer = await recommend({ segment: 'consumers', phase: 'loyal', channel: 'website', crosswalk: true, first: 100 });
    expect(titles(answer)).toEqual(['right scope']);
    expect(answer.edges[0]?.reason.crosswalk).toEqual({ journey: 'b2b', phase: 'retention', phaseName: 'retention' });
  });

  it('applies the locale rule within the crosswalk', async () => {
    expect(titles(await recommend({ ...empty, locale: 'en-GB', crosswalk: true }))).toEqual(['english notice']);
    const elsewhere = await recommend({ ...empty, locale: 'de-DE', crosswalk: true });
    expect(elsewhere.totalCount).toBe(4);
    expect(elsewhere.edges[0]?.reason.codes).toEqual(['CROSSWALK', 'EXACT_SEGMENT', 'LOCALE_FALLBACK']);
  });

  it('pages through the crosswalk list; its cursors are refused without crosswalk: true', async () => {
    const walked: string[] = [];
    let after: string | null = null;
    let cursor = '';
    do {
      const page: Awaited<ReturnType<typeof recommend>> = await recommend({ ...empty, crosswalk: true, first: 3, after });
      walked.push(...titles(page));
      expect(page.totalCount).toBe(4);
      cursor ||= page.pageInfo.endCursor ?? '';
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(walked).toEqual(['students across', 'x3 generic notice', 'b2b generic awareness', 'english notice']);
    const refused = await app.gql(ws.DELIVERY, RECOMMEND, { ...empty, after: cursor });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
  });

  it('still tells the gap of an expected cell, unless its winning coverage rule counts the crosswalk', async () => {
    const loyal = { segment: 'consumers', phase: 'loyal', channel: 'website', crosswalk: true };
    expect((await recommend(loyal)).gap).toEqual({ kind: 'MISSING' });
    const rule = await f.rule({ phase: 'b2c:loyal', channel: 'website' }, { minLive: 1, countCrosswalk: true });
    try {
      const answer = await recommend(loyal);
      expect(answer.gap).toBeNull();
      expect(titles(answer)).toEqual(['right scope']);
      // Without the crosswalk asked, the empty cell is still a gap.
      expect((await recommend({ ...loyal, crosswalk: false })).gap).toEqual({ kind: 'MISSING' });
    } finally {
      await app.database.prisma.coverageRule.delete({ where: { id: rule.id } });
    }
  });

  it('costs one statement when off or when the own journey has content, and one more only when it falls back', async () => {
    // EDITOR answers are never taken from the response cache.
    await recommend(empty, ws.EDITOR); // the key and the catalog are cached
    const cost = (variables: Record<string, unknown>) => app.countStatements(() => recommend(variables, ws.EDITOR));
    expect(await cost(empty)).toBe(1);
    expect(await cost({ ...empty, crosswalk: false })).toBe(1);
    expect(await cost({ segment: 'consumers', phase: 'attention', channel: 'email', crosswalk: true })).toBe(1);
    expect(await cost({ ...empty, crosswalk: true })).toBe(2);
    // No phase of another journey has the archetype DECISION: nothing to ask.
    expect(await cost({ segment: 'consumers', phase: 'buy', channel: 'email', crosswalk: true })).toBe(1);
  });

  it('never crosses workspaces, either way', async () => {
    const mine = await recommend({ segment: 'consumers', phase: 'attention', channel: 'website', crosswalk: true, first: 100 }, other.DELIVERY);
    expect(titles(mine)).toEqual(['foreign generic awareness']);
    const ours = titles(await recommend({ ...empty, crosswalk: true, first: 100 }));
    expect(ours).not.toContain('foreign generic awareness');
  });

  it('is open to every role, like recommendedContent', async () => {
    const expected = titles(await recommend({ ...empty, crosswalk: true }));
    for (const key of [ws.EDITOR, ws.ADMIN]) expect(titles(await recommend({ ...empty, crosswalk: true }, key))).toEqual(expected);
  });
});

describe('contentMatrix(crosswalk: true)', () => {
  it('counts each cell\'s live crosswalk content (the segment itself and generic), and leaves the field null when not asked', async () => {
    const plain = await cells({ channels: ['website', 'email'] });
    expect(plain.every((c) => c.crosswalkCount === null && c.crosswalkCounted === false)).toBe(true);
    const counted = await cells({ channels: ['website', 'email'], crosswalk: true });
    expect(cellAt(counted, 'consumers', 'attention', 'website').crosswalkCount).toBe(3);
    expect(cellAt(counted, 'students', 'attention', 'website').crosswalkCount).toBe(4);
    expect(cellAt(counted, 'consumers', 'attention', 'email').crosswalkCount).toBe(1);
    expect(cellAt(counted, 'consumers', 'loyal', 'website').crosswalkCount).toBe(1);
    expect(cellAt(counted, 'consumers', 'buy', 'website').crosswalkCount).toBe(0);
    // Everything else is the same matrix.
    expect(counted.map(({ crosswalkCount: _c, ...rest }) => rest)).toEqual(plain.map(({ crosswalkCount: _c, ...rest }) => rest));
  });

  it('costs one statement more for the whole matrix, and none when not asked', async () => {
    const lean = (crosswalk: boolean) => `{ contentMatrix(journey: "b2c", crosswalk: ${crosswalk}) { cells { status liveCount crosswalkCount } } }`;
    await app.gql(ws.EDITOR, lean(false));
    const off = await app.countStatements(() => app.gql(ws.EDITOR, lean(false)));
    expect(off).toBe(4);
    expect(await app.countStatements(() => app.gql(ws.EDITOR, lean(true)))).toBe(off + 1);
  });

  it('is refused to DELIVERY keys, like the matrix', async () => {
    const res = await app.gql(ws.DELIVERY, MATRIX, { journey: 'b2c', crosswalk: true });
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('never counts another workspace\'s content', async () => {
    const res = await app.gql(other.EDITOR, MATRIX, { journey: 'theirs', crosswalk: true });
    expect(res.errors).toBeUndefined();
    // "theirs" has no segments; "mine" counts its own workspace's "theirs" content only.
    const mine = (await app.gql(other.EDITOR, MATRIX, { journey: 'mine', crosswalk: true })).data?.contentMatrix.cells as Cell[];
    expect(mine.map((c) => c.crosswalkCount)).toEqual([1]);
  });
});

describe('coverage rules with countCrosswalk', () => {
  it('count crosswalk content where nothing of the cell\'s own is live: the matrix and the gaps follow', async () => {
    const loyal = async () => cellAt(await cells({ channels: ['website'] }), 'consumers', 'loyal', 'website');
    const loyalGaps = async () =>
      ((await app.gql(ws.EDITOR, GAPS, { journey: 'b2c' })).data?.contentGaps.edges as { node: { kind: string; message: string; segment: { key: string }; phase: { key: string }; channel: { key: string } } }[])
        .map((e) => e.node)
        .filter((g) => g.segment.key === 'consumers' && g.phase.key === 'loyal' && g.channel.key === 'website');
    // The touchpoint expects one piece; by default crosswalk content does not count.
    expect(await loyal()).toMatchObject({ status: 'MISSING', liveCount: 0, crosswalkCounted: false });
    expect((await loyalGaps()).map((g) => g.kind)).toEqual(['MISSING']);

    const created = await app.gql(ws.EDITOR, CREATE_RULE, { input: { phase: { journey: 'b2c', phase: 'loyal' }, channel: 'website', minLive: 1, countCrosswalk: true } });
    expect(created.data?.createCoverageRule.userErrors).toEqual([]);
    const id = created.data?.createCoverageRule.coverageRule.id as string;
    expect(await loyal()).toMatchObject({ status: 'COVERED', liveCount: 0, crosswalkCounted: true });
    expect(await loyalGaps()).toEqual([]);

    const thin = await app.gql(ws.EDITOR, UPDATE_RULE, { input: { id, minLive: 2 } });
    expect(thin.data?.updateCoverageRule.coverageRule).toEqual({ minLive: 2, notExpected: false, countCrosswalk: true });
    expect(await loyal()).toMatchObject({ status: 'THIN', crosswalkCounted: true });
    const [gap] = await loyalGaps();
    expect(gap?.kind).toBe('THIN');
    expect(gap?.message).toContain('Only 1 of 2 expected live pieces are live (content of other journey models, counted by the coverage rule)');

    const off = await app.gql(ws.EDITOR, UPDATE_RULE, { input: { id, countCrosswalk: false } });
    expect(off.data?.updateCoverageRule.coverageRule.countCrosswalk).toBe(false);
    expect(await loyal()).toMatchObject({ status: 'MISSING', crosswalkCounted: false });
    await app.database.prisma.coverageRule.deleteMany({ where: { workspaceId: ws.workspaceId } });
  });

  it('count nothing where the cell has live content of its own: its own count decides', async () => {
    const rule = await f.rule({ phase: 'b2c:attention', channel: 'email' }, { minLive: 2, countCrosswalk: true });
    try {
      const cell = cellAt(await cells({ channels: ['email'], crosswalk: true }), 'consumers', 'attention', 'email');
      expect(cell).toMatchObject({ status: 'THIN', liveCount: 1, crosswalkCount: 1, crosswalkCounted: false });
    } finally {
      await app.database.prisma.coverageRule.delete({ where: { id: rule.id } });
    }
  });

  it('default to false, and refuse countCrosswalk with notExpected: true; setting notExpected clears it', async () => {
    const plain = await app.gql(ws.EDITOR, CREATE_RULE, { input: { phase: { journey: 'b2c', phase: 'buy' }, channel: 'website', minLive: 1 } });
    expect(plain.data?.createCoverageRule.coverageRule).toMatchObject({ countCrosswalk: false });
    const id = plain.data?.createCoverageRule.coverageRule.id as string;
    const before = await app.database.prisma.coverageRule.findMany({ where: { workspaceId: ws.workspaceId } });
    const refused = await app.gql(ws.EDITOR, CREATE_RULE, { input: { phase: { journey: 'b2c', phase: 'buy' }, channel: 'email', notExpected: true, countCrosswalk: true } });
    expect(refused.data?.createCoverageRule.userErrors.map((e: { field: string[]; code: string }) => [e.field.join('.'), e.code])).toEqual([['input.countCrosswalk', 'INVALID']]);
    const refusedUpdate = await app.gql(ws.EDITOR, UPDATE_RULE, { input: { id, notExpected: true, countCrosswalk: true } });
    expect(refusedUpdate.data?.updateCoverageRule.userErrors[0]).toMatchObject({ field: ['input', 'countCrosswalk'], code: 'INVALID' });
    expect(await app.database.prisma.coverageRule.findMany({ where: { workspaceId: ws.workspaceId } })).toEqual(before);
    await app.gql(ws.EDITOR, UPDATE_RULE, { input: { id, countCrosswalk: true } });
    const cleared = await app.gql(ws.EDITOR, UPDATE_RULE, { input: { id, notExpected: true } });
    expect(cleared.data?.updateCoverageRule.coverageRule).toEqual({ minLive: null, notExpected: true, countCrosswalk: false });
    await app.database.prisma.coverageRule.deleteMany({ where: { workspaceId: ws.workspaceId } });
  });

  it('are written by EDITOR and above only', async () => {
    const res = await app.gql(ws.DELIVERY, CREATE_RULE, { input: { channel: 'website', minLive: 1, countCrosswalk: true } });
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await app.database.prisma.coverageRule.count({ where: { workspaceId: ws.workspaceId } })).toBe(0);
  });
});

describe('the crosswalk on the demo', () => {
  let demo: TestApp;
  beforeAll(async () => {
    demo = await startTestApp();
    await loadDemoWorkspace(demo.database);
  });
  afterAll(() => demo.close());

  it('changes no answer unless asked: every cell answers the same without the argument and with crosswalk: false, and crosswalk: true changes only empty cells', async () => {
    const query = `query ($segment: String!, $phase: String!, $channel: String!, $crosswalk: Boolean) {
      recommendedContent(segment: $segment, phase: $phase, channel: $channel, crosswalk: $crosswalk, first: 100) { totalCount gap { kind severity message } edges { node { title } reason { code codes message segment } } }
    }`;
    const prisma = demo.database.prisma;
    const [segments, phases, channels] = await Promise.all([
      prisma.segment.findMany({ where: { workspaceId: 'demo' } }),
      prisma.phase.findMany({ where: { workspaceId: 'demo' } }),
      prisma.channel.findMany({ where: { workspaceId: 'demo' } }),
    ]);
    let crossed = 0;
    for (const segment of segments) {
      for (const phase of phases.filter((p) => p.journeyId === segment.journeyId)) {
        for (const channel of channels) {
          const cell = { segment: segment.key, phase: phase.key, channel: channel.key };
          const plain = await demo.gql('cpk_demo_editor', query, cell);
          expect(plain.errors).toBeUndefined();
          expect(await demo.gql('cpk_demo_editor', query, { ...cell, crosswalk: false })).toEqual(plain);
          const asked = await demo.gql('cpk_demo_editor', query, { ...cell, crosswalk: true });
          if (plain.data?.recommendedContent.totalCount > 0) expect(asked).toEqual(plain);
          else if (asked.data?.recommendedContent.totalCount > 0) crossed += 1;
        }
      }
    }
    expect(crossed, 'the demo shows crosswalk hits').toBeGreaterThan(0);
  });

  it('leaves the demo matrix and its gaps as they were without the argument', async () => {
    for (const journey of ['consument', 'zakelijk']) {
      const plain = await demo.gql('cpk_demo_editor', MATRIX, { journey });
      const asked = await demo.gql('cpk_demo_editor', MATRIX, { journey, crosswalk: true });
      const strip = (cells: Cell[]) => cells.map(({ crosswalkCount: _c, ...rest }) => rest);
      expect(strip(asked.data?.contentMatrix.cells)).toEqual(strip(plain.data?.contentMatrix.cells));
      expect((plain.data?.contentMatrix.cells as Cell[]).every((c) => c.crosswalkCount === null && !c.crosswalkCounted)).toBe(true);
    }
  });
});

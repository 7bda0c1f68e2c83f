import { encodeGlobalID } from '@pothos/plugin-relay';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContentStatus } from '../src/generated/sqlite/enums.js';
import { startTestApp, type TestApp, type WorkspaceKeys } from './support/app.js';
import { Fixture } from './support/fixtures.js';
import { recordTotals } from './support/interactions.js';

/**
 * What-if scenarios: stored apart, answered as if made for EDITOR and above,
 * refused to DELIVERY keys, never seen by another workspace, and equal to
 * the answers after actually making them (a property test on random
 * workspaces, both databases).
 */
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

const DAY = 86_400_000;

async function shop(name: string) {
  const keys = await app.workspace(name);
  const f = new Fixture(app.database.prisma, keys.workspaceId);
  await f.journey('j', [['aware', 'BECOME'], ['buy', 'BECOME'], ['stay', 'STAY']]);
  await f.segment('s0');
  await f.segment('s1', 's0');
  await f.channel('web');
  await f.channel('mail');
  await f.touchpoint('home', 'aware', 'web');
  await f.touchpoint('welcome', 'stay', 'mail');
  const live = await f.piece({ title: 'live', status: 'PUBLISHED', phases: ['aware'], channels: ['web'], segments: [], publishAt: new Date(Date.now() - DAY) });
  return { keys, live, f };
}

const CREATE = `mutation ($name: String!) { createScenario(input: { name: $name }) { scenario { id name } userErrors { field code message } } }`;
const PLAN = `mutation ($input: AddScenarioPieceInput!) { addScenarioPiece(input: $input) { scenario { id plannedPieces { id title status } } userErrors { field code message } } }`;
const CHANGE = `mutation ($input: AddScenarioChangeInput!) { addScenarioChange(input: $input) { scenario { id pieceChanges { id kind } } userErrors { field code message } } }`;
const MATRIX = `query ($s: ID, $at: DateTime) { contentMatrix(journey: "j", scenario: $s, at: $at) {
  cells { segment { key } phase { key } channel { key } status liveCount plannedCount counts { idea draft inReview scheduled published archived } }
  summary { overall { expectedCells coveredCells } perScope { key expectedCells coveredCells } } } }`;
const GAPS = `query ($s: ID, $at: DateTime) { contentGaps(journey: "j", scenario: $s, at: $at, first: 100) { totalCount edges { node { kind severity segment { key } phase { key } channel { key } } } } }`;
const RECOMMEND = `query ($s: ID, $seg: String!, $ph: String!, $ch: String!, $at: DateTime) {
  recommendedContent(segment: $seg, phase: $ph, channel: $ch, scenario: $s, at: $at, first: 3) { totalCount edges { node { id publishAt expiresAt status } score reason { codes } } gap { kind planned expectedMinimum } } }`;

async function scenario(keys: WorkspaceKeys, name = 'plan'): Promise<string> {
  const res = await app.gql(keys.EDITOR, CREATE, { name });
  expect(res.data?.createScenario.userErrors).toEqual([]);
  return res.data?.createScenario.scenario.id;
}

const planned = (s: string, extra: Record<string, unknown> = {}) => ({
  scenario: s, title: 'Welcome mail', format: 'WELCOME_EMAIL', locale: 'nl-NL', phases: [{ journey: 'j', phase: 'stay' }], channels: ['mail'], ...extra,
});

describe('scenarios: writing them', () => {
  it('an EDITOR creates a scenario, plans pieces, archives and moves existing ones; nothing real changes', async () => {
    const { keys, live } = await shop('write');
    const s = await scenario(keys);
    const plan = await app.gql(keys.EDITOR, PLAN, { input: planned(s, { status: 'DRAFT' }) });
    expect(plan.data?.addScenarioPiece.userErrors).toEqual([]);
    expect(plan.data?.addScenarioPiece.scenario.plannedPieces).toMatchObject([{ title: 'Welcome mail', status: 'DRAFT' }]);
    const change = await app.gql(keys.EDITOR, CHANGE, { input: { scenario: s, piece: encodeGlobalID('ContentPiece', live.id), kind: 'ARCHIVE' } });
    expect(change.data?.addScenarioChange.userErrors).toEqual([]);
    expect(await app.database.prisma.contentPiece.count({ where: { workspaceId: keys.workspaceId } })).toBe(1);
    expect((await app.database.prisma.contentPiece.findUniqueOrThrow({ where: { id: live.id } })).status).toBe('PUBLISHED');
    const list = await app.gql(keys.EDITOR, `{ scenarios(first: 10) { totalCount edges { node { id name plannedPieces { title } pieceChanges { kind contentPiece { title } } } } } }`);
    expect(list.data?.scenarios).toMatchObject({ totalCount: 1, edges: [{ node: { id: s, name: 'plan', plannedPieces: [{ title: 'Welcome mail' }], pieceChanges: [{ kind: 'ARCHIVE', contentPiece: { title: 'live' } }] } }] });
    const node = await app.gql(keys.EDITOR, `query ($id: ID!) { node(id: $id) { ... on Scenario { name } } }`, { id: s });
    expect(node.data?.node).toEqual({ name: 'plan' });
  });

  it('bad input is refused with a specific error and changes nothing', async () => {
    const { keys, live } = await shop('bad');
    const s = await scenario(keys);
    expect((await app.gql(keys.EDITOR, CREATE, { name: 'plan' })).data?.createScenario.userErrors).toMatchObject([{ field: ['input', 'name'], code: 'CONFLICT' }]);
    const cases: [Record<string, unknown>, string[], string][] = [
      [planned(s, { channels: ['nope'] }), ['input', 'channels', '0'], 'NOT_FOUND'],
      [planned(s, { phases: [] }), ['input', 'phases'], 'INVALID'],
      [planned(s, { publishAt: '2030-01-02T00:00:00Z', expiresAt: '2030-01-01T00:00:00Z' }), ['input', 'expiresAt'], 'INVALID'],
      [planned('U2NlbmFyaW86bm9wZQ=='), ['input', 'scenario'], 'NOT_FOUND'],
    ];
    for (const [input, field, code] of cases) {
      expect((await app.gql(keys.EDITOR, PLAN, { input })).data?.addScenarioPiece.userErrors, JSON.stringify(input)).toMatchObject([{ field, code }]);
    }
    const piece = encodeGlobalID('ContentPiece', live.id);
    const archiveWithDate = await app.gql(keys.EDITOR, CHANGE, { input: { scenario: s, piece, kind: 'ARCHIVE', publishAt: '2030-01-01T00:00:00Z' } });
    expect(archiveWithDate.data?.addScenarioChange.userErrors).toMatchObject([{ field: ['input', 'publishAt'], code: 'INVALID' }]);
    await app.gql(keys.EDITOR, CHANGE, { input: { scenario: s, piece, kind: 'ARCHIVE' } });
    expect((await app.gql(keys.EDITOR, CHANGE, { input: { scenario: s, piece, kind: 'MOVE' } })).data?.addScenarioChange.userErrors).toMatchObject([{ field: ['input', 'piece'], code: 'CONFLICT' }]);
    const stored = await app.database.prisma.scenario.findFirstOrThrow({ where: { workspaceId: keys.workspaceId }, include: { plannedPieces: true, pieceChanges: true } });
    expect([stored.plannedPieces.length, stored.pieceChanges.length]).toEqual([0, 1]);
  });

  it('removes planned pieces and changes, and deletes scenarios', async () => {
    const { keys, live } = await shop('remove');
    const s = await scenario(keys);
    const plannedId = (await app.gql(keys.EDITOR, PLAN, { input: planned(s) })).data?.addScenarioPiece.scenario.plannedPieces[0].id;
    const changeId = (await app.gql(keys.EDITOR, CHANGE, { input: { scenario: s, piece: encodeGlobalID('ContentPiece', live.id), kind: 'ARCHIVE' } })).data?.addScenarioChange.scenario.pieceChanges[0].id;
    const removedPiece = await app.gql(keys.EDITOR, `mutation ($id: ID!) { removeScenarioPiece(input: { id: $id }) { scenario { plannedPieces { id } } userErrors { code } } }`, { id: plannedId });
    expect(removedPiece.data?.removeScenarioPiece).toEqual({ scenario: { plannedPieces: [] }, userErrors: [] });
    const removedChange = await app.gql(keys.EDITOR, `mutation ($id: ID!) { removeScenarioChange(input: { id: $id }) { scenario { pieceChanges { id } } userErrors { code } } }`, { id: changeId });
    expect(removedChange.data?.removeScenarioChange).toEqual({ scenario: { pieceChanges: [] }, userErrors: [] });
    const deleted = await app.gql(keys.EDITOR, `mutation ($id: ID!) { deleteScenario(input: { id: $id }) { deletedId userErrors { code } } }`, { id: s });
    expect(deleted.data?.deleteScenario).toEqual({ deletedId: s, userErrors: [] });
    expect(await app.database.prisma.scenario.count({ where: { workspaceId: keys.workspaceId } })).toBe(0);
  });
});

describe('scenarios: reading with them', () => {
  it('the matrix, the gaps and recommendations answer as if made; the real answers stay', async () => {
    const { keys, live } = await shop('read');
    const s = await scenario(keys);
    await app.gql(keys.EDITOR, PLAN, { input: planned(s) });
    await app.gql(keys.EDITOR, CHANGE, { input: { scenario: s, piece: encodeGlobalID('ContentPiece', live.id), kind: 'ARCHIVE' } });
    const cell = (res: { data?: Record<string, any> }, seg: string, ph: string, ch: string) =>
      res.data?.contentMatrix.cells.find((c: any) => c.segment.key === seg && c.phase.key === ph && c.channel.key === ch).status;
    const real = await app.gql(keys.EDITOR, MATRIX, {});
    const what = await app.gql(keys.EDITOR, MATRIX, { s });
    expect([cell(real, 's0', 'aware', 'web'), cell(real, 's0', 'stay', 'mail')]).toEqual(['COVERED', 'MISSING']);
    expect([cell(what, 's0', 'aware', 'web'), cell(what, 's0', 'stay', 'mail')]).toEqual(['MISSING', 'PLANNED_ONLY']);
    const recommended = await app.gql(keys.EDITOR, RECOMMEND, { s, seg: 's0', ph: 'aware', ch: 'web' });
    expect(recommended.data?.recommendedContent).toMatchObject({ totalCount: 0, edges: [], gap: { kind: 'MISSING' } });
    const realRecommended = await app.gql(keys.EDITOR, RECOMMEND, { seg: 's0', ph: 'aware', ch: 'web' });
    expect(realRecommended.data?.recommendedContent.totalCount).toBe(1);
    const impact = await app.gql(keys.EDITOR, `query ($s: ID!) { scenarioImpact(scenario: $s, journey: "j") {
      changedCells { segment { key } phase { key } channel { key } statusBefore statusAfter }
      overall { key before { coveredCells } after { coveredCells } ratioChange } perScope { key ratioChange } perSegment { key ratioChange }
      closedGaps { kind segment { key } } openedGaps { kind segment { key } phase { key } } } }`, { s });
    expect(impact.errors).toBeUndefined();
    const i = impact.data?.scenarioImpact;
    expect(i.changedCells).toContainEqual({ segment: { key: 's0' }, phase: { key: 'stay' }, channel: { key: 'mail' }, statusBefore: 'MISSING', statusAfter: 'PLANNED_ONLY' });
    expect(i.changedCells).toContainEqual({ segment: { key: 's1' }, phase: { key: 'aware' }, channel: { key: 'web' }, statusBefore: 'COVERED', statusAfter: 'MISSING' });
    expect(i.overall).toEqual({ key: 'j', before: { coveredCells: 2 }, after: { coveredCells: 0 }, ratioChange: -0.5 });
    expect(i.perScope).toEqual([{ key: 'BECOME', ratioChange: -1 }, { key: 'STAY', ratioChange: 0 }]);
    expect(i.openedGaps.map((g: any) => `${g.segment.key}/${g.phase.key}/${g.kind}`).sort()).toEqual(['s0/aware/MISSING', 's1/aware/MISSING']);
    expect(i.closedGaps).toEqual([]);
  });

  it('DELIVERY keys are refused a scenario (FORBIDDEN) and its answers are never cached for them', async () => {
    const { keys, live } = await shop('delivery');
    const s = await scenario(keys);
    await app.gql(keys.EDITOR, CHANGE, { input: { scenario: s, piece: encodeGlobalID('ContentPiece', live.id), kind: 'ARCHIVE' } });
    const vars = { seg: 's0', ph: 'aware', ch: 'web' };
    expect((await app.gql(keys.DELIVERY, RECOMMEND, vars)).data?.recommendedContent.totalCount).toBe(1);
    const refused = await app.gql(keys.DELIVERY, RECOMMEND, { ...vars, s });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', argument: 'scenario' });
    expect((await app.gql(keys.EDITOR, RECOMMEND, { ...vars, s })).data?.recommendedContent.totalCount).toBe(0);
    expect((await app.gql(keys.DELIVERY, RECOMMEND, vars)).data?.recommendedContent.totalCount).toBe(1);
    for (const query of [MATRIX, GAPS, `query ($s: ID!) { scenarioImpact(scenario: $s, journey: "j") { at } }`, `{ scenarios { totalCount } }`]) {
      expect((await app.gql(keys.DELIVERY, query, { s })).errors?.[0]?.extensions?.code, query).toBe('FORBIDDEN');
    }
    const write = await app.gql(keys.DELIVERY, CREATE, { name: 'x' });
    expect(write.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await app.gql(keys.DELIVERY, `query ($id: ID!) { node(id: $id) { id } }`, { id: s })).data?.node ?? null).toBeNull();
  });

  it('another workspace\'s scenario is unusable: BAD_USER_INPUT on reads, NOT_FOUND on writes, null as a node', async () => {
    const a = await shop('iso A');
    const b = await shop('iso B');
    const s = await scenario(a.keys);
    for (const [query, field] of [[MATRIX, 'contentMatrix'], [GAPS, 'contentGaps'], [`query ($s: ID!) { scenarioImpact(scenario: $s, journey: "j") { at } }`, 'scenarioImpact']] as const) {
      const res = await app.gql(b.keys.EDITOR, query, { s });
      expect(res.errors?.[0]?.extensions, field).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'scenario' });
    }
    expect((await app.gql(b.keys.EDITOR, RECOMMEND, { s, seg: 's0', ph: 'aware', ch: 'web' })).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'scenario' });
    expect((await app.gql(b.keys.EDITOR, PLAN, { input: planned(s) })).data?.addScenarioPiece.userErrors).toMatchObject([{ field: ['input', 'scenario'], code: 'NOT_FOUND' }]);
    expect((await app.gql(b.keys.ADMIN, `mutation ($id: ID!) { applyScenario(input: { id: $id }) { userErrors { code } } }`, { id: s })).data?.applyScenario.userErrors).toMatchObject([{ code: 'NOT_FOUND' }]);
    expect((await app.gql(b.keys.ADMIN, `mutation ($id: ID!) { deleteScenario(input: { id: $id }) { userErrors { code } } }`, { id: s })).data?.deleteScenario.userErrors).toMatchObject([{ code: 'NOT_FOUND' }]);
    expect((await app.gql(b.keys.EDITOR, `query ($id: ID!) { node(id: $id) { id } }`, { id: s })).data?.node).toBeNull();
    expect((await app.gql(b.keys.EDITOR, `{ scenarios { totalCount } }`)).data?.scenarios.totalCount).toBe(0);
    expect(await app.database.prisma.scenario.count({ where: { workspaceId: a.keys.workspaceId } })).toBe(1);
  });
});

describe('applyScenario', () => {
  it('makes the planned pieces and changes real in one transaction, with content events; scenario edits make none', async () => {
    const { keys, live } = await shop('apply');
    const events = () => app.database.prisma.webhookEvent.count({ where: { workspaceId: keys.workspaceId } });
    const before = await events();
    const s = await scenario(keys);
    await app.gql(keys.EDITOR, PLAN, { input: planned(s, { status: 'DRAFT' }) });
    await app.gql(keys.EDITOR, CHANGE, { input: { scenario: s, piece: encodeGlobalID('ContentPiece', live.id), kind: 'MOVE', publishAt: '2031-01-01T00:00:00Z' } });
    expect(await events()).toBe(before);
    const what = await app.gql(keys.EDITOR, MATRIX, { s });
    const applied = await app.gql(keys.EDITOR, `mutation ($id: ID!) { applyScenario(input: { id: $id }) {
      createdContentPieces { title status } changedContentPieces { title publishAt } deletedScenarioId userErrors { code message } } }`, { id: s });
    expect(applied.data?.applyScenario).toEqual({
      createdContentPieces: [{ title: 'Welcome mail', status: 'DRAFT' }], changedContentPieces: [{ title: 'live', publishAt: '2031-01-01T00:00:00.000Z' }], deletedScenarioId: s, userErrors: [],
    });
    expect(await events()).toBeGreaterThan(before);
    expect((await app.gql(keys.EDITOR, MATRIX, {})).data).toEqual(what.data);
  });

  it('refuses all of it when one change no longer fits its piece', async () => {
    const { keys, f } = await shop('apply refused');
    const scheduled = await f.piece({ title: 'soon', status: 'DRAFT', phases: ['buy'], channels: ['web'], segments: [] });
    const s = await scenario(keys);
    await app.gql(keys.EDITOR, PLAN, { input: planned(s) });
    await app.gql(keys.EDITOR, CHANGE, { input: { scenario: s, piece: encodeGlobalID('ContentPiece', scheduled.id), kind: 'MOVE' } });
    await app.database.prisma.contentPiece.update({ where: { id: scheduled.id }, data: { status: 'SCHEDULED', publishAt: new Date(Date.now() + DAY) } });
    const count = () => app.database.prisma.contentPiece.count({ where: { workspaceId: keys.workspaceId } });
    const pieces = await count();
    const applied = await app.gql(keys.EDITOR, `mutation ($id: ID!) { applyScenario(input: { id: $id }) { createdContentPieces { id } deletedScenarioId userErrors { field code } } }`, { id: s });
    expect(applied.data?.applyScenario).toEqual({ createdContentPieces: [], deletedScenarioId: null, userErrors: [{ field: ['input', 'id'], code: 'INVALID' }] });
    expect(await count()).toBe(pieces);
    expect(await app.database.prisma.scenario.count({ where: { workspaceId: keys.workspaceId } })).toBe(1);
  });
});

describe('scenarios: ranking a touched cell', () => {
  it('orders by engagement as the ranking statement does, when the scenario touches the cell', async () => {
    const { keys, live, f } = await shop('engaged');
    // Two more pieces of the same priority in the cell: the newest ranks first on freshness alone.
    const older = await f.piece({ title: 'older', status: 'PUBLISHED', phases: ['aware'], channels: ['web'], segments: [], publishAt: new Date(Date.now() - 3 * DAY) });
    await f.piece({ title: 'newer', status: 'PUBLISHED', phases: ['aware'], channels: ['web'], segments: [], publishAt: new Date(Date.now() - DAY / 2) });
    const cell = { segmentId: (await app.database.prisma.segment.findFirstOrThrow({ where: { workspaceId: keys.workspaceId, key: 's0' } })).id, ...(await cellIds(keys.workspaceId)) };
    await recordTotals(app.database, keys.workspaceId, [
      { pieceId: older.id, ...cell, impressions: 2000, clicks: 600 },
      { pieceId: live.id, ...cell, impressions: 2000, clicks: 20 },
    ]);
    const s = await scenario(keys);
    // A planned piece in the cell: the scenario touches it, so it is ranked in memory.
    expect((await app.gql(keys.EDITOR, PLAN, { input: planned(s, { phases: [{ journey: 'j', phase: 'aware' }], channels: ['web'] }) })).data?.addScenarioPiece.userErrors).toEqual([]);
    const ask = async (scenarioId?: string) => (await app.gql(keys.EDITOR, RECOMMEND, { s: scenarioId, seg: 's0', ph: 'aware', ch: 'web' })).data?.recommendedContent;
    const asIf = await ask(s);
    expect(asIf.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([encodeGlobalID('ContentPiece', older.id), expect.any(String), encodeGlobalID('ContentPiece', live.id)]);
    expect(asIf.edges[0].reason.codes).toContain('ENGAGEMENT');
    const strip = (answer: { edges: { score: number }[] }) => ({ ...answer, edges: answer.edges.map((e) => ({ ...e, score: Math.floor(e.score) })) });
    expect(strip(asIf)).toEqual(strip(await ask()));
  });
});

async function cellIds(workspaceId: string) {
  const phase = await app.database.prisma.phase.findFirstOrThrow({ where: { workspaceId, key: 'aware' } });
  const channel = await app.database.prisma.channel.findFirstOrThrow({ where: { workspaceId, key: 'web' } });
  return { phaseId: phase.id, channelId: channel.id };
}

/**
 * The promise: a scenario's answers equal the answers after making it. Each
 * run builds a random workspace, asks with the scenario, applies it for
 * real and asks again without: matrix, gaps and every cell's recommendation.
 * Interactions recorded for random pieces and cells make engagement decide
 * between pieces of equal priority, as it does in the ranking statement.
 */
const STATUSES: ContentStatus[] = ['IDEA', 'DRAFT', 'IN_REVIEW', 'SCHEDULED', 'PUBLISHED', 'ARCHIVED'];
const PHASES = ['aware', 'buy', 'stay'];
const SEGMENTS = ['s0', 's1', 's2'];
const CHANNELS = ['web', 'mail'];

describe('scenario answers equal the answers after applying it (property)', () => {
  it('holds on random workspaces and scenarios', async () => {
    const subset = <T>(items: readonly T[], min: number) => fc.uniqueArray(fc.constantFrom(...items), { minLength: min, maxLength: items.length });
    const offset = fc.option(fc.constantFrom(-20 * DAY, -DAY, DAY, 20 * DAY), { nil: null });
    const targeting = { phases: subset(PHASES, 1), channels: subset(CHANNELS, 1), segments: fc.oneof(fc.constant([] as string[]), subset(SEGMENTS, 1)) };
    const world = fc.record({
      pieces: fc.array(fc.record({ status: fc.constantFrom(...STATUSES, 'PUBLISHED', 'PUBLISHED'), ...targeting, publishAt: offset, expiresAt: offset, priority: fc.integer({ min: 0, max: 3 }), locale: fc.constantFrom('nl-NL', 'en-GB') }), { minLength: 1, maxLength: 8 }),
      planned: fc.array(fc.record({ status: fc.constantFrom('IDEA', 'DRAFT'), ...targeting }), { maxLength: 4 }),
      changes: fc.array(fc.record({ piece: fc.nat(), kind: fc.constantFrom('ARCHIVE', 'MOVE'), publishAt: offset, expiresAt: offset }), { maxLength: 4 }),
      minLive: fc.integer({ min: 1, max: 2 }),
      interactions: fc.array(
        fc.record({ piece: fc.nat(), segment: fc.constantFrom(...SEGMENTS), impressions: fc.integer({ min: 0, max: 400 }), clicks: fc.integer({ min: 0, max: 60 }), conversions: fc.integer({ min: 0, max: 20 }) }),
        { maxLength: 12 },
      ),
    });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(world, async (w) => {
        run += 1;
        const keys = await app.workspace(`property ${run}`);
        const f = new Fixture(app.database.prisma, keys.workspaceId);
        await f.journey('j', [['aware', 'BECOME'], ['buy', 'BE'], ['stay', 'STAY']]);
        await f.segment('s0');
        await f.segment('s1', 's0');
        await f.segment('s2');
        for (const c of CHANNELS) await f.channel(c);
        await f.touchpoint('t', 'aware', 'web');
        await f.rule({ phase: 'buy' }, { minLive: w.minLive });
        const now = Date.now();
        const at = (o: number | null) => (o === null ? null : new Date(now + o));
        const pieces: { id: string }[] = [];
        for (const [i, p] of w.pieces.entries()) {
          const publishAt = p.status === 'SCHEDULED' ? at(p.publishAt ?? DAY) : at(p.publishAt);
          const expiresAt = publishAt && p.expiresAt !== null && now + p.expiresAt <= publishAt.getTime() ? null : at(p.expiresAt);
          pieces.push(await f.piece({ title: `p${i}`, status: p.status, phases: p.phases, channels: p.channels, segments: p.segments, publishAt, expiresAt, priority: p.priority, locale: p.locale }));
        }
        const where = { where: { workspaceId: keys.workspaceId } };
        const byKey = (rows: { id: string; key: string }[]) => new Map(rows.map((r) => [r.key, r.id]));
        const segmentIds = byKey(await app.database.prisma.segment.findMany(where));
        const phaseIds = byKey(await app.database.prisma.phase.findMany(where));
        const channelIds = byKey(await app.database.prisma.channel.findMany(where));
        await recordTotals(
          app.database,
          keys.workspaceId,
          // One row per piece and cell: repeated draws of the same add up.
          // At one of the cells the piece is tagged to, so that they can decide its place.
          w.interactions.map((i) => {
            const at = w.pieces[i.piece % pieces.length]!;
            const [phase, channel] = [at.phases[i.impressions % at.phases.length]!, at.channels[i.clicks % at.channels.length]!];
            return { pieceId: pieces[i.piece % pieces.length]!.id, segmentId: segmentIds.get(i.segment)!, phaseId: phaseIds.get(phase)!, channelId: channelIds.get(channel)!, impressions: i.impressions, clicks: Math.min(i.clicks, i.impressions), conversions: i.conversions };
          }),
        );
        const s = await scenario(keys, `s${run}`);
        for (const p of w.planned) {
          const res = await app.gql(keys.EDITOR, PLAN, { input: { ...planned(s), status: p.status, phases: p.phases.map((phase) => ({ journey: 'j', phase })), channels: p.channels, segments: p.segments } });
          expect(res.data?.addScenarioPiece.userErrors).toEqual([]);
        }
        for (const c of w.changes) {
          const piece = pieces[c.piece % pieces.length]!;
          const iso = (o: number | null) => at(o)?.toISOString() ?? null;
          const input = c.kind === 'ARCHIVE' ? { scenario: s, piece: encodeGlobalID('ContentPiece', piece.id), kind: 'ARCHIVE' } : { scenario: s, piece: encodeGlobalID('ContentPiece', piece.id), kind: 'MOVE', publishAt: iso(c.publishAt), expiresAt: iso(c.expiresAt) };
          await app.gql(keys.EDITOR, CHANGE, { input }); // refusals (a repeated piece, a bad window) simply leave the change out
        }
        const instant = new Date(now + 60_000).toISOString();
        const answers = async (scenarioId?: string) => {
          const out: unknown[] = [];
          out.push((await app.gql(keys.EDITOR, MATRIX, { s: scenarioId, at: instant })).data);
          out.push((await app.gql(keys.EDITOR, GAPS, { s: scenarioId, at: instant })).data);
          for (const seg of SEGMENTS) for (const ph of PHASES) for (const ch of CHANNELS) {
            for (const locale of [undefined, 'en-GB']) {
              const res = await app.gql(keys.EDITOR, RECOMMEND.replace('first: 3', `first: 3${locale ? `, locale: "${locale}"` : ''}`), { s: scenarioId, seg, ph, ch, at: instant });
              expect(res.errors).toBeUndefined();
              // Scores carry the freshness of "now" to the millisecond: compared by order and ids.
              out.push({ ...res.data?.recommendedContent, edges: res.data?.recommendedContent.edges.map((e: any) => ({ ...e, score: Math.floor(e.score) })) });
            }
          }
          return out;
        };
        const asIf = await answers(s);
        const applied = await app.gql(keys.EDITOR, `mutation ($id: ID!) { applyScenario(input: { id: $id }) { userErrors { code message } } }`, { id: s });
        expect(applied.data?.applyScenario.userErrors).toEqual([]);
        expect(await answers()).toEqual(asIf);
      }),
      { numRuns: 12 },
    );
  }, 600_000);
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type WorkspaceKeys } from './support/app.js';

const FIELDS = 'id segment { key } phase { key } channel { key } minLive notExpected specificity';
const CREATE = /* GraphQL */ `
  mutation ($input: CreateCoverageRuleInput!) {
    createCoverageRule(input: $input) { coverageRule { ${FIELDS} } userErrors { field code message } }
  }
`;
const UPDATE = /* GraphQL */ `
  mutation ($input: UpdateCoverageRuleInput!) {
    updateCoverageRule(input: $input) { coverageRule { ${FIELDS} } userErrors { field code message } }
  }
`;
const DELETE = /* GraphQL */ `
  mutation ($id: ID!) { deleteCoverageRule(input: { id: $id }) { deletedId userErrors { field code message } } }
`;
const LIST = /* GraphQL */ `
  query ($segment: String, $channel: String) {
    coverageRules(segment: $segment, channel: $channel) { totalCount edges { node { segment { key } phase { key } channel { key } specificity } } }
  }
`;

let app: TestApp;
let ws: WorkspaceKeys;

/**
 * Journeys, channels and segments come from other modules; the tests make
 * them straight in the database: journeys b2b and b2c with phase
 * attention, channels web and mail, segments mkb (b2b) and families (b2c).
 */
async function seed(workspaceId: string) {
  const prisma = app.database.prisma;
  const journeys: Record<string, string> = {};
  for (const key of ['b2b', 'b2c']) {
    const journey = await prisma.journeyModel.create({
      data: {
        workspaceId,
        key,
        name: key,
        phases: { create: [{ workspaceId, key: 'attention', name: 'Attention', position: 0, archetype: 'AWARENESS', scope: 'BECOME' }] },
      },
    });
    journeys[key] = journey.id;
  }
  await prisma.channel.createMany({ data: [{ workspaceId, key: 'web', name: 'Web', kind: 'WEBSITE' }, { workspaceId, key: 'mail', name: 'Mail', kind: 'EMAIL' }] });
  await prisma.segment.createMany({
    data: [
      { workspaceId, key: 'mkb', name: 'MKB', market: 'B2B', journeyId: journeys.b2b! },
      { workspaceId, key: 'families', name: 'Families', market: 'B2C', journeyId: journeys.b2c! },
    ],
  });
}

async function create(input: Record<string, unknown>, key = ws.EDITOR) {
  const res = await app.gql(key, CREATE, { input });
  expect(res.errors).toBeUndefined();
  return res.data?.createCoverageRule;
}

async function snapshot() {
  return app.database.prisma.coverageRule.findMany({ where: { workspaceId: ws.workspaceId }, orderBy: { id: 'asc' } });
}

function fieldsOf(payload: { userErrors: { field: string[]; code: string }[] }) {
  return payload.userErrors.map((e) => `${e.field.join('.')}:${e.code}`);
}

/** A rule as a short label: segment/phase/channel, "*" for all. */
function label(rule: { segment: { key: string } | null; phase: { key: string } | null; channel: { key: string } | null }) {
  return [rule.segment?.key ?? '*', rule.phase?.key ?? '*', rule.channel?.key ?? '*'].join('/');
}

async function labels(variables: Record<string, unknown>) {
  const res = await app.gql(ws.EDITOR, LIST, variables);
  expect(res.errors).toBeUndefined();
  return res.data?.coverageRules.edges.map((e: { node: Parameters<typeof label>[0] }) => label(e.node));
}

let specificId: string;
let defaultId: string;

beforeAll(async () => {
  app = await startTestApp();
  ws = await app.workspace();
  await seed(ws.workspaceId);
});
afterAll(() => app.close());

describe('coverage rules', () => {
  it('an editor sets a workspace-wide default and more specific rules; specificity counts the named dimensions', async () => {
    const all = await create({ minLive: 1 });
    expect(all).toEqual({
      coverageRule: { id: expect.any(String), segment: null, phase: null, channel: null, minLive: 1, notExpected: false, specificity: 0 },
      userErrors: [],
    });
    defaultId = all.coverageRule.id;
    const specific = await create({ segment: 'mkb', phase: { journey: 'b2b', phase: 'attention' }, channel: 'web', minLive: 3 });
    expect(specific.coverageRule).toMatchObject({ segment: { key: 'mkb' }, phase: { key: 'attention' }, channel: { key: 'web' }, minLive: 3, specificity: 3 });
    specificId = specific.coverageRule.id;
    const silent = await create({ channel: 'mail', notExpected: true }, ws.ADMIN);
    expect(silent.coverageRule).toMatchObject({ channel: { key: 'mail' }, minLive: null, notExpected: true, specificity: 1 });
    const phaseOnly = await create({ phase: { journey: 'b2c', phase: 'attention' }, minLive: 2 });
    expect(phaseOnly.coverageRule).toMatchObject({ segment: null, phase: { key: 'attention' }, specificity: 1 });
    const segmentChannel = await create({ segment: 'families', channel: 'web', minLive: 2 });
    expect(segmentChannel.coverageRule.specificity).toBe(2);
  });

  it('lists rules oldest first, filtered to those that can apply to a segment or channel', async () => {
    expect(await labels({})).toEqual(['*/*/*', 'mkb/attention/web', '*/*/mail', '*/attention/*', 'families/*/web']);
    // For mkb: its own rules and those for every segment, except a phase of another journey.
    expect(await labels({ segment: 'mkb' })).toEqual(['*/*/*', 'mkb/attention/web', '*/*/mail']);
    expect(await labels({ segment: 'families' })).toEqual(['*/*/*', '*/*/mail', '*/attention/*', 'families/*/web']);
    expect(await labels({ channel: 'mail' })).toEqual(['*/*/*', '*/*/mail', '*/attention/*']);
    expect(await labels({ segment: 'families', channel: 'web' })).toEqual(['*/*/*', '*/attention/*', 'families/*/web']);
    const total = await app.gql(ws.EDITOR, '{ coverageRules(channel: "web") { totalCount } }');
    expect(total.data?.coverageRules.totalCount).toBe(4);
  });

  it('answers BAD_USER_INPUT naming an unknown segment or channel in the filters', async () => {
    for (const [variables, argument] of [[{ segment: 'nope' }, 'segment'], [{ channel: 'nope' }, 'channel']] as const) {
      const res = await app.gql(ws.EDITOR, LIST, variables);
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
    }
  });

  it('refuses a second rule for the same segment, phase and channel (also when all are "all") with CONFLICT, and writes nothing', async () => {
    const before = await snapshot();
    const again = await create({ notExpected: true });
    expect(again).toEqual({ coverageRule: null, userErrors: [{ field: ['input'], code: 'CONFLICT', message: expect.any(String) }] });
    const twin = await create({ segment: 'mkb', phase: { journey: 'b2b', phase: 'attention' }, channel: 'web', minLive: 1 });
    expect(fieldsOf(twin)).toEqual(['input:CONFLICT']);
    const mail = await create({ channel: 'mail', minLive: 2 });
    expect(fieldsOf(mail)).toEqual(['input:CONFLICT']);
    expect(await snapshot()).toEqual(before);
  });

  it('requires exactly one of minLive (at least 1) and notExpected: true', async () => {
    const before = await snapshot();
    expect(fieldsOf(await create({ segment: 'mkb' }))).toEqual(['input.minLive:INVALID']);
    expect(fieldsOf(await create({ segment: 'mkb', notExpected: false }))).toEqual(['input.minLive:INVALID']);
    expect(fieldsOf(await create({ segment: 'mkb', minLive: 2, notExpected: true }))).toEqual(['input.notExpected:INVALID']);
    expect(fieldsOf(await create({ segment: 'mkb', minLive: 0 }))).toEqual(['input.minLive:INVALID']);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses unknown keys with NOT_FOUND and a phase outside the segment\'s journey with INVALID, and writes nothing', async () => {
    const before = await snapshot();
    expect(fieldsOf(await create({ segment: 'nope', minLive: 1 }))).toEqual(['input.segment:NOT_FOUND']);
    expect(fieldsOf(await create({ phase: { journey: 'b2b', phase: 'nope' }, minLive: 1 }))).toEqual(['input.phase:NOT_FOUND']);
    expect(fieldsOf(await create({ channel: 'nope', minLive: 1 }))).toEqual(['input.channel:NOT_FOUND']);
    expect(fieldsOf(await create({ segment: 'mkb', phase: { journey: 'b2c', phase: 'attention' }, minLive: 1 }))).toEqual(['input.phase:INVALID']);
    expect(await snapshot()).toEqual(before);
  });

  it('delivery keys may neither read nor write coverage rules', async () => {
    const before = await snapshot();
    const list = await app.gql(ws.DELIVERY, '{ coverageRules { totalCount } }');
    expect(list.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const node = await app.gql(ws.DELIVERY, 'query ($id: ID!) { node(id: $id) { id ... on CoverageRule { notExpected minLive } } }', { id: specificId });
    expect(node.data?.node ?? null).toBeNull();
    expect(node.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    for (const [query, variables] of [
      [CREATE, { input: { segment: 'families', minLive: 1 } }],
      [UPDATE, { input: { id: specificId, minLive: 9 } }],
      [DELETE, { id: specificId }],
    ] as const) {
      const res = await app.gql(ws.DELIVERY, query, variables);
      expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    expect(await snapshot()).toEqual(before);
  });

  it('an editor reads a rule by global ID through node', async () => {
    const res = await app.gql(ws.EDITOR, 'query ($id: ID!) { node(id: $id) { ... on CoverageRule { minLive specificity } } }', { id: specificId });
    expect(res.data?.node).toEqual({ minLive: 3, specificity: 3 });
  });

  it('updates what a rule expects: minLive clears notExpected and notExpected clears minLive', async () => {
    const silenced = await app.gql(ws.EDITOR, UPDATE, { input: { id: specificId, notExpected: true } });
    expect(silenced.data?.updateCoverageRule).toMatchObject({ coverageRule: { minLive: null, notExpected: true, specificity: 3 }, userErrors: [] });
    const expected = await app.gql(ws.EDITOR, UPDATE, { input: { id: specificId, minLive: 4 } });
    expect(expected.data?.updateCoverageRule).toMatchObject({ coverageRule: { minLive: 4, notExpected: false }, userErrors: [] });
    const same = await app.gql(ws.EDITOR, UPDATE, { input: { id: specificId, notExpected: false, minLive: 2 } });
    expect(same.data?.updateCoverageRule).toMatchObject({ coverageRule: { minLive: 2, notExpected: false }, userErrors: [] });
  });

  it('refuses an update that leaves a rule expecting both or nothing, or a minLive below 1, and writes nothing', async () => {
    const before = await snapshot();
    const cases: [Record<string, unknown>, string][] = [
      [{ minLive: 2, notExpected: true }, 'input.notExpected:INVALID'],
      [{ minLive: null }, 'input.minLive:INVALID'],
      [{ notExpected: false, minLive: null }, 'input.minLive:INVALID'],
      [{ minLive: 0 }, 'input.minLive:INVALID'],
    ];
    for (const [input, error] of cases) {
      const res = await app.gql(ws.EDITOR, UPDATE, { input: { id: specificId, ...input } });
      expect(fieldsOf(res.data?.updateCoverageRule)).toEqual([error]);
    }
    const noId = await app.gql(ws.EDITOR, UPDATE, { input: { id: 'nope', minLive: 1 } });
    expect(fieldsOf(noId.data?.updateCoverageRule)).toEqual(['input.id:NOT_FOUND']);
    expect(await snapshot()).toEqual(before);
  });

  it('deletes a rule, after which the same dimensions can take a new one', async () => {
    const del = await app.gql(ws.EDITOR, DELETE, { id: defaultId });
    expect(del.data?.deleteCoverageRule).toEqual({ deletedId: defaultId, userErrors: [] });
    const again = await app.gql(ws.EDITOR, DELETE, { id: defaultId });
    expect(fieldsOf(again.data?.deleteCoverageRule)).toEqual(['input.id:NOT_FOUND']);
    const fresh = await create({ notExpected: true });
    expect(fresh.userErrors).toEqual([]);
  });

  it('another workspace neither sees, references nor changes the rules, and its own rules never clash with them', async () => {
    const other = await app.workspace('Other');
    const before = await snapshot();

    const list = await app.gql(other.EDITOR, '{ coverageRules { totalCount } }');
    expect(list.data?.coverageRules.totalCount).toBe(0);
    const node = await app.gql(other.EDITOR, 'query ($id: ID!) { node(id: $id) { id } }', { id: specificId });
    expect(node.data?.node).toBeNull();
    const filtered = await app.gql(other.EDITOR, LIST, { segment: 'mkb' });
    expect(filtered.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'segment' });

    for (const [input, error] of [
      [{ segment: 'mkb', minLive: 1 }, 'input.segment:NOT_FOUND'],
      [{ phase: { journey: 'b2b', phase: 'attention' }, minLive: 1 }, 'input.phase:NOT_FOUND'],
      [{ channel: 'web', minLive: 1 }, 'input.channel:NOT_FOUND'],
    ] as const) {
      const res = await app.gql(other.EDITOR, CREATE, { input });
      expect(fieldsOf(res.data?.createCoverageRule)).toEqual([error]);
    }
    const update = await app.gql(other.EDITOR, UPDATE, { input: { id: specificId, minLive: 9 } });
    expect(fieldsOf(update.data?.updateCoverageRule)).toEqual(['input.id:NOT_FOUND']);
    const del = await app.gql(other.EDITOR, DELETE, { id: specificId });
    expect(fieldsOf(del.data?.deleteCoverageRule)).toEqual(['input.id:NOT_FOUND']);

    // The first workspace has a rule for all/all/all; the other may have its own.
    const own = await app.gql(other.EDITOR, CREATE, { input: { notExpected: true } });
    expect(own.data?.createCoverageRule.userErrors).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type WorkspaceKeys } from './support/app.js';

const FIELDS = 'id name phase { key } channel { key } segment { key } emotion salesOpportunity device needType notes';
const CREATE = /* GraphQL */ `
  mutation ($input: CreateTouchpointInput!) {
    createTouchpoint(input: $input) { touchpoint { ${FIELDS} } userErrors { field code message } }
  }
`;
const UPDATE = /* GraphQL */ `
  mutation ($input: UpdateTouchpointInput!) {
    updateTouchpoint(input: $input) { touchpoint { ${FIELDS} } userErrors { field code message } }
  }
`;
const DELETE = /* GraphQL */ `
  mutation ($id: ID!) { deleteTouchpoint(input: { id: $id }) { deletedId userErrors { field code message } } }
`;
const LIST = /* GraphQL */ `
  query ($journey: String, $phase: PhaseRefInput, $channel: String, $segment: String) {
    touchpoints(journey: $journey, phase: $phase, channel: $channel, segment: $segment) { totalCount edges { node { name } } }
  }
`;

let app: TestApp;
let ws: WorkspaceKeys;

/**
 * Journeys, channels and segments come from other modules; the tests make
 * them straight in the database: journeys b2b and b2c with phases
 * attention and action, channels web and mail, segments mkb (b2b) and
 * families (b2c).
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
        phases: {
          create: [
            { workspaceId, key: 'attention', name: 'Attention', position: 0, archetype: 'AWARENESS', scope: 'BECOME' },
            { workspaceId, key: 'action', name: 'Action', position: 1, archetype: 'DECISION', scope: 'BECOME' },
          ],
        },
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
  return res.data?.createTouchpoint;
}

async function names(variables: Record<string, unknown>, key = ws.EDITOR) {
  const res = await app.gql(key, LIST, variables);
  expect(res.errors).toBeUndefined();
  return res.data?.touchpoints.edges.map((e: { node: { name: string } }) => e.node.name);
}

async function idOf(name: string): Promise<string> {
  const row = await app.database.prisma.touchpoint.findFirstOrThrow({ where: { workspaceId: ws.workspaceId, name } });
  const res = await app.gql(ws.EDITOR, '{ touchpoints { edges { node { id name } } } }');
  return res.data?.touchpoints.edges.find((e: { node: { name: string } }) => e.node.name === row.name).node.id;
}

async function snapshot() {
  return app.database.prisma.touchpoint.findMany({ where: { workspaceId: ws.workspaceId }, orderBy: { id: 'asc' } });
}

function fieldsOf(payload: { userErrors: { field: string[]; code: string }[] }) {
  return payload.userErrors.map((e) => `${e.field.join('.')}:${e.code}`);
}

beforeAll(async () => {
  app = await startTestApp();
  ws = await app.workspace();
  await seed(ws.workspaceId);
});
afterAll(() => app.close());

describe('touchpoints', () => {
  it('an editor maps a touchpoint at a phase and channel, for one segment, with what matters there', async () => {
    const created = await create({
      name: 'Intake call',
      phase: { journey: 'b2b', phase: 'action' },
      channel: 'mail',
      segment: 'mkb',
      emotion: -2,
      salesOpportunity: true,
      device: 'phone',
      needType: 'EMOTIONAL',
      notes: 'Customers are nervous here.',
    });
    expect(created).toEqual({
      touchpoint: {
        id: expect.any(String),
        name: 'Intake call',
        phase: { key: 'action' },
        channel: { key: 'mail' },
        segment: { key: 'mkb' },
        emotion: -2,
        salesOpportunity: true,
        device: 'phone',
        needType: 'EMOTIONAL',
        notes: 'Customers are nervous here.',
      },
      userErrors: [],
    });
  });

  it('a touchpoint without a segment is for every segment, neutral and not a sales moment by default', async () => {
    const created = await create({ name: 'Home page', phase: { journey: 'b2b', phase: 'attention' }, channel: 'web' });
    expect(created.touchpoint).toMatchObject({ segment: null, emotion: 0, salesOpportunity: false, device: null, needType: null, notes: null });
    // An admin may map touchpoints too.
    const byAdmin = await create({ name: 'Family blog', phase: { journey: 'b2c', phase: 'attention' }, channel: 'web' }, ws.ADMIN);
    expect(byAdmin.userErrors).toEqual([]);
  });

  it('lists touchpoints in journey order, filtered by journey, phase, channel, and the segments they apply to', async () => {
    expect(await names({})).toEqual(['Home page', 'Intake call', 'Family blog']);
    expect(await names({ journey: 'b2c' })).toEqual(['Family blog']);
    expect(await names({ phase: { journey: 'b2b', phase: 'attention' } })).toEqual(['Home page']);
    expect(await names({ channel: 'mail' })).toEqual(['Intake call']);
    // For a segment: its own touchpoints and those for every segment of its journey, never another journey's.
    expect(await names({ segment: 'mkb' })).toEqual(['Home page', 'Intake call']);
    expect(await names({ segment: 'families' })).toEqual(['Family blog']);
    const total = await app.gql(ws.EDITOR, '{ touchpoints(channel: "web") { totalCount } }');
    expect(total.data?.touchpoints.totalCount).toBe(2);
  });

  it('answers BAD_USER_INPUT naming an unknown journey, phase, channel or segment in the filters', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ journey: 'nope' }, 'journey'],
      [{ phase: { journey: 'b2b', phase: 'nope' } }, 'phase'],
      [{ channel: 'nope' }, 'channel'],
      [{ segment: 'nope' }, 'segment'],
    ];
    for (const [variables, argument] of cases) {
      const res = await app.gql(ws.EDITOR, LIST, variables);
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
    }
  });

  it('delivery keys may neither read nor write touchpoints', async () => {
    const list = await app.gql(ws.DELIVERY, '{ touchpoints { totalCount } }');
    expect(list.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const id = await idOf('Home page');
    const node = await app.gql(ws.DELIVERY, 'query ($id: ID!) { node(id: $id) { ... on Touchpoint { name } } }', { id });
    expect(node.data?.node ?? null).toBeNull();
    expect(node.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const before = await snapshot();
    const created = await app.gql(ws.DELIVERY, CREATE, { input: { name: 'X', phase: { journey: 'b2b', phase: 'attention' }, channel: 'web' } });
    expect(created.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const updated = await app.gql(ws.DELIVERY, UPDATE, { input: { id, name: 'X' } });
    expect(updated.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const deleted = await app.gql(ws.DELIVERY, DELETE, { id });
    expect(deleted.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await snapshot()).toEqual(before);
  });

  it('an editor reads a touchpoint by global ID through node', async () => {
    const id = await idOf('Intake call');
    const res = await app.gql(ws.EDITOR, 'query ($id: ID!) { node(id: $id) { ... on Touchpoint { name segment { key } } } }', { id });
    expect(res.data?.node).toEqual({ name: 'Intake call', segment: { key: 'mkb' } });
  });

  it('refuses an out-of-range emotion, an empty name and an empty device, and writes nothing', async () => {
    const before = await snapshot();
    const bad = await create({ name: ' ', phase: { journey: 'b2b', phase: 'attention' }, channel: 'web', emotion: 3, device: '' });
    expect(fieldsOf(bad)).toEqual(expect.arrayContaining(['input.name:INVALID', 'input.emotion:INVALID', 'input.device:INVALID']));
    const low = await create({ name: 'Low', phase: { journey: 'b2b', phase: 'attention' }, channel: 'web', emotion: -3 });
    expect(fieldsOf(low)).toEqual(['input.emotion:INVALID']);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses an unknown phase, channel or segment with NOT_FOUND on that field, and writes nothing', async () => {
    const before = await snapshot();
    const base = { name: 'X', phase: { journey: 'b2b', phase: 'attention' }, channel: 'web' };
    expect(fieldsOf(await create({ ...base, phase: { journey: 'b2b', phase: 'nope' } }))).toEqual(['input.phase:NOT_FOUND']);
    expect(fieldsOf(await create({ ...base, phase: { journey: 'nope', phase: 'attention' } }))).toEqual(['input.phase:NOT_FOUND']);
    expect(fieldsOf(await create({ ...base, channel: 'nope' }))).toEqual(['input.channel:NOT_FOUND']);
    expect(fieldsOf(await create({ ...base, segment: 'nope' }))).toEqual(['input.segment:NOT_FOUND']);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a segment that does not follow the phase\'s journey', async () => {
    const before = await snapshot();
    const res = await create({ name: 'X', phase: { journey: 'b2b', phase: 'attention' }, channel: 'web', segment: 'families' });
    expect(res).toEqual({ touchpoint: null, userErrors: [{ field: ['input', 'segment'], code: 'INVALID', message: expect.stringContaining('families') }] });
    expect(await snapshot()).toEqual(before);
  });

  it('updates a touchpoint and clears its optional fields with null', async () => {
    const id = await idOf('Intake call');
    const res = await app.gql(ws.EDITOR, UPDATE, {
      input: { id, name: 'Kick-off call', emotion: 1, salesOpportunity: false, channel: 'web', phase: { journey: 'b2b', phase: 'attention' }, device: null, needType: null, notes: null },
    });
    expect(res.data?.updateTouchpoint).toEqual({
      touchpoint: {
        id,
        name: 'Kick-off call',
        phase: { key: 'attention' },
        channel: { key: 'web' },
        segment: { key: 'mkb' },
        emotion: 1,
        salesOpportunity: false,
        device: null,
        needType: null,
        notes: null,
      },
      userErrors: [],
    });
    const generic = await app.gql(ws.EDITOR, UPDATE, { input: { id, segment: null } });
    expect(generic.data?.updateTouchpoint).toMatchObject({ touchpoint: { segment: null, name: 'Kick-off call', emotion: 1 }, userErrors: [] });
    const back = await app.gql(ws.EDITOR, UPDATE, { input: { id, segment: 'mkb' } });
    expect(back.data?.updateTouchpoint).toMatchObject({ touchpoint: { segment: { key: 'mkb' } }, userErrors: [] });
  });

  it('refuses an update that would put a touchpoint at a phase outside its segment\'s journey, naming the field that changed', async () => {
    const id = await idOf('Kick-off call');
    const before = await snapshot();
    const phase = await app.gql(ws.EDITOR, UPDATE, { input: { id, phase: { journey: 'b2c', phase: 'attention' } } });
    expect(fieldsOf(phase.data?.updateTouchpoint)).toEqual(['input.phase:INVALID']);
    const segment = await app.gql(ws.EDITOR, UPDATE, { input: { id, segment: 'families' } });
    expect(fieldsOf(segment.data?.updateTouchpoint)).toEqual(['input.segment:INVALID']);
    const range = await app.gql(ws.EDITOR, UPDATE, { input: { id, emotion: 5 } });
    expect(fieldsOf(range.data?.updateTouchpoint)).toEqual(['input.emotion:INVALID']);
    const unknown = await app.gql(ws.EDITOR, UPDATE, { input: { id, channel: 'nope' } });
    expect(fieldsOf(unknown.data?.updateTouchpoint)).toEqual(['input.channel:NOT_FOUND']);
    const noId = await app.gql(ws.EDITOR, UPDATE, { input: { id: 'nope', name: 'X' } });
    expect(fieldsOf(noId.data?.updateTouchpoint)).toEqual(['input.id:NOT_FOUND']);
    expect(await snapshot()).toEqual(before);
    // Moving phase and segment together to the other journey is fine.
    const both = await app.gql(ws.EDITOR, UPDATE, { input: { id, phase: { journey: 'b2c', phase: 'action' }, segment: 'families' } });
    expect(both.data?.updateTouchpoint).toMatchObject({ touchpoint: { phase: { key: 'action' }, segment: { key: 'families' } }, userErrors: [] });
  });

  it('deleting a touchpoint unlinks the content pieces that served it and keeps the pieces', async () => {
    const prisma = app.database.prisma;
    const id = await idOf('Home page');
    const row = await prisma.touchpoint.findFirstOrThrow({ where: { workspaceId: ws.workspaceId, name: 'Home page' } });
    const piece = await prisma.contentPiece.create({
      data: { workspaceId: ws.workspaceId, title: 'Welcome', format: 'LANDING_PAGE', locale: 'nl-NL', touchpoints: { create: { touchpointId: row.id } } },
    });
    const res = await app.gql(ws.EDITOR, DELETE, { id });
    expect(res.data?.deleteTouchpoint).toEqual({ deletedId: id, userErrors: [] });
    expect(await prisma.touchpoint.count({ where: { id: row.id } })).toBe(0);
    expect(await prisma.contentTouchpoint.count({ where: { pieceId: piece.id } })).toBe(0);
    expect(await prisma.contentPiece.count({ where: { id: piece.id } })).toBe(1);
    const again = await app.gql(ws.EDITOR, DELETE, { id });
    expect(fieldsOf(again.data?.deleteTouchpoint)).toEqual(['input.id:NOT_FOUND']);
  });

  it('another workspace neither sees, references nor changes the touchpoints', async () => {
    const other = await app.workspace('Other');
    const id = await idOf('Family blog');
    const before = await snapshot();

    const list = await app.gql(other.EDITOR, '{ touchpoints { totalCount } }');
    expect(list.data?.touchpoints.totalCount).toBe(0);
    const node = await app.gql(other.EDITOR, 'query ($id: ID!) { node(id: $id) { id } }', { id });
    expect(node.data?.node).toBeNull();
    for (const [variables, argument] of [[{ segment: 'mkb' }, 'segment'], [{ channel: 'web' }, 'channel'], [{ journey: 'b2b' }, 'journey']] as const) {
      const res = await app.gql(other.EDITOR, LIST, variables);
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
    }

    const created = await app.gql(other.EDITOR, CREATE, { input: { name: 'X', phase: { journey: 'b2b', phase: 'attention' }, channel: 'web' } });
    expect(fieldsOf(created.data?.createTouchpoint)).toEqual(['input.phase:NOT_FOUND']);
    const update = await app.gql(other.EDITOR, UPDATE, { input: { id, name: 'Hacked' } });
    expect(fieldsOf(update.data?.updateTouchpoint)).toEqual(['input.id:NOT_FOUND']);
    const del = await app.gql(other.EDITOR, DELETE, { id });
    expect(fieldsOf(del.data?.deleteTouchpoint)).toEqual(['input.id:NOT_FOUND']);

    // With a journey of its own, the first workspace's channel and segment keys still name nothing.
    await seedOwnJourney(other.workspaceId);
    const channel = await app.gql(other.EDITOR, CREATE, { input: { name: 'X', phase: { journey: 'b2b', phase: 'attention' }, channel: 'web' } });
    expect(fieldsOf(channel.data?.createTouchpoint)).toEqual(['input.channel:NOT_FOUND']);
    await app.database.prisma.channel.create({ data: { workspaceId: other.workspaceId, key: 'web', name: 'Web', kind: 'WEBSITE' } });
    const segment = await app.gql(other.EDITOR, CREATE, { input: { name: 'X', phase: { journey: 'b2b', phase: 'attention' }, channel: 'web', segment: 'mkb' } });
    expect(fieldsOf(segment.data?.createTouchpoint)).toEqual(['input.segment:NOT_FOUND']);
    expect(await snapshot()).toEqual(before);
  });
});

async function seedOwnJourney(workspaceId: string) {
  await app.database.prisma.journeyModel.create({
    data: {
      workspaceId,
      key: 'b2b',
      name: 'b2b',
      phases: { create: [{ workspaceId, key: 'attention', name: 'Attention', position: 0, archetype: 'AWARENESS', scope: 'BECOME' }] },
    },
  });
}

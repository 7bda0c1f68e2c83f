import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type WorkspaceKeys } from './support/app.js';

const CREATE = /* GraphQL */ `
  mutation ($input: CreateSegmentInput!) {
    createSegment(input: $input) { segment { id key name market journey { key } parent { key } } userErrors { field code message } }
  }
`;
const UPDATE = /* GraphQL */ `
  mutation ($input: UpdateSegmentInput!) {
    updateSegment(input: $input) { segment { key name description market journey { key } parent { key } } userErrors { field code message } }
  }
`;
const DELETE = /* GraphQL */ `
  mutation ($id: ID!) { deleteSegment(input: { id: $id }) { deletedId userErrors { field code message } } }
`;

let app: TestApp;
let ws: WorkspaceKeys;

/** Journeys come from another module; the tests make them straight in the database. */
async function journey(workspaceId: string, key: string) {
  return app.database.prisma.journeyModel.create({
    data: {
      workspaceId,
      key,
      name: key,
      phases: { create: [{ workspaceId, key: 'attention', name: 'Attention', position: 0, archetype: 'AWARENESS', scope: 'BECOME' }] },
    },
    include: { phases: true },
  });
}

async function create(input: Record<string, unknown>, key = ws.ADMIN) {
  const res = await app.gql(key, CREATE, { input });
  return res.data?.createSegment;
}

async function idOf(key: string): Promise<string> {
  const res = await app.gql(ws.ADMIN, 'query ($key: String!) { segment(key: $key) { id } }', { key });
  return res.data?.segment.id;
}

async function snapshot() {
  return app.database.prisma.segment.findMany({ where: { workspaceId: ws.workspaceId }, orderBy: { key: 'asc' } });
}

function fieldsOf(payload: { userErrors: { field: string[]; code: string }[] }) {
  return payload.userErrors.map((e) => `${e.field.join('.')}:${e.code}`);
}

beforeAll(async () => {
  app = await startTestApp();
  ws = await app.workspace();
  await journey(ws.workspaceId, 'b2b');
  await journey(ws.workspaceId, 'b2c');
});
afterAll(() => app.close());

describe('segments', () => {
  it('an admin creates a segment tree and anyone in the workspace reads it, with children and ancestors nearest first', async () => {
    expect(await create({ key: 'mkb', name: 'MKB', market: 'B2B', journey: 'b2b', description: 'Small and medium businesses' })).toMatchObject({
      segment: { key: 'mkb', market: 'B2B', journey: { key: 'b2b' }, parent: null },
      userErrors: [],
    });
    expect(await create({ key: 'zzp', name: "ZZP'ers", market: 'B2B', journey: 'b2b', parent: 'mkb' })).toMatchObject({
      segment: { key: 'zzp', parent: { key: 'mkb' } },
      userErrors: [],
    });
    await create({ key: 'zzp-it', name: 'ZZP IT', market: 'B2B', journey: 'b2b', parent: 'zzp' });
    await create({ key: 'retail', name: 'Retail', market: 'B2B', journey: 'b2b', parent: 'mkb' });

    const read = await app.gql(ws.DELIVERY, `{
      segment(key: "zzp-it") { name ancestors { key } parent { key } journey { key } }
      mkb: segment(key: "mkb") { description children { key } ancestors { key } }
    }`);
    expect(read.errors).toBeUndefined();
    expect(read.data?.segment).toEqual({ name: 'ZZP IT', ancestors: [{ key: 'zzp' }, { key: 'mkb' }], parent: { key: 'zzp' }, journey: { key: 'b2b' } });
    expect(read.data?.mkb).toEqual({ description: 'Small and medium businesses', children: [{ key: 'retail' }, { key: 'zzp' }], ancestors: [] });
  });

  it('reads ancestors with one query per level', async () => {
    const cost = (key: string) => app.countStatements(() => app.gql(ws.DELIVERY, `{ segment(key: "${key}") { ancestors { key name } } }`));
    const root = await cost('mkb');
    const deep = await cost('zzp-it');
    expect(deep - root).toBe(2);
  });

  it('lists segments by key, filtered by journey, parent, roots and market', async () => {
    await create({ key: 'families', name: 'Families', market: 'B2C', journey: 'b2c' });
    const list = async (args: string) => {
      const res = await app.gql(ws.DELIVERY, `{ segments${args} { totalCount edges { node { key } } } }`);
      expect(res.errors).toBeUndefined();
      return { total: res.data?.segments.totalCount, keys: res.data?.segments.edges.map((e: { node: { key: string } }) => e.node.key) };
    };
    expect(await list('')).toEqual({ total: 5, keys: ['families', 'mkb', 'retail', 'zzp', 'zzp-it'] });
    expect(await list('(journey: "b2c")')).toEqual({ total: 1, keys: ['families'] });
    expect(await list('(parent: "mkb")')).toEqual({ total: 2, keys: ['retail', 'zzp'] });
    expect(await list('(rootsOnly: true)')).toEqual({ total: 2, keys: ['families', 'mkb'] });
    expect(await list('(market: B2C)')).toEqual({ total: 1, keys: ['families'] });
    expect(await list('(journey: "b2b", rootsOnly: true, market: B2B)')).toEqual({ total: 1, keys: ['mkb'] });
    expect(await list('(first: 2)')).toEqual({ total: 5, keys: ['families', 'mkb'] });
  });

  it('answers BAD_USER_INPUT for an unknown journey or parent key, and for rootsOnly with a parent', async () => {
    for (const [args, argument] of [['journey: "nope"', 'journey'], ['parent: "nope"', 'parent'], ['parent: "mkb", rootsOnly: true', 'rootsOnly']]) {
      const res = await app.gql(ws.DELIVERY, `{ segments(${args}) { totalCount } }`);
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
    }
  });

  it('answers null for an unknown segment key', async () => {
    const res = await app.gql(ws.DELIVERY, '{ segment(key: "nope") { id } }');
    expect(res.data?.segment).toBeNull();
  });

  it('refuses a taken key, a malformed key and an empty name, and writes nothing', async () => {
    const before = await snapshot();
    const taken = await create({ key: 'mkb', name: 'Other', market: 'B2C', journey: 'b2c' });
    expect(taken).toEqual({ segment: null, userErrors: [{ field: ['input', 'key'], code: 'CONFLICT', message: expect.stringContaining('mkb') }] });
    const bad = await create({ key: 'Not A Key', name: ' ', market: 'B2C', journey: 'b2c' });
    expect(fieldsOf(bad)).toEqual(expect.arrayContaining(['input.key:INVALID', 'input.name:INVALID']));
    expect(await snapshot()).toEqual(before);
  });

  it('refuses an unknown journey or parent key with NOT_FOUND, and writes nothing', async () => {
    const before = await snapshot();
    expect(fieldsOf(await create({ key: 'x', name: 'X', market: 'B2C', journey: 'nope' }))).toEqual(['input.journey:NOT_FOUND']);
    expect(fieldsOf(await create({ key: 'x', name: 'X', market: 'B2C', journey: 'b2c', parent: 'nope' }))).toEqual(['input.parent:NOT_FOUND']);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a sub-segment that does not follow its parent\'s journey', async () => {
    const before = await snapshot();
    const res = await create({ key: 'young-families', name: 'Young families', market: 'B2C', journey: 'b2b', parent: 'families' });
    expect(fieldsOf(res)).toEqual(['input.parent:INVALID']);
    expect(await snapshot()).toEqual(before);
  });

  it('editors and delivery keys may read segments but not write them', async () => {
    const id = await idOf('mkb');
    for (const key of [ws.EDITOR, ws.DELIVERY]) {
      const created = await app.gql(key, CREATE, { input: { key: 'x', name: 'X', market: 'B2C', journey: 'b2c' } });
      expect(created.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const updated = await app.gql(key, UPDATE, { input: { id, name: 'Changed' } });
      expect(updated.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const deleted = await app.gql(key, DELETE, { id });
      expect(deleted.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    expect(await app.database.prisma.segment.findFirst({ where: { key: 'mkb' } })).toMatchObject({ name: 'MKB' });
    expect(await app.database.prisma.segment.count({ where: { key: 'x' } })).toBe(0);
  });

  it('updates fields, moves a segment under another parent and makes it a root again', async () => {
    await create({ key: 'startups', name: 'Startups', market: 'B2B', journey: 'b2b' });
    const id = await idOf('startups');
    const moved = await app.gql(ws.ADMIN, UPDATE, { input: { id, name: 'Start-ups', description: 'Young companies', market: 'B2C', parent: 'mkb' } });
    expect(moved.data?.updateSegment).toEqual({
      segment: { key: 'startups', name: 'Start-ups', description: 'Young companies', market: 'B2C', journey: { key: 'b2b' }, parent: { key: 'mkb' } },
      userErrors: [],
    });
    const root = await app.gql(ws.ADMIN, UPDATE, { input: { id, parent: null, description: null, key: 'starters' } });
    expect(root.data?.updateSegment).toMatchObject({ segment: { key: 'starters', description: null, parent: null }, userErrors: [] });
  });

  it('refuses a parent that would make a loop: the segment itself or one of its descendants', async () => {
    const id = await idOf('mkb');
    const before = await snapshot();
    for (const parent of ['mkb', 'zzp', 'zzp-it']) {
      const res = await app.gql(ws.ADMIN, UPDATE, { input: { id, parent, name: 'Renamed' } });
      expect(res.data?.updateSegment).toEqual({ segment: null, userErrors: [{ field: ['input', 'parent'], code: 'INVALID', message: expect.stringContaining('loop') }] });
    }
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a taken key, an unknown parent or journey and an unknown id on update', async () => {
    const id = await idOf('retail');
    const before = await snapshot();
    const taken = await app.gql(ws.ADMIN, UPDATE, { input: { id, key: 'mkb' } });
    expect(fieldsOf(taken.data?.updateSegment)).toEqual(['input.key:CONFLICT']);
    expect(fieldsOf((await app.gql(ws.ADMIN, UPDATE, { input: { id, parent: 'nope' } })).data?.updateSegment)).toEqual(['input.parent:NOT_FOUND']);
    expect(fieldsOf((await app.gql(ws.ADMIN, UPDATE, { input: { id, journey: 'nope' } })).data?.updateSegment)).toEqual(['input.journey:NOT_FOUND']);
    expect(fieldsOf((await app.gql(ws.ADMIN, UPDATE, { input: { id: 'not-an-id', name: 'X' } })).data?.updateSegment)).toEqual(['input.id:NOT_FOUND']);
    expect(await snapshot()).toEqual(before);
  });

  it('moves a segment to another journey only when no sub-segment, parent or journey-bound use stays behind', async () => {
    const before = await snapshot();
    // Has sub-segments.
    const mkb = await app.gql(ws.ADMIN, UPDATE, { input: { id: await idOf('mkb'), journey: 'b2c' } });
    expect(fieldsOf(mkb.data?.updateSegment)).toEqual(['input.journey:INVALID']);
    // Its parent stays in the old journey.
    const retail = await app.gql(ws.ADMIN, UPDATE, { input: { id: await idOf('retail'), journey: 'b2c' } });
    expect(fieldsOf(retail.data?.updateSegment)).toEqual(['input.journey:INVALID']);
    // A parent named in the same call must follow the new journey too.
    const wrongParent = await app.gql(ws.ADMIN, UPDATE, { input: { id: await idOf('retail'), journey: 'b2c', parent: 'mkb' } });
    expect(fieldsOf(wrongParent.data?.updateSegment)).toEqual(['input.parent:INVALID']);
    expect(await snapshot()).toEqual(before);

    // With a new parent in the new journey, the move succeeds.
    const moved = await app.gql(ws.ADMIN, UPDATE, { input: { id: await idOf('retail'), journey: 'b2c', parent: 'families' } });
    expect(moved.data?.updateSegment).toMatchObject({ segment: { journey: { key: 'b2c' }, parent: { key: 'families' } }, userErrors: [] });
  });

  it('refuses to move a segment whose touchpoints name its current journey\'s phases', async () => {
    const segment = await app.database.prisma.segment.findFirstOrThrow({ where: { key: 'starters' } });
    const phase = await app.database.prisma.phase.findFirstOrThrow({ where: { journeyId: segment.journeyId } });
    const channel = await app.database.prisma.channel.create({ data: { workspaceId: ws.workspaceId, key: 'web', name: 'Web', kind: 'WEBSITE' } });
    const touchpoint = await app.database.prisma.touchpoint.create({
      data: { workspaceId: ws.workspaceId, name: 'Intake', phaseId: phase.id, channelId: channel.id, segmentId: segment.id },
    });
    const res = await app.gql(ws.ADMIN, UPDATE, { input: { id: await idOf('starters'), journey: 'b2c' } });
    expect(fieldsOf(res.data?.updateSegment)).toEqual(['input.journey:INVALID']);
    await app.database.prisma.touchpoint.delete({ where: { id: touchpoint.id } });
    const ok = await app.gql(ws.ADMIN, UPDATE, { input: { id: await idOf('starters'), journey: 'b2c' } });
    expect(ok.data?.updateSegment).toMatchObject({ segment: { journey: { key: 'b2c' } }, userErrors: [] });
  });

  it('refuses to delete a segment with sub-segments, content, touchpoints or coverage rules (IN_USE), and deletes an unused one', async () => {
    const prisma = app.database.prisma;
    const withChildren = await app.gql(ws.ADMIN, DELETE, { id: await idOf('zzp') });
    expect(withChildren.data?.deleteSegment).toEqual({ deletedId: null, userErrors: [{ field: ['input', 'id'], code: 'IN_USE', message: expect.stringContaining('1 sub-segment') }] });

    const leaf = await prisma.segment.findFirstOrThrow({ where: { key: 'zzp-it' } });
    const phase = await prisma.phase.findFirstOrThrow({ where: { journeyId: leaf.journeyId } });
    const channel = await prisma.channel.findFirstOrThrow({ where: { key: 'web' } });
    const uses = [
      () => prisma.contentPiece.create({ data: { workspaceId: ws.workspaceId, title: 'Guide', format: 'ARTICLE', locale: 'nl-NL', segments: { create: { segmentId: leaf.id } } } }),
      () => prisma.touchpoint.create({ data: { workspaceId: ws.workspaceId, name: 'Call', phaseId: phase.id, channelId: channel.id, segmentId: leaf.id } }),
      () => prisma.coverageRule.create({ data: { workspaceId: ws.workspaceId, segmentId: leaf.id, minLive: 1 } }),
    ];
    const leafId = await idOf('zzp-it');
    for (const use of uses) {
      const row = await use();
      const res = await app.gql(ws.ADMIN, DELETE, { id: leafId });
      expect(fieldsOf(res.data?.deleteSegment)).toEqual(['input.id:IN_USE']);
      expect(await prisma.segment.count({ where: { id: leaf.id } })).toBe(1);
      if ('title' in row) await prisma.contentPiece.delete({ where: { id: row.id } });
      else if ('name' in row) await prisma.touchpoint.delete({ where: { id: row.id } });
      else await prisma.coverageRule.delete({ where: { id: row.id } });
    }

    const ok = await app.gql(ws.ADMIN, DELETE, { id: leafId });
    expect(ok.data?.deleteSegment).toEqual({ deletedId: leafId, userErrors: [] });
    expect(await prisma.segment.count({ where: { id: leaf.id } })).toBe(0);
    const again = await app.gql(ws.ADMIN, DELETE, { id: leafId });
    expect(fieldsOf(again.data?.deleteSegment)).toEqual(['input.id:NOT_FOUND']);
  });

  it('reads a segment by global ID through node', async () => {
    const id = await idOf('mkb');
    const res = await app.gql(ws.DELIVERY, 'query ($id: ID!) { node(id: $id) { ... on Segment { key } } }', { id });
    expect(res.data?.node).toEqual({ key: 'mkb' });
  });

  it('another workspace neither sees, references nor changes the segments', async () => {
    const other = await app.workspace('Other');
    await journey(other.workspaceId, 'b2b');
    const id = await idOf('mkb');
    const before = await snapshot();

    const read = await app.gql(other.ADMIN, '{ segments { totalCount } segment(key: "mkb") { id } }');
    expect(read.data).toEqual({ segments: { totalCount: 0 }, segment: null });
    const node = await app.gql(other.ADMIN, 'query ($id: ID!) { node(id: $id) { id } }', { id });
    expect(node.data?.node).toBeNull();
    const byParent = await app.gql(other.ADMIN, '{ segments(parent: "mkb") { totalCount } }');
    expect(byParent.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'parent' });

    const asChild = await app.gql(other.ADMIN, CREATE, { input: { key: 'mine', name: 'Mine', market: 'B2B', journey: 'b2b', parent: 'mkb' } });
    expect(fieldsOf(asChild.data?.createSegment)).toEqual(['input.parent:NOT_FOUND']);
    const otherJourney = await app.gql(other.ADMIN, CREATE, { input: { key: 'mine', name: 'Mine', market: 'B2C', journey: 'b2c' } });
    expect(fieldsOf(otherJourney.data?.createSegment)).toEqual(['input.journey:NOT_FOUND']);
    const update = await app.gql(other.ADMIN, UPDATE, { input: { id, name: 'Hacked' } });
    expect(fieldsOf(update.data?.updateSegment)).toEqual(['input.id:NOT_FOUND']);
    const del = await app.gql(other.ADMIN, DELETE, { id });
    expect(fieldsOf(del.data?.deleteSegment)).toEqual(['input.id:NOT_FOUND']);
    expect(await snapshot()).toEqual(before);

    // Keys are per workspace: the other workspace may use the same key for its own segment.
    const same = await app.gql(other.ADMIN, CREATE, { input: { key: 'mkb', name: 'Their MKB', market: 'B2B', journey: 'b2b' } });
    expect(same.data?.createSegment.userErrors).toEqual([]);
    const ownParent = await app.gql(other.ADMIN, UPDATE, { input: { id: same.data?.createSegment.segment.id, parent: 'zzp' } });
    expect(fieldsOf(ownParent.data?.updateSegment)).toEqual(['input.parent:NOT_FOUND']);
    expect(await snapshot()).toEqual(before);
  });
});

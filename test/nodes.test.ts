import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fixture } from './support/fixtures.js';
import { startTestApp, type GraphQLResponse, type TestApp, type WorkspaceKeys } from './support/app.js';

let app: TestApp;
let ws: WorkspaceKeys;
let fixture: Fixture;
const live: string[] = [];
let draft = '';
let foreign = '';

beforeAll(async () => {
  app = await startTestApp();
  ws = await app.workspace();
  fixture = new Fixture(app.database.prisma, ws.workspaceId);
  await fixture.journey('shop', [['attention', 'BECOME'], ['action', 'BECOME'], ['advocate', 'STAY']]);
  await fixture.segment('families');
  await fixture.segment('young-families', 'families');
  await fixture.segment('students');
  await fixture.channel('web');
  await fixture.channel('email');
  for (let i = 0; i < 6; i++) {
    const piece = await fixture.piece({ title: `Piece ${i}`, phases: ['attention', 'action'], channels: ['web', 'email'], segments: ['young-families', 'students'] });
    live.push(encodeGlobalID('ContentPiece', piece.id));
  }
  draft = encodeGlobalID('ContentPiece', (await fixture.piece({ title: 'Draft', phases: ['attention'], channels: ['web'], status: 'DRAFT' })).id);
  const other = await app.workspace('Other');
  const theirs = await app.database.prisma.channel.create({ data: { workspaceId: other.workspaceId, key: 'web', name: 'Web', kind: 'WEBSITE' } });
  foreign = encodeGlobalID('Channel', theirs.id);
  // Every key is looked up once and cached: later requests cost SQL only for what they ask.
  for (const key of [ws.EDITOR, ws.DELIVERY]) await app.gql(key, '{ viewer { role } }');
});
afterAll(() => app.close());

const segmentIds = () => [...fixture.segments.values()].map((id) => encodeGlobalID('Segment', id));
const channelIds = () => [...fixture.channels.values()].map((id) => encodeGlobalID('Channel', id));

const DEEP = `query ($ids: [ID!]!) {
  nodes(ids: $ids) {
    id
    ... on ContentPiece { title channels { key } phases { key journey { key } } segments { key parent { key } } }
    ... on Segment { key parent { key } journey { key phases { key } } }
    ... on Channel { key }
  }
}`;

async function counted(key: string, query: string, variables: Record<string, unknown>): Promise<{ res: GraphQLResponse; statements: number }> {
  let res: GraphQLResponse = { status: 0 };
  await app.gql(key, '{ __typename }'); // the key is known: fixture writes make the server forget it
  const statements = await app.countStatements(async () => {
    res = await app.gql(key, query, variables);
  });
  return { res, statements };
}

describe('nodes(ids)', () => {
  it('reads each type\'s objects in one statement: three types, three statements', async () => {
    const ids = [...live, ...segmentIds(), ...channelIds()];
    const { res, statements } = await counted(ws.EDITOR, 'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids });
    expect(res.errors).toBeUndefined();
    expect(res.data?.nodes).toEqual(ids.map((id) => ({ id })));
    expect(statements).toBe(3);
  });

  it('loads nested selections with the objects: as many statements for one id of each type as for all of them', async () => {
    const one = await counted(ws.EDITOR, DEEP, { ids: [live[0], segmentIds()[1], channelIds()[0]] });
    const all = await counted(ws.EDITOR, DEEP, { ids: [...live, ...segmentIds(), ...channelIds()] });
    expect(all.res.errors).toBeUndefined();
    expect(all.res.data?.nodes[0]).toMatchObject({ title: 'Piece 0', channels: [{ key: 'email' }, { key: 'web' }], segments: expect.arrayContaining([{ key: 'young-families', parent: { key: 'families' } }]) });
    expect(all.res.data?.nodes[live.length + 1]).toMatchObject({ key: 'young-families', parent: { key: 'families' }, journey: { key: 'shop', phases: [{ key: 'attention' }, { key: 'action' }, { key: 'advocate' }] } });
    expect(all.statements).toBe(one.statements);
  });

  it('answers in the order asked, the same object for a repeated id, and null for a missing or another workspace\'s id', async () => {
    const missing = encodeGlobalID('ContentPiece', 'no-such-piece');
    const ids = [live[1], foreign, missing, live[1], segmentIds()[0]];
    const res = await app.gql(ws.EDITOR, 'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids });
    expect(res.errors).toBeUndefined();
    expect(res.data?.nodes).toEqual([{ id: live[1] }, null, null, { id: live[1] }, { id: segmentIds()[0] }]);
  });

  it('shows a DELIVERY key live pieces only, like every list: a draft is null; an EDITOR sees it', async () => {
    const delivery = await app.gql(ws.DELIVERY, 'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: [live[0], draft] });
    expect(delivery.errors).toBeUndefined();
    expect(delivery.data?.nodes).toEqual([{ id: live[0] }, null]);
    const single = await app.gql(ws.DELIVERY, 'query ($id: ID!) { node(id: $id) { id } }', { id: draft });
    expect(single.data?.node).toBeNull();
    const editor = await app.gql(ws.EDITOR, 'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: [draft] });
    expect(editor.data?.nodes).toEqual([{ id: draft }]);
  });

  it('keeps each type\'s role checks: a DELIVERY key gets FORBIDDEN for a coverage rule, the other objects still answer', async () => {
    const rule = await fixture.rule({ segment: 'families' }, { minLive: 1 });
    const res = await app.gql(ws.DELIVERY, 'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: [live[0], encodeGlobalID('CoverageRule', rule.id)] });
    expect(res.data?.nodes).toEqual([{ id: live[0] }, null]);
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('malformed global ids', () => {
  const malformed = {
    'not base64 at all': '!!!not base64 at all',
    'no id after the type': Buffer.from('Channel:').toString('base64'),
    'an unknown type': Buffer.from('Foo:1').toString('base64'),
    'a type without ids': Buffer.from('Viewer:1').toString('base64'),
    'the interface': Buffer.from('Node:1').toString('base64'),
  };

  it.each(Object.entries(malformed))('%s is BAD_USER_INPUT naming `id` (node) or `ids` (nodes), before any SQL', async (_what, bad) => {
    const single = await counted(ws.EDITOR, 'query ($id: ID!) { node(id: $id) { id } }', { id: bad });
    expect(single.res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'id', value: bad });
    expect(single.statements).toBe(0);
    const list = await counted(ws.EDITOR, 'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: [live[0], bad] });
    expect(list.res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'ids', value: bad });
    expect(list.statements).toBe(0);
  });
});

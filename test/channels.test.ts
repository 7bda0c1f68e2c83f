import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type WorkspaceKeys } from './support/app.js';

const CREATE = /* GraphQL */ `
  mutation ($input: CreateChannelInput!) {
    createChannel(input: $input) { channel { id key name kind maxPerWeek } userErrors { field code message } }
  }
`;

let app: TestApp;
let ws: WorkspaceKeys;

beforeAll(async () => {
  app = await startTestApp();
  ws = await app.workspace();
});
afterAll(() => app.close());

describe('channels', () => {
  it('an admin creates a channel and anyone in the workspace reads it by key', async () => {
    const created = await app.gql(ws.ADMIN, CREATE, { input: { key: 'website', name: 'Website', kind: 'WEBSITE', maxPerWeek: 3 } });
    expect(created.data?.createChannel.userErrors).toEqual([]);
    expect(created.data?.createChannel.channel).toMatchObject({ key: 'website', kind: 'WEBSITE', maxPerWeek: 3 });
    const read = await app.gql(ws.DELIVERY, '{ channel(key: "website") { name } channels { totalCount edges { node { key } } } }');
    expect(read.data?.channel).toEqual({ name: 'Website' });
    expect(read.data?.channels.totalCount).toBe(1);
  });

  it('refuses a duplicate key with CONFLICT on input.key and writes nothing', async () => {
    const again = await app.gql(ws.ADMIN, CREATE, { input: { key: 'website', name: 'Other', kind: 'WEBSITE' } });
    expect(again.data?.createChannel).toEqual({ channel: null, userErrors: [{ field: ['input', 'key'], code: 'CONFLICT', message: expect.stringContaining('website') }] });
    expect(await app.database.prisma.channel.count({ where: { name: 'Other' } })).toBe(0);
  });

  it('refuses a malformed key and a maxPerWeek below 1, naming each field', async () => {
    const bad = await app.gql(ws.ADMIN, CREATE, { input: { key: 'Not A Slug', name: ' ', kind: 'EMAIL', maxPerWeek: 0 } });
    const fields = bad.data?.createChannel.userErrors.map((e: { field: string[] }) => e.field.join('.'));
    expect(fields).toEqual(expect.arrayContaining(['input.key', 'input.name', 'input.maxPerWeek']));
  });

  it('an editor may not create channels', async () => {
    const res = await app.gql(ws.EDITOR, CREATE, { input: { key: 'mail', name: 'Mail', kind: 'EMAIL' } });
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('another workspace neither sees nor changes the channel', async () => {
    const other = await app.workspace('Other');
    const list = await app.gql(other.ADMIN, '{ channels { totalCount } channel(key: "website") { id } }');
    expect(list.data).toEqual({ channels: { totalCount: 0 }, channel: null });
    const mine = await app.gql(ws.ADMIN, '{ channel(key: "website") { id } }');
    const id = mine.data?.channel.id;
    const node = await app.gql(other.ADMIN, 'query ($id: ID!) { node(id: $id) { id } }', { id });
    expect(node.data?.node).toBeNull();
    const update = await app.gql(other.ADMIN, 'mutation ($id: ID!) { updateChannel(input: { id: $id, name: "Hacked" }) { userErrors { code field } } }', { id });
    expect(update.data?.updateChannel.userErrors).toEqual([{ code: 'NOT_FOUND', field: ['input', 'id'] }]);
  });

  it('updates and deletes a channel by global ID', async () => {
    const { data } = await app.gql(ws.ADMIN, '{ channel(key: "website") { id } }');
    const id = data?.channel.id;
    const upd = await app.gql(ws.ADMIN, 'mutation ($id: ID!) { updateChannel(input: { id: $id, maxPerWeek: null, name: "Site" }) { channel { name maxPerWeek } userErrors { code } } }', { id });
    expect(upd.data?.updateChannel).toEqual({ channel: { name: 'Site', maxPerWeek: null }, userErrors: [] });
    const del = await app.gql(ws.ADMIN, 'mutation ($id: ID!) { deleteChannel(input: { id: $id }) { deletedId userErrors { code } } }', { id });
    expect(del.data?.deleteChannel).toEqual({ deletedId: id, userErrors: [] });
  });

  it('answers UNAUTHENTICATED without a key and 401 with a wrong one', async () => {
    const anonymous = await app.gql(null, '{ channels { totalCount } }');
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const wrong = await app.gql('cpk_wrong', '{ channels { totalCount } }');
    expect(wrong.status).toBe(401);
    expect(wrong.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type WorkspaceKeys } from './support/app.js';

const VIEWER = '{ viewer { role workspace { id name freshnessDays expiryLookaheadDays silenceDays createdAt } apiKey { name role prefix revoked } } }';
const UPDATE = /* GraphQL */ `
  mutation ($input: UpdateWorkspaceInput!) {
    updateWorkspace(input: $input) { workspace { name freshnessDays expiryLookaheadDays silenceDays } userErrors { field code message } }
  }
`;

let app: TestApp;
let ws: WorkspaceKeys;

beforeAll(async () => {
  app = await startTestApp();
  ws = await app.workspace('Fietsenmaker');
});
afterAll(() => app.close());

describe('viewer and workspace', () => {
  it.each(['ADMIN', 'EDITOR', 'DELIVERY'] as const)('a %s key reads who it is: its workspace, role and own key', async (role) => {
    const res = await app.gql(ws[role], VIEWER);
    expect(res.errors).toBeUndefined();
    expect(res.data?.viewer).toMatchObject({
      role,
      workspace: { name: 'Fietsenmaker', freshnessDays: 365, expiryLookaheadDays: 14, silenceDays: 30 },
      apiKey: { name: `${role.toLowerCase()} key`, role, prefix: ws[role].slice(0, 10), revoked: false },
    });
  });

  it('each role reads its own workspace by node(id)', async () => {
    const id = (await app.gql(ws.DELIVERY, VIEWER)).data?.viewer.workspace.id;
    const res = await app.gql(ws.DELIVERY, 'query ($id: ID!) { node(id: $id) { ... on Workspace { name } } }', { id });
    expect(res.data?.node).toEqual({ name: 'Fietsenmaker' });
  });

  it('without a key the viewer is UNAUTHENTICATED', async () => {
    const res = await app.gql(null, VIEWER);
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('an admin changes the name and the windows', async () => {
    const res = await app.gql(ws.ADMIN, UPDATE, { input: { name: 'Fietsenmaker Van Dijk', freshnessDays: 180, expiryLookaheadDays: 0, silenceDays: 21 } });
    expect(res.data?.updateWorkspace).toEqual({
      workspace: { name: 'Fietsenmaker Van Dijk', freshnessDays: 180, expiryLookaheadDays: 0, silenceDays: 21 },
      userErrors: [],
    });
  });

  it('omitted fields stay as they are', async () => {
    const res = await app.gql(ws.ADMIN, UPDATE, { input: { silenceDays: 45 } });
    expect(res.data?.updateWorkspace.workspace).toEqual({ name: 'Fietsenmaker Van Dijk', freshnessDays: 180, expiryLookaheadDays: 0, silenceDays: 45 });
  });

  it('refuses windows out of range and an empty name, naming each field, and writes nothing', async () => {
    const res = await app.gql(ws.ADMIN, UPDATE, { input: { name: '  ', freshnessDays: 0, expiryLookaheadDays: 366, silenceDays: 400 } });
    expect(res.data?.updateWorkspace.workspace).toBeNull();
    const fields = res.data?.updateWorkspace.userErrors.map((e: { field: string[]; code: string }) => `${e.field.join('.')}:${e.code}`);
    expect(fields).toEqual(
      expect.arrayContaining(['input.name:INVALID', 'input.freshnessDays:INVALID', 'input.expiryLookaheadDays:INVALID', 'input.silenceDays:INVALID']),
    );
    const row = await app.database.prisma.workspace.findUniqueOrThrow({ where: { id: ws.workspaceId } });
    expect(row).toMatchObject({ name: 'Fietsenmaker Van Dijk', freshnessDays: 180, expiryLookaheadDays: 0, silenceDays: 45 });
  });

  it('refuses null for a setting that always has a value', async () => {
    const res = await app.gql(ws.ADMIN, UPDATE, { input: { freshnessDays: null } });
    expect(res.data?.updateWorkspace.userErrors).toEqual([expect.objectContaining({ field: ['input', 'freshnessDays'], code: 'INVALID' })]);
  });

  it.each(['EDITOR', 'DELIVERY'] as const)('a %s key may not change the workspace', async (role) => {
    const res = await app.gql(ws[role], UPDATE, { input: { name: 'Hacked' } });
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await app.database.prisma.workspace.findUniqueOrThrow({ where: { id: ws.workspaceId } })).name).toBe('Fietsenmaker Van Dijk');
  });

  it('another workspace neither reads nor changes this one', async () => {
    const other = await app.workspace('Other');
    const id = (await app.gql(ws.ADMIN, VIEWER)).data?.viewer.workspace.id;
    const node = await app.gql(other.ADMIN, 'query ($id: ID!) { node(id: $id) { id } }', { id });
    expect(node.data?.node).toBeNull();
    const mine = await app.gql(other.ADMIN, UPDATE, { input: { name: 'Renamed' } });
    expect(mine.data?.updateWorkspace.workspace.name).toBe('Renamed');
    expect((await app.database.prisma.workspace.findUniqueOrThrow({ where: { id: ws.workspaceId } })).name).toBe('Fietsenmaker Van Dijk');
  });
});

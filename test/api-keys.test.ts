import type { GraphQLEnumType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../src/schema.js';
import { startTestApp, type TestApp, type WorkspaceKeys } from './support/app.js';

const CREATE = /* GraphQL */ `
  mutation ($input: CreateApiKeyInput!) {
    createApiKey(input: $input) { apiKey { id name role prefix revoked revokedAt createdAt } secret userErrors { field code message } }
  }
`;
const REVOKE = /* GraphQL */ `
  mutation ($id: ID!) { revokeApiKey(input: { id: $id }) { apiKey { id revoked revokedAt } userErrors { field code message } } }
`;
const LIST = 'query ($all: Boolean) { apiKeys(includeRevoked: $all) { totalCount edges { node { id name role prefix revoked } } } }';

let app: TestApp;
let ws: WorkspaceKeys;

beforeAll(async () => {
  app = await startTestApp();
  ws = await app.workspace();
});
afterAll(() => app.close());

describe('API keys', () => {
  let websiteKeyId: string;
  let websiteSecret: string;

  it('an admin lists the workspace\'s keys without their secrets', async () => {
    const res = await app.gql(ws.ADMIN, LIST);
    expect(res.data?.apiKeys.totalCount).toBe(3);
    expect(res.data?.apiKeys.edges.map((e: { node: { role: string } }) => e.node.role).sort()).toEqual(['ADMIN', 'DELIVERY', 'EDITOR']);
    expect(JSON.stringify(res.data)).not.toContain(ws.ADMIN);
  });

  it('the secret and its hash are not fields of ApiKey', async () => {
    for (const field of ['secret', 'secretHash']) {
      const res = await app.gql(ws.ADMIN, `{ apiKeys { edges { node { ${field} } } } }`);
      expect(res.errors?.[0]?.message).toContain(`Cannot query field "${field}"`);
    }
  });

  it('an admin creates a key; its secret is answered once and works at once with its role', async () => {
    const res = await app.gql(ws.ADMIN, CREATE, { input: { name: 'Website productie', role: 'DELIVERY' } });
    const payload = res.data?.createApiKey;
    expect(payload.userErrors).toEqual([]);
    expect(payload.apiKey).toMatchObject({ name: 'Website productie', role: 'DELIVERY', revoked: false, revokedAt: null });
    expect(payload.secret).toMatch(/^cpk_/);
    expect(payload.secret.startsWith(payload.apiKey.prefix)).toBe(true);
    websiteKeyId = payload.apiKey.id;
    websiteSecret = payload.secret;
    const me = await app.gql(websiteSecret, '{ viewer { role apiKey { id name } } }');
    expect(me.data?.viewer).toEqual({ role: 'DELIVERY', apiKey: { id: websiteKeyId, name: 'Website productie' } });
    const row = await app.database.prisma.apiKey.findFirstOrThrow({ where: { name: 'Website productie' } });
    expect(row.secretHash).not.toContain(websiteSecret);
  });

  it('refuses an empty name with INVALID on input.name and writes nothing', async () => {
    const before = await app.database.prisma.apiKey.count();
    const res = await app.gql(ws.ADMIN, CREATE, { input: { name: ' ', role: 'EDITOR' } });
    expect(res.data?.createApiKey).toEqual({ apiKey: null, secret: null, userErrors: [expect.objectContaining({ field: ['input', 'name'], code: 'INVALID' })] });
    expect(await app.database.prisma.apiKey.count()).toBe(before);
  });

  it('an editor may neither list nor create keys, nor read one by id', async () => {
    const list = await app.gql(ws.EDITOR, LIST);
    expect(list.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const create = await app.gql(ws.EDITOR, CREATE, { input: { name: 'Mine', role: 'ADMIN' } });
    expect(create.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const node = await app.gql(ws.EDITOR, 'query ($id: ID!) { node(id: $id) { ... on ApiKey { name } } }', { id: websiteKeyId });
    expect(node.data?.node ?? null).toBeNull();
    expect(node.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const revoke = await app.gql(ws.EDITOR, REVOKE, { id: websiteKeyId });
    expect(revoke.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('another workspace neither sees nor revokes the keys', async () => {
    const other = await app.workspace('Other');
    const list = await app.gql(other.ADMIN, LIST, { all: true });
    expect(list.data?.apiKeys.totalCount).toBe(3);
    expect(list.data?.apiKeys.edges.map((e: { node: { id: string } }) => e.node.id)).not.toContain(websiteKeyId);
    const node = await app.gql(other.ADMIN, 'query ($id: ID!) { node(id: $id) { id } }', { id: websiteKeyId });
    expect(node.data?.node).toBeNull();
    const revoke = await app.gql(other.ADMIN, REVOKE, { id: websiteKeyId });
    expect(revoke.data?.revokeApiKey).toEqual({ apiKey: null, userErrors: [expect.objectContaining({ field: ['input', 'id'], code: 'NOT_FOUND' })] });
    expect((await app.gql(websiteSecret, '{ viewer { role } }')).status).toBe(200);
  });

  it('refuses an id that is not an API key as NOT_FOUND', async () => {
    const res = await app.gql(ws.ADMIN, REVOKE, { id: 'not-an-id' });
    expect(res.data?.revokeApiKey.userErrors).toEqual([expect.objectContaining({ field: ['input', 'id'], code: 'NOT_FOUND' })]);
  });

  it('a revoked key is refused with 401 UNAUTHENTICATED on its next request', async () => {
    const res = await app.gql(ws.ADMIN, REVOKE, { id: websiteKeyId });
    expect(res.data?.revokeApiKey.userErrors).toEqual([]);
    expect(res.data?.revokeApiKey.apiKey).toMatchObject({ id: websiteKeyId, revoked: true, revokedAt: expect.any(String) });
    const after = await app.gql(websiteSecret, '{ viewer { role } }');
    expect(after.status).toBe(401);
    expect(after.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('revoking twice is INVALID and changes nothing', async () => {
    const before = await app.database.prisma.apiKey.findFirstOrThrow({ where: { name: 'Website productie' } });
    const res = await app.gql(ws.ADMIN, REVOKE, { id: websiteKeyId });
    expect(res.data?.revokeApiKey).toEqual({ apiKey: null, userErrors: [expect.objectContaining({ field: ['input', 'id'], code: 'INVALID' })] });
    const after = await app.database.prisma.apiKey.findFirstOrThrow({ where: { name: 'Website productie' } });
    expect(after.revokedAt).toEqual(before.revokedAt);
  });

  it('revoked keys are listed only when asked for', async () => {
    const active = await app.gql(ws.ADMIN, LIST);
    expect(active.data?.apiKeys.totalCount).toBe(3);
    const all = await app.gql(ws.ADMIN, LIST, { all: true });
    expect(all.data?.apiKeys.totalCount).toBe(4);
    expect(all.data?.apiKeys.edges.find((e: { node: { id: string } }) => e.node.id === websiteKeyId).node.revoked).toBe(true);
  });

  it('an admin key may revoke itself; the request completes and the next one is refused', async () => {
    const created = await app.gql(ws.ADMIN, CREATE, { input: { name: 'Short-lived admin', role: 'ADMIN' } });
    const { id } = created.data?.createApiKey.apiKey;
    const secret = created.data?.createApiKey.secret;
    const res = await app.gql(secret, REVOKE, { id });
    expect(res.data?.revokeApiKey.apiKey).toMatchObject({ id, revoked: true });
    expect((await app.gql(secret, '{ viewer { role } }')).status).toBe(401);
  });
});

describe('roles', () => {
  it('the DELIVERY role\'s description names what it reads and what it is refused, as the server does', async () => {
    const description = (schema.getType('Role') as GraphQLEnumType).getValue('DELIVERY')?.description ?? '';
    const [reads = '', refused = ''] = description.split('Refused');
    const code = async (query: string) => (await app.gql(ws.DELIVERY, query)).errors?.[0]?.extensions?.code;
    const refusedFields: [string, string][] = [
      ['matrix', '{ contentMatrix(journey: "any") { cells { status } } }'],
      ['gaps', '{ contentGaps(journey: "any") { totalCount } }'],
      ['calendar', '{ contentCalendar(from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z") { entryCount } }'],
      ['touchpoints', '{ touchpoints { totalCount } }'],
      ['coverage rules', '{ coverageRules { totalCount } }'],
    ];
    for (const [words, query] of refusedFields) {
      expect(refused, words).toContain(words);
      expect(reads, words).not.toContain(words);
      expect(await code(query), query).toBe('FORBIDDEN');
    }
    const readFields: [string, string][] = [
      ['content pieces', '{ contentPieces { totalCount } }'],
      ['recommendations', '{ recommendedContent(segment: "any", phase: "any", channel: "any") { totalCount } }'],
      ['journeys', '{ journeys { key } }'],
      ['segments', '{ segments { totalCount } }'],
      ['channels', '{ channels { totalCount } }'],
    ];
    for (const [words, query] of readFields) {
      expect(reads, words).toContain(words);
      expect(await code(query), query).not.toBe('FORBIDDEN');
    }
  });
});

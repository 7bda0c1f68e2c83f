import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type WorkspaceKeys } from './support/app.js';

let app: TestApp;
let ws: WorkspaceKeys;

beforeAll(async () => {
  app = await startTestApp();
  ws = await app.workspace();
});
afterAll(() => app.close());

describe('errors across the API', () => {
  it('answers a malformed scalar (DateTime, Locale) with an error naming the variable and value, not a masked internal error', async () => {
    const query = 'query ($at: DateTime, $locale: Locale) { recommendedContent(segment: "s", phase: "p", channel: "c", at: $at, locale: $locale) { totalCount } }';
    for (const variables of [{ at: 'yesterday' }, { locale: 'not a locale!' }]) {
      const res = await app.gql(ws.DELIVERY, query, variables);

      const [name, value] = Object.entries(variables)[0] as [string, string];
      expect(res.status).toBe(400);
      expect(res.errors?.[0]?.message).toContain(`$${name}`);
      expect(res.errors?.[0]?.message).toContain(value);
    }
  });

  it('nodes() answers each known id and null for each unknown one', async () => {
    const created = await app.gql(ws.ADMIN, 'mutation { createChannel(input: { key: "web", name: "Web", kind: WEBSITE }) { channel { id } } }');
    const id = created.data?.createChannel.channel.id;
    const other = await app.workspace('Other');
    const theirs = await app.gql(other.ADMIN, 'mutation { createChannel(input: { key: "web", name: "Web", kind: WEBSITE }) { channel { id } } }');
    const res = await app.gql(ws.DELIVERY, 'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: [id, theirs.data?.createChannel.channel.id, id] });
    expect(res.errors).toBeUndefined();
    expect(res.data?.nodes).toEqual([{ id }, null, { id }]);
  });

  it('masks unexpected errors: no stack trace, no SQL, no file paths', async () => {
    // A database that is gone makes every query fail unexpectedly.
    const broken = await startTestApp();
    const keys = await broken.workspace();
    const cascade = broken.database.provider === 'postgresql' ? ' CASCADE' : '';
    await broken.database.prisma.$executeRawUnsafe(`DROP TABLE "Channel"${cascade}`);
    const res = await broken.gql(keys.DELIVERY, '{ channels { totalCount } }');
    await broken.close();
    expect(res.errors?.[0]?.message).toBe('Unexpected error.');
    const text = JSON.stringify(res);
    expect(text).not.toMatch(/SELECT|Channel"|\.ts:|at .*\(|stack/i);
  });
});

describe('nodes(ids)', () => {
  it('refuses more than 100 ids with BAD_USER_INPUT naming ids', async () => {
    const local = await startTestApp();
    const keys = await local.workspace();
    const ids = Array.from({ length: 101 }, (_, i) => Buffer.from(`Channel:${i}`).toString('base64'));
    const res = await local.gql(keys.DELIVERY, 'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids });
    await local.close();
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'ids' });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../src/auth/keys.js';
import { openDatabase, type Database } from '../src/db/client.js';
import type { DatabaseConfig } from '../src/db/config.js';
import { WATCH_APPLICATION_NAME } from '../src/db/watch.js';
import { createServer } from '../src/server.js';
import { adminQuery, freshDatabase, testProvider } from './support/databases.js';
import { Fixture } from './support/fixtures.js';

/**
 * Two server instances on one database, each with its own connections, as
 * two processes would have: what one writes, the other must notice before
 * it answers from anything it keeps (key catalog, remembered keys). SQLite
 * notices on the next request; PostgreSQL through its notifications, within
 * a second.
 */
let config: DatabaseConfig;
let one: Database;
let two: Database;
let serverOne: ReturnType<typeof createServer>;
let serverTwo: ReturnType<typeof createServer>;
let keys: { admin: string; editor: string; delivery: string };

const RECOMMEND = '{ recommendedContent(segment: "gezinnen", phase: "attention", channel: "email") { totalCount gap { kind touchpoints { name } } } }';

beforeAll(async () => {
  config = await freshDatabase();
  one = openDatabase(config);
  two = openDatabase(config);
  await Promise.all([one.ready, two.ready]);
  const ws = await one.prisma.workspace.create({ data: { name: 'Shared' } });
  keys = {
    admin: (await createApiKey(one.prisma, ws.id, 'admin', 'ADMIN')).secret,
    editor: (await createApiKey(one.prisma, ws.id, 'editor', 'EDITOR')).secret,
    delivery: (await createApiKey(one.prisma, ws.id, 'delivery', 'DELIVERY')).secret,
  };
  const f = new Fixture(one.prisma, ws.id);
  await f.journey('b2c', [['attention', 'BECOME']]);
  await f.segment('gezinnen');
  await f.channel('email');
  serverOne = createServer({ database: one, mode: 'production' });
  serverTwo = createServer({ database: two, mode: 'production' });
});
afterAll(async () => {
  await serverOne.dispose();
  await serverTwo.dispose();
  await one.disconnect();
  await two.disconnect();
});

async function gql(server: ReturnType<typeof createServer>, key: string, query: string) {
  const response = await server.fetch('http://test/graphql', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ query }) });
  return { status: response.status, ...((await response.json()) as { data?: Record<string, any>; errors?: { extensions?: Record<string, unknown> }[] }) };
}

/** Asks until `done` holds: at once on SQLite, within a second on PostgreSQL. */
async function eventually<T>(ask: () => Promise<T>, done: (answer: T) => boolean): Promise<T> {
  const deadline = Date.now() + (testProvider() === 'postgresql' ? 1000 : 0);
  let answer = await ask();
  while (!done(answer) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    answer = await ask();
  }
  return answer;
}

describe('two instances on one database', () => {
  it('a touchpoint created through one instance shows as a gap on the other, which had the workspace\'s catalog in memory', async () => {
    expect((await gql(serverTwo, keys.delivery, RECOMMEND)).data?.recommendedContent.gap).toBeNull();
    const created = await gql(serverOne, keys.editor, 'mutation { createTouchpoint(input: { name: "Welkomstmail", phase: { journey: "b2c", phase: "attention" }, channel: "email" }) { userErrors { code } } }');
    expect(created.data?.createTouchpoint.userErrors).toEqual([]);
    const answer = await eventually(() => gql(serverTwo, keys.delivery, RECOMMEND), (a) => a.data?.recommendedContent.gap !== null);
    expect(answer.data?.recommendedContent.gap).toEqual({ kind: 'MISSING', touchpoints: [{ name: 'Welkomstmail' }] });
  });

  it('a piece published through one instance shows in the other\'s kept DELIVERY answer', async () => {
    const pieces = '{ contentPieces(first: 10) { edges { node { title } } } }';
    await gql(serverTwo, keys.delivery, pieces);
    expect(JSON.stringify((await gql(serverTwo, keys.delivery, pieces)).data)).not.toContain('Net gepubliceerd');
    const created = await gql(serverOne, keys.editor, 'mutation { createContentPiece(input: { title: "Net gepubliceerd", format: ARTICLE, status: PUBLISHED, locale: "nl-NL", phases: [{ journey: "b2c", phase: "attention" }], channels: ["email"] }) { userErrors { code } } }');
    expect(created.data?.createContentPiece.userErrors).toEqual([]);
    const answer = await eventually(() => gql(serverTwo, keys.delivery, pieces), (a) => JSON.stringify(a.data).includes('Net gepubliceerd'));
    expect(JSON.stringify(answer.data)).toContain('Net gepubliceerd');
  });

  it('a key revoked through one instance is refused by the other, which remembered it', async () => {
    const spare = (await gql(serverOne, keys.admin, 'mutation { createApiKey(input: { name: "spare", role: DELIVERY }) { secret apiKey { id } } }')).data?.createApiKey;
    expect((await gql(serverTwo, spare.secret, '{ viewer { role } }')).status).toBe(200);
    const revoked = await gql(serverOne, keys.admin, `mutation { revokeApiKey(input: { id: "${spare.apiKey.id}" }) { userErrors { code } } }`);
    expect(revoked.data?.revokeApiKey.userErrors).toEqual([]);
    const answer = await eventually(() => gql(serverTwo, spare.secret, '{ viewer { role } }'), (a) => a.status === 401);
    expect(answer.status).toBe(401);
  });
});

describe.runIf(testProvider() === 'sqlite')('SQLite', () => {
  it('a hand edit by another connection, which records no version, makes every version move', async () => {
    const before = two.versions.of('anything');
    await one.prisma.$executeRawUnsafe('UPDATE "Channel" SET "name" = \'E-mail\'');
    expect(two.versions.of('anything')).not.toBe(before);
  });
});

describe.runIf(testProvider() === 'postgresql')('PostgreSQL', () => {
  it('keeps nothing while its notification connection is lost, and listens again by itself', async () => {
    const before = two.versions.of('anything');
    expect(two.versions.of('anything')).toBe(before);
    await adminQuery(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '${WATCH_APPLICATION_NAME}' AND datname = '${new URL(config.url).pathname.slice(1)}'`);
    await eventually(async () => two.versions.watching, (watching) => !watching);
    expect(two.versions.watching).toBe(false);
    expect(two.versions.of('anything')).not.toBe(two.versions.of('anything'));
    const deadline = Date.now() + 5000;
    while (!two.versions.watching && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(two.versions.watching).toBe(true);
    const after = two.versions.of('anything');
    expect(two.versions.of('anything')).toBe(after);
  });
});

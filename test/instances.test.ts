import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyDatabase, testProvider } from './support/databases.js';
import { startServerProcess, type ServerProcess } from './support/process.js';

/**
 * Two real server processes on one PostgreSQL database, as behind a load
 * balancer: what one writes, the other's kept answers and remembered keys
 * reflect within a second.
 */
describe.runIf(testProvider() === 'postgresql')('two server processes on one PostgreSQL', () => {
  let one: ServerProcess;
  let two: ServerProcess;
  const RECOMMEND = '{ recommendedContent(segment: "e-bike-forenzen", phase: "attention", channel: "social", first: 10) { edges { node { title } } } }';

  beforeAll(async () => {
    const { url } = await emptyDatabase();
    // The first migrates and loads the demo; the second finds both.
    one = await startServerProcess(url, { DEMO_DATA: 'true', NODE_ENV: 'production' });
    two = await startServerProcess(url, { DEMO_DATA: 'true', NODE_ENV: 'production' });
  }, 120_000);
  afterAll(async () => {
    await one?.stop();
    await two?.stop();
  });

  async function gql(server: ServerProcess, key: string, query: string) {
    const response = await fetch(`${server.base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ query }) });
    return { status: response.status, body: (await response.json()) as { data?: Record<string, any> } };
  }
  const titles = (answer: { body: { data?: Record<string, any> } }) => JSON.stringify(answer.body.data);

  it('a piece published through one shows in the other\'s kept answer within a second, and at once on the writer', async () => {
    await gql(two, 'cpk_demo_delivery', RECOMMEND);
    expect(titles(await gql(two, 'cpk_demo_delivery', RECOMMEND))).not.toContain('Met de e-bike naar de Uithof');
    const created = await gql(one, 'cpk_demo_editor', `mutation { createContentPiece(input: { title: "Met de e-bike naar de Uithof", format: SOCIAL_POST, status: PUBLISHED, locale: "nl-NL", priority: 100, phases: [{ journey: "consument", phase: "attention" }], channels: ["social"], segments: ["e-bike-forenzen"] }) { userErrors { code message } } }`);
    expect(created.body.data?.createContentPiece.userErrors).toEqual([]);
    expect(titles(await gql(one, 'cpk_demo_delivery', RECOMMEND))).toContain('Met de e-bike naar de Uithof');
    const deadline = Date.now() + 1000;
    let seen = await gql(two, 'cpk_demo_delivery', RECOMMEND);
    while (!titles(seen).includes('Met de e-bike naar de Uithof') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      seen = await gql(two, 'cpk_demo_delivery', RECOMMEND);
    }
    expect(titles(seen)).toContain('Met de e-bike naar de Uithof');
  });

  it('a key revoked through one is refused by the other, which knew it, within a second', async () => {
    const made = await gql(one, 'cpk_demo_admin', 'mutation { createApiKey(input: { name: "Kiosk", role: DELIVERY }) { secret apiKey { id } } }');
    const { secret, apiKey } = made.body.data?.createApiKey as { secret: string; apiKey: { id: string } };
    expect((await gql(two, secret, '{ viewer { role } }')).status).toBe(200);
    await gql(one, 'cpk_demo_admin', `mutation { revokeApiKey(input: { id: "${apiKey.id}" }) { userErrors { code } } }`);
    const deadline = Date.now() + 1000;
    let status = (await gql(two, secret, '{ viewer { role } }')).status;
    while (status === 200 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      status = (await gql(two, secret, '{ viewer { role } }')).status;
    }
    expect(status).toBe(401);
  });
});

/**
 * RATE_LIMIT_STORE=postgres: the counters live in PostgreSQL, so one limit
 * holds across every instance (in memory, N instances allow N times it).
 */
describe.runIf(testProvider() === 'postgresql')('a rate limit shared by two server processes', () => {
  let one: ServerProcess;
  let two: ServerProcess;
  const LIMITED = { DEMO_DATA: 'true', NODE_ENV: 'production', RATE_LIMIT_STORE: 'postgres', RATE_LIMIT_PER_KEY: '10', RATE_LIMIT_WINDOW_SECONDS: '60' };

  beforeAll(async () => {
    const { url } = await emptyDatabase();
    // Started together on an empty database, as a rollout does: both migrate, load the demo and make the counters' table at once.
    [one, two] = await Promise.all([startServerProcess(url, LIMITED), startServerProcess(url, LIMITED)]);
  }, 120_000);
  afterAll(async () => {
    await one?.stop();
    await two?.stop();
  });

  it('lets a key send its 10 requests in all, whichever instance they reach', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) {
      const server = i % 2 === 0 ? one : two;
      const response = await fetch(`${server.base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer cpk_demo_delivery' }, body: JSON.stringify({ query: '{ __typename }' }) });
      statuses.push(response.status);
      if (response.status === 429) expect(response.headers.get('ratelimit-policy')).toBe('"key";q=10;w=60');
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.slice(10).every((s) => s === 429)).toBe(true);
  });
});

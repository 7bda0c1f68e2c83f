import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyDatabase } from './support/databases.js';
import { sigtermWithRequestInFlight, startServerProcess, type ServerProcess } from './support/process.js';

/**
 * The server as users run it (`npm start`): a real process on a real port,
 * migrating an empty database and loading the demo on first start.
 */
let started: ServerProcess;
let base: string;

beforeAll(async () => {
  const database = await emptyDatabase();
  started = await startServerProcess(database.provider === 'sqlite' ? `file:${database.url}` : database.url, { DEMO_DATA: 'true', NODE_ENV: 'development' });
  base = started.base;
}, 60_000);

afterAll(() => started.stop());

function demoKey(role: string): string {
  const match = new RegExp(`${role} (cpk_[\\w-]+)`).exec(started.output());
  if (!match?.[1]) throw new Error(`no ${role} demo key in the console output:\n${started.output()}`);
  return match[1];
}

async function post(query: string, key?: string) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (key) headers.authorization = `Bearer ${key}`;
  const response = await fetch(`${base}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query }) });
  return { status: response.status, body: (await response.json()) as { data?: Record<string, any>; errors?: { extensions?: { code?: string } }[] } };
}

describe('the server process', () => {
  it('migrates, loads the demo and prints how to authenticate', () => {
    expect(started.output()).toMatch(/Applied migrations: \d+_init/);
    expect(started.output()).toContain('Loaded the demo workspace.');
    expect(demoKey('ADMIN')).toMatch(/^cpk_/);
  });

  it('answers GraphQL over HTTP with the demo admin key', async () => {
    const { status, body } = await post('{ viewer { role workspace { name } } }', demoKey('ADMIN'));
    expect(status).toBe(200);
    expect(body.data?.viewer.role).toBe('ADMIN');
  });

  it('serves GraphiQL to a browser in development', async () => {
    const response = await fetch(`${base}/graphql`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('GraphiQL');
  });

  it('refuses a wrong key with 401', async () => {
    const { status, body } = await post('{ viewer { role } }', 'cpk_not_a_key');
    expect(status).toBe(401);
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('answers /healthz and /readyz', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
  });

  it('on SIGTERM finishes the request in flight, takes no new ones, and exits 0', async () => {
    const drained = await sigtermWithRequestInFlight(started, demoKey('DELIVERY'));
    expect(drained).toEqual({ status: 200, body: { data: { viewer: { role: 'DELIVERY' } } }, refusedWhileDraining: true, exitCode: 0 });
  });
});

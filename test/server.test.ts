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

  it('answers a path it does not serve with 404 NOT_FOUND, naming where the API is, as JSON', async () => {
    for (const path of ['/', '/graphq', '/metrics', '/interactions/extra', `/${'x'.repeat(5000)}`]) {
      const response = await fetch(`${base}${path}`);
      expect(response.status, path).toBe(404);
      const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
      expect(body.errors[0]?.extensions.code).toBe('NOT_FOUND');
      expect(body.errors[0]?.message).toContain('The API is at /graphql');
      expect(body.errors[0]!.message.length).toBeLessThan(250);
    }
  });

  it('answers a method a path does not take with 405, its Allow header and METHOD_NOT_ALLOWED', async () => {
    const cases: [string, string, string][] = [
      ['GET', '/interactions', 'POST'],
      ['PUT', '/interactions', 'POST'],
      ['POST', '/calendar.ics', 'GET, HEAD'],
      ['DELETE', '/reports/matrix', 'GET, HEAD'],
    ];
    for (const [method, path, allow] of cases) {
      const response = await fetch(`${base}${path}`, { method });
      expect(response.status, `${method} ${path}`).toBe(405);
      expect(response.headers.get('allow')).toBe(allow);
      const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
      expect(body.errors[0]).toEqual({ message: `${path} answers ${allow}, not ${method}.`, extensions: { code: 'METHOD_NOT_ALLOWED' } });
    }
    // GraphQL's own answer to a wrong method stays Yoga's.
    expect((await fetch(`${base}/graphql`, { method: 'DELETE' })).headers.get('allow')).toBe('GET, POST');
  });

  it('answers a GraphQL body it cannot read with 415 UNSUPPORTED_MEDIA_TYPE saying what it takes, CORS headers kept', async () => {
    for (const type of ['text/plain', 'application/xml']) {
      const response = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': type, origin: 'https://shop.example', authorization: `Bearer ${demoKey('DELIVERY')}` }, body: '{"query":"{ __typename }"}' });
      expect(response.status).toBe(415);
      expect(response.headers.get('access-control-allow-origin')).toBe('https://shop.example');
      const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
      expect(body.errors[0]?.extensions.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      expect(body.errors[0]?.message).toContain(`application/json ({"query": "…", "variables": {…}}), not ${type}`);
    }
  });

  it('answers HEAD on the calendar feed and a report with the GET answer\'s status and headers, and no body', async () => {
    const admin = demoKey('ADMIN');
    const calendar = await post('mutation { createCalendarToken(input: { name: "Agenda" }) { feedUrl } }', admin);
    const report = await post('mutation { createReportToken(input: { name: "Board" }) { token } }', admin);
    const feedUrl = new URL(calendar.body.data?.createCalendarToken.feedUrl as string);
    const reportUrl = `${base}/reports/calendar.csv?token=${report.body.data?.createReportToken.token as string}`;
    for (const url of [`${base}${feedUrl.pathname}${feedUrl.search}`, reportUrl]) {
      const got = await fetch(url);
      const head = await fetch(url, { method: 'HEAD' });
      expect(got.status, url).toBe(200);
      expect(head.status, url).toBe(200);
      expect(head.headers.get('content-type')).toBe(got.headers.get('content-type'));
      expect(await head.text()).toBe('');
      expect((await got.text()).length).toBeGreaterThan(100);
    }
    expect((await fetch(`${base}/calendar.ics?token=cpk_not_a_token`, { method: 'HEAD' })).status).toBe(401);
  });

  it('on SIGTERM finishes the request in flight, takes no new ones, and exits 0', async () => {
    const drained = await sigtermWithRequestInFlight(started, demoKey('DELIVERY'));
    expect(drained).toEqual({ status: 200, body: { data: { viewer: { role: 'DELIVERY' } } }, refusedWhileDraining: true, exitCode: 0 });
  });
});

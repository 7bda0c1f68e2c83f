import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_OPERATION_LABELS } from '../src/http/metrics.js';
import { createServer } from '../src/server.js';
import { startTestApp, type TestApp, type WorkspaceKeys } from './support/app.js';
import { testProvider } from './support/databases.js';
import { Fixture } from './support/fixtures.js';
import { PROGRAMS } from './support/write-programs.js';

/**
 * /metrics as Prometheus scrapes it: only with the METRICS_TOKEN, and with
 * series for request durations by operation, errors by code, rate-limit
 * refusals, the database and the DELIVERY cache, none of them naming a
 * workspace or a key.
 */
const TOKEN = 'metrics-token-for-tests-0123456789';

type Server = ReturnType<typeof createServer>;

let app: TestApp;
let ws: WorkspaceKeys;
let yoga: Server;

beforeAll(async () => {
  app = await startTestApp();
  ws = await app.workspace('Gemeten');
  const f = new Fixture(app.database.prisma, ws.workspaceId);
  await f.journey('b2c', [['attention', 'BECOME']]);
  await f.segment('gezinnen');
  await f.channel('web');
  await f.piece({ title: 'Gemeten artikel', phases: ['attention'], channels: ['web'] });
  yoga = createServer({ database: app.database, mode: 'production', metricsToken: TOKEN, rateLimits: { perKey: 1000, perIp: 1000, windowSeconds: 60, trustProxy: false } });
});
afterAll(async () => {
  await yoga.dispose();
  await app.close();
});

function post(server: Server, key: string | null, query: string, headers: Record<string, string> = {}) {
  return server.fetch('http://test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
    body: JSON.stringify({ query }),
  });
}

async function scrape(server: Server = yoga): Promise<string> {
  const response = await server.fetch('http://test/metrics', { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain');
  return response.text();
}

/** The value of the series `name` whose labels include `labels`; undefined when there is none. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) return Number(match[3]);
  }
  return undefined;
}

const RECOMMEND = 'query Recommend { recommendedContent(segment: "gezinnen", phase: "attention", channel: "web") { totalCount edges { node { title } } } }';

describe('the /metrics endpoint', () => {
  it('is not served at all without a METRICS_TOKEN', async () => {
    expect((await app.fetch('/metrics')).status).toBe(404);
    expect((await app.fetch('/metrics', { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
  });

  it('answers 401 without the token or with a wrong one, and the metrics with it', async () => {
    for (const authorization of [null, 'Bearer wrong-token-0123456789abcdef', `Bearer ${TOKEN}x`, `Basic ${TOKEN}`, ws.ADMIN]) {
      const response = await yoga.fetch('http://test/metrics', { headers: authorization ? { authorization } : {} });
      expect(response.status, String(authorization)).toBe(401);
      expect(await response.text()).not.toContain('content_planning');
    }
    expect(await scrape()).toContain('# TYPE content_planning_request_duration_seconds histogram');
  });
});

describe('the series', () => {
  it('times requests by operation, cached answers included, and the GraphQL phases of the computed ones', async () => {
    const before = await scrape();
    const count = (text: string, operation: string) => sample(text, 'content_planning_request_duration_seconds_count', { route: 'graphql', operation }) ?? 0;
    for (let i = 0; i < 3; i++) expect((await post(yoga, ws.DELIVERY, RECOMMEND)).status).toBe(200);
    expect((await post(yoga, ws.EDITOR, '{ viewer { role } }')).status).toBe(200);
    const after = await scrape();
    expect(count(after, 'Recommend') - count(before, 'Recommend')).toBe(3);
    expect(count(after, 'anonymous') - count(before, 'anonymous')).toBe(1);
    expect(sample(after, 'content_planning_responses_total', { route: 'graphql', status: '200' })).toBeGreaterThanOrEqual(4);
    // Parsed once: the two repeats came from the cache.
    expect(sample(after, 'graphql_envelop_phase_execute_count', { operationName: 'Recommend', operationType: 'query' })).toBe(1);
  });

  it('counts the beacon, the reports and the calendar feed under routes of their own, anything else as other', async () => {
    const responses = (text: string, route: string, status: string) => sample(text, 'content_planning_responses_total', { route, status }) ?? 0;
    const before = await scrape();
    const beacon = await yoga.fetch('http://test/interactions', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ key: ws.DELIVERY, events: [] }) });
    expect(beacon.status).toBe(204);
    expect((await yoga.fetch('http://test/reports/gaps.csv')).status).toBe(401);
    expect((await yoga.fetch('http://test/calendar.ics')).status).toBe(401);
    expect((await yoga.fetch('http://test/no-such-path')).status).toBe(404);
    const after = await scrape();
    expect(responses(after, 'interactions', '204') - responses(before, 'interactions', '204')).toBe(1);
    expect(responses(after, 'reports', '401') - responses(before, 'reports', '401')).toBe(1);
    expect(responses(after, 'calendar_feed', '401') - responses(before, 'calendar_feed', '401')).toBe(1);
    expect(responses(after, 'other', '404') - responses(before, 'other', '404')).toBe(1);
  });

  it('counts errors by extensions.code', async () => {
    const codes = (text: string, code: string) => sample(text, 'content_planning_errors_total', { code }) ?? 0;
    const before = await scrape();
    await post(yoga, 'cpk_not_a_key', '{ viewer { role } }');
    await post(yoga, ws.DELIVERY, '{ contentMatrix(journey: "b2c") { cells { status } } }');
    await post(yoga, ws.DELIVERY, '{ nope }');
    await post(yoga, ws.DELIVERY, '{ viewer {');
    const after = await scrape();
    expect(codes(after, 'UNAUTHENTICATED') - codes(before, 'UNAUTHENTICATED')).toBe(1);
    expect(codes(after, 'FORBIDDEN') - codes(before, 'FORBIDDEN')).toBe(1);
    expect(codes(after, 'GRAPHQL_VALIDATION_FAILED') - codes(before, 'GRAPHQL_VALIDATION_FAILED')).toBe(1);
    expect(codes(after, 'GRAPHQL_PARSE_FAILED') - codes(before, 'GRAPHQL_PARSE_FAILED')).toBe(1);
  });

  it('counts DELIVERY answers served from the cache and computed, and 304s', async () => {
    const query = 'query CacheCount { recommendedContent(segment: "gezinnen", phase: "attention", channel: "web") { totalCount } }';
    const cache = (text: string, result: string) => sample(text, 'content_planning_delivery_cache_total', { result }) ?? 0;
    const before = await scrape();
    const first = await post(yoga, ws.DELIVERY, query);
    await post(yoga, ws.DELIVERY, query);
    expect((await post(yoga, ws.DELIVERY, query, { 'if-none-match': first.headers.get('etag')! })).status).toBe(304);
    await post(yoga, ws.EDITOR, query); // never kept: neither
    const after = await scrape();
    expect(cache(after, 'miss') - cache(before, 'miss')).toBe(1);
    expect(cache(after, 'hit') - cache(before, 'hit')).toBe(2);
    expect((sample(after, 'content_planning_delivery_not_modified_total') ?? 0) - (sample(before, 'content_planning_delivery_not_modified_total') ?? 0)).toBe(1);
  });

  it('counts 429s by the budget that was spent', async () => {
    const limited = createServer({ database: app.database, mode: 'production', metricsToken: TOKEN, rateLimits: { perKey: 2, perIp: 3, windowSeconds: 60, trustProxy: false } });
    try {
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await post(limited, ws.DELIVERY, '{ viewer { role } }')).status);
      for (let i = 0; i < 4; i++) statuses.push((await post(limited, null, '{ __typename }')).status);
      expect(statuses).toEqual([200, 200, 429, 200, 200, 429, 429]);
      const text = await scrape(limited);
      expect(sample(text, 'content_planning_rate_limited_total', { budget: 'key' })).toBe(1);
      // The first DELIVERY request was counted against the address too, before its key was known.
      expect(sample(text, 'content_planning_rate_limited_total', { budget: 'address' })).toBe(2);
      expect(sample(text, 'content_planning_errors_total', { code: 'RATE_LIMITED' })).toBe(3);
      expect(sample(text, 'content_planning_responses_total', { route: 'graphql', status: '429' })).toBe(3);
    } finally {
      await limited.dispose();
    }
  });

  it('reports the database: the PostgreSQL pool, or the SQLite file and its log', async () => {
    await post(yoga, ws.EDITOR, '{ contentPieces { totalCount } }');
    const text = await scrape();
    if (app.database.provider === 'postgresql') {
      expect(sample(text, 'content_planning_database_pool_connections')).toBeGreaterThan(0);
      expect(sample(text, 'content_planning_database_pool_idle_connections')).toBeGreaterThanOrEqual(0);
      expect(sample(text, 'content_planning_database_pool_waiting')).toBe(0);
      expect(sample(text, 'content_planning_database_pool_max_connections')).toBe(10);
      expect(text).not.toContain('content_planning_sqlite');
    } else {
      expect(sample(text, 'content_planning_sqlite_database_bytes')).toBeGreaterThan(0);
      expect(sample(text, 'content_planning_sqlite_wal_bytes')).toBeGreaterThanOrEqual(0);
      expect(sample(text, 'content_planning_sqlite_writes_waiting')).toBe(0);
      expect(text).not.toContain('content_planning_database_pool');
    }
  });

  it.skipIf(testProvider() !== 'sqlite')('reports the SQLite writes waiting for their turn', async () => {
    const thread = app.database.writeThread;
    if (!thread) throw new Error('a SQLite file has a write thread');
    // The write thread holds the turn; a transaction of the main connection waits for it.
    const flags = new Int32Array(new SharedArrayBuffer(8));
    const held = thread.transaction({ module: PROGRAMS, name: 'holdTurn' }, [flags]);
    while (Atomics.load(flags, 1) === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    const waiting = app.database.prisma.$transaction(async () => {});
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(sample(await scrape(), 'content_planning_sqlite_writes_waiting')).toBe(1);
    Atomics.store(flags, 0, 1);
    Atomics.notify(flags, 0);
    await held;
    await waiting;
    expect(sample(await scrape(), 'content_planning_sqlite_writes_waiting')).toBe(0);
  });

  it('reports the webhook outbox: events waiting, deliveries pending and failed, and the oldest wait', async () => {
    const empty = await scrape();
    expect(sample(empty, 'content_planning_webhook_pending_deliveries')).toBe(0);
    expect(sample(empty, 'content_planning_webhook_oldest_pending_seconds')).toBe(0);
    const db = app.database.prisma;
    const endpoint = await db.webhookEndpoint.create({ data: { workspaceId: ws.workspaceId, url: 'https://93.184.215.14/hooks', secret: 'sealed' } });
    await db.webhookEvent.createMany({ data: [{ id: 'msg_metrics_1', workspaceId: ws.workspaceId, type: 'content.created', body: '{}', fannedOut: true }, { id: 'msg_metrics_2', workspaceId: ws.workspaceId, type: 'content.created', body: '{}' }] });
    await db.webhookDelivery.createMany({
      data: [
        { eventId: 'msg_metrics_1', endpointId: endpoint.id, createdAt: new Date(Date.now() - 120_000) },
        { eventId: 'msg_metrics_1', endpointId: endpoint.id, status: 'FAILED' },
      ],
    });
    const text = await scrape();
    expect(sample(text, 'content_planning_webhook_outbox_events')).toBe(1);
    expect(sample(text, 'content_planning_webhook_pending_deliveries')).toBe(1);
    expect(sample(text, 'content_planning_webhook_failed_deliveries')).toBe(1);
    expect(sample(text, 'content_planning_webhook_oldest_pending_seconds')).toBeGreaterThanOrEqual(120);
    await db.webhookEndpoint.delete({ where: { id: endpoint.id } });
    await db.webhookEvent.deleteMany({ where: { workspaceId: ws.workspaceId } });
  });

  it('keeps operation names from exploding the series, and never names a workspace, a key or a client', async () => {
    const server = createServer({ database: app.database, mode: 'production', metricsToken: TOKEN });
    try {
      for (let i = 0; i < MAX_OPERATION_LABELS + 20; i++) expect((await post(server, ws.ADMIN, `query Op${i} { viewer { role } }`)).status).toBe(200);
      await post(server, ws.ADMIN, '{ viewer { role } }', { 'x-forwarded-for': '203.0.113.7' });
      // An operationName the document does not have (here a key, by mistake) names no series.
      for (const query of ['query Viewer { viewer { role } }', 'query A { viewer { role } } query B { __typename }']) {
        await server.fetch('http://test/graphql', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${ws.ADMIN}` }, body: JSON.stringify({ query, operationName: ws.EDITOR }) });
      }
      const text = await scrape(server);
      const operations = new Set([...text.matchAll(/content_planning_request_duration_seconds_count\{[^}]*operation="([^"]*)"/g)].map((m) => m[1]));
      expect(operations.size).toBeLessThanOrEqual(MAX_OPERATION_LABELS + 2);
      expect(sample(text, 'content_planning_request_duration_seconds_count', { operation: 'other' })).toBe(20);
      for (const secret of [ws.workspaceId, ws.ADMIN, ws.DELIVERY, ws.EDITOR, '203.0.113.7', '127.0.0.1']) expect(text).not.toContain(secret);
    } finally {
      await server.dispose();
    }
  });
});

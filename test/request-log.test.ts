import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, hashSecret } from '../src/auth/keys.js';
import { openDatabase } from '../src/db/client.js';
import { KNOWN_OPERATIONS, operationHash } from '../src/delivery/persisted-operations.js';
import { createLogger } from '../src/http/request-log.js';
import { createServer } from '../src/server.js';
import { startTestApp, type TestApp, type WorkspaceKeys } from './support/app.js';
import { freshDatabase } from './support/databases.js';
import { Fixture } from './support/fixtures.js';
import { startServerProcess } from './support/process.js';

/**
 * The server's log: one JSON line per request, with a request id the
 * response echoes, and never a key, a calendar token or a new secret.
 */
type Server = ReturnType<typeof createServer>;
type Line = Record<string, unknown> & { msg: string; level: string };

/** A logger that keeps every line it is given, as written. */
function capturedLog() {
  const raw: string[] = [];
  const logger = createLogger('debug', { write: (line: string) => void raw.push(line) });
  return { logger, raw, lines: () => raw.map((line) => JSON.parse(line) as Line), requests: () => raw.map((line) => JSON.parse(line) as Line).filter((line) => line.path) };
}

let app: TestApp;
let ws: WorkspaceKeys;

beforeAll(async () => {
  app = await startTestApp();
  ws = await app.workspace('Gelogd');
  const f = new Fixture(app.database.prisma, ws.workspaceId);
  await f.journey('b2c', [['attention', 'BECOME']]);
  await f.segment('gezinnen');
  await f.channel('web');
  await f.piece({ title: 'Gelogd artikel', phases: ['attention'], channels: ['web'] });
});
afterAll(() => app.close());

function post(server: Server, key: string | null, query: string, init: { headers?: Record<string, string>; variables?: Record<string, unknown> } = {}) {
  return server.fetch('http://test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}), ...init.headers },
    body: JSON.stringify({ query, variables: init.variables }),
  });
}

async function withServer(test: (server: Server, log: ReturnType<typeof capturedLog>) => Promise<void>, options: Partial<Parameters<typeof createServer>[0]> = {}) {
  const log = capturedLog();
  const server = createServer({ database: app.database, mode: 'production', logger: log.logger, ...options });
  try {
    await test(server, log);
  } finally {
    await server.dispose();
  }
}

describe('request ids', () => {
  it('keeps a sane X-Request-Id, echoes it, and puts it on the request\'s log line', async () => {
    await withServer(async (server, log) => {
      for (const id of ['abc-123', 'f3b0c9e2-8d1a-4c1e-9a53-0b6f2f0d7c11', 'Root=1-67891233-abcdef012345678912345678', 'a'.repeat(128)]) {
        const response = await post(server, ws.EDITOR, '{ viewer { role } }', { headers: { 'x-request-id': id } });
        expect(response.headers.get('x-request-id')).toBe(id);
        expect(log.requests().at(-1)?.requestId).toBe(id);
      }
    });
  });

  it('makes one up when there is none or it looks wrong, different for every request', async () => {
    await withServer(async (server, log) => {
      const seen = new Set<string>();
      for (const id of [undefined, '', 'a'.repeat(129), 'two words', 'quote"and{brace}', 'é']) {
        const response = await post(server, ws.EDITOR, '{ viewer { role } }', { headers: id === undefined ? {} : { 'x-request-id': id } });
        const echoed = response.headers.get('x-request-id')!;
        expect(echoed).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        expect(log.requests().at(-1)?.requestId).toBe(echoed);
        seen.add(echoed);
      }
      expect(seen.size).toBe(6);
    });
  });

  it('is on every answer: refusals, 429s, the calendar feed, unknown paths and health probes', async () => {
    await withServer(
      async (server) => {
        const answers = [
          await server.fetch('http://test/nowhere'),
          await post(server, 'cpk_unknown', '{ viewer { role } }'),
          await post(server, null, '{ __typename }'),
          await server.fetch('http://test/calendar.ics?token=cpc_nope'),
          await server.fetch('http://test/healthz'),
          await server.fetch('http://test/readyz'),
        ];
        expect(answers.map((r) => r.status)).toEqual([404, 401, 429, 429, 200, 200]);
        for (const answer of answers) expect(answer.headers.get('x-request-id')).toBeTruthy();
      },
      { rateLimits: { perKey: 100, perIp: 2, windowSeconds: 60, trustProxy: false } },
    );
  });
});

describe('the request line', () => {
  it('tells the operation, workspace, role, status, duration and error codes, one line per request', async () => {
    await withServer(async (server, log) => {
      await post(server, ws.DELIVERY, 'query Recommend { recommendedContent(segment: "gezinnen", phase: "attention", channel: "web") { totalCount } }');
      await post(server, ws.DELIVERY, 'query Recommend { recommendedContent(segment: "gezinnen", phase: "attention", channel: "web") { totalCount } }');
      await post(server, ws.DELIVERY, 'query Matrix { contentMatrix(journey: "b2c") { cells { status } } }');
      await post(server, ws.ADMIN, 'mutation Rename { updateWorkspace(input: { name: "Gelogd" }) { userErrors { code } } }');
      await post(server, 'cpk_unknown', 'query Who { viewer { role } }');
      await server.fetch('http://test/healthz');
      // Parameters of the wrong type are refused, and logged without them.
      const badName = await server.fetch('http://test/graphql', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${ws.EDITOR}` }, body: JSON.stringify({ query: '{ viewer { role } }', operationName: { name: 'x' } }) });
      expect(badName.status).toBe(400);
      expect(log.requests().at(-1)).toMatchObject({ status: 400, operation: null });
      const lines = log.requests().slice(0, -1);
      expect(lines).toHaveLength(5);
      expect(lines.map(({ level, msg, method, path, status, operation, operationType, workspaceId, role, errorCodes, cache }) => ({ level, msg, method, path, status, operation, operationType, workspaceId, role, errorCodes, cache }))).toEqual([
        { level: 'info', msg: 'POST /graphql 200', method: 'POST', path: '/graphql', status: 200, operation: 'Recommend', operationType: 'query', workspaceId: ws.workspaceId, role: 'DELIVERY', errorCodes: [], cache: 'miss' },
        { level: 'info', msg: 'POST /graphql 200', method: 'POST', path: '/graphql', status: 200, operation: 'Recommend', operationType: 'query', workspaceId: ws.workspaceId, role: 'DELIVERY', errorCodes: [], cache: 'hit' },
        { level: 'info', msg: 'POST /graphql 200', method: 'POST', path: '/graphql', status: 200, operation: 'Matrix', operationType: 'query', workspaceId: ws.workspaceId, role: 'DELIVERY', errorCodes: ['FORBIDDEN'], cache: null },
        { level: 'info', msg: 'POST /graphql 200', method: 'POST', path: '/graphql', status: 200, operation: 'Rename', operationType: 'mutation', workspaceId: ws.workspaceId, role: 'ADMIN', errorCodes: [], cache: null },
        { level: 'info', msg: 'POST /graphql 401', method: 'POST', path: '/graphql', status: 401, operation: 'Who', operationType: 'query', workspaceId: null, role: null, errorCodes: ['UNAUTHENTICATED'], cache: null },
      ]);
      for (const line of lines) {
        expect(line.durationMs).toEqual(expect.any(Number));
        expect(line.time).toMatch(/^\d{4}-\d\d-\d\dT/);
      }
    });
  });

  it('names the operation of a persisted GET served from the cache, which is never parsed', async () => {
    await withServer(async (server, log) => {
      const url = `http://test/graphql?${new URLSearchParams({
        extensions: JSON.stringify({ persistedQuery: { version: 1, sha256Hash: operationHash(KNOWN_OPERATIONS.RecommendedContent!) } }),
        variables: JSON.stringify({ segment: 'gezinnen', phase: 'attention', channel: 'web', first: 3 }),
      })}`;
      for (let i = 0; i < 2; i++) expect((await server.fetch(url, { headers: { authorization: `Bearer ${ws.DELIVERY}` } })).status).toBe(200);
      expect(log.requests().map((line) => [line.method, line.path, line.operation, line.cache])).toEqual([
        ['GET', '/graphql', 'RecommendedContent', 'miss'],
        ['GET', '/graphql', 'RecommendedContent', 'hit'],
      ]);
    });
  });
});

describe('secrets', () => {
  it('no log line holds a key, a calendar token, a new secret, or their hashes', async () => {
    const secrets: string[] = [ws.ADMIN, ws.EDITOR, ws.DELIVERY];
    for (const mode of ['production', 'development'] as const) {
      await withServer(
        async (server, log) => {
          const unknownKey = `cpk_${randomBytes(32).toString('base64url')}`;
          secrets.push(unknownKey);
          let requests = 0;
          const send = async (response: Response | PromiseLike<Response>) => {
            requests += 1;
            return response;
          };
          // Keys in headers, every role, odd spellings, and bad ones.
          for (const key of [ws.ADMIN, ws.EDITOR, ws.DELIVERY]) await send(post(server, key, '{ viewer { role } }'));
          await send(server.fetch('http://test/graphql', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `bEaReR \t${ws.EDITOR}  ` }, body: JSON.stringify({ query: '{ viewer { role } }' }) }));
          await send(post(server, unknownKey, '{ viewer { role } }'));
          await send(server.fetch('http://test/graphql', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Basic ${ws.ADMIN}` }, body: JSON.stringify({ query: '{ viewer { role } }' }) }));
          // Secrets in answers.
          const key = await (await send(post(server, ws.ADMIN, 'mutation NewKey { createApiKey(input: { name: "Logged", role: DELIVERY }) { secret userErrors { code } } }'))).json();
          const newKey = key.data.createApiKey.secret as string;
          const calendar = await (await send(post(server, ws.EDITOR, 'mutation NewToken { createCalendarToken(input: { name: "Logged" }) { token feedUrl calendarToken { id } } }'))).json();
          const token = calendar.data.createCalendarToken.token as string;
          expect(newKey).toMatch(/^cpk_/);
          expect(token).toMatch(/^cpc_/);
          secrets.push(newKey, token);
          // Feed tokens in the query string: valid, then revoked, and unknown.
          await send(server.fetch(`http://test/calendar.ics?token=${encodeURIComponent(token)}&segments=gezinnen`));
          await send(server.fetch(`http://test/calendar.ics?segments=gezinnen&token=${encodeURIComponent(token)}&timeZone=Nowhere`));
          await send(post(server, ws.EDITOR, 'mutation ($id: ID!) { revokeCalendarToken(input: { id: $id }) { userErrors { code } } }', { variables: { id: calendar.data.createCalendarToken.calendarToken.id } }));
          await send(server.fetch(`http://test/calendar.ics?token=${encodeURIComponent(token)}`));
          const unknownToken = `cpc_${randomBytes(32).toString('base64url')}`;
          secrets.push(unknownToken);
          await send(server.fetch(`http://test/calendar.ics?token=${unknownToken}`));
          // The new key at work, then in a query text, in variables and in a GET URL, as clients mistakenly send them.
          await send(post(server, newKey, '{ viewer { role } }'));
          await send(post(server, ws.EDITOR, `{ viewer(key: "${newKey}") { role } }`));
          await send(post(server, ws.EDITOR, 'query Search($s: String) { contentPieces(filter: { search: $s }) { totalCount } }', { variables: { s: newKey } }));
          await send(server.fetch(`http://test/graphql?query=${encodeURIComponent(`{ viewer { role } } # ${token}`)}`, { headers: { authorization: `Bearer ${newKey}` } }));
          for (const query of ['query Viewer { viewer { role } }', 'query A { viewer { role } } query B { __typename }']) {
            const body = JSON.stringify({ query, operationName: newKey });
            await send(server.fetch('http://test/graphql', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${ws.DELIVERY}` }, body }));
          }

          const text = log.raw.join('');
          expect(log.requests()).toHaveLength(requests);
          for (const secret of secrets) {
            expect(text).not.toContain(secret);
            expect(text).not.toContain(secret.slice(4, 20));
            expect(text).not.toContain(hashSecret(secret));
          }
        },
        { mode },
      );
    }
  });
});

describe('unexpected errors', () => {
  it('are logged with their stack and the request id, and answered without either, in development too', async () => {
    // A database of this test's own, with tables gone from under the server: a real failure.
    const database = openDatabase(await freshDatabase());
    await database.ready;
    const workspace = await database.prisma.workspace.create({ data: { name: 'Kapot' } });
    const editor = (await createApiKey(database.prisma, workspace.id, 'editor', 'EDITOR')).secret;
    await database.prisma.$executeRawUnsafe('ALTER TABLE "Channel" RENAME TO "ChannelGone"');
    await database.prisma.$executeRawUnsafe('ALTER TABLE "CalendarToken" RENAME TO "CalendarTokenGone"');
    try {
      for (const mode of ['production', 'development'] as const) {
        const log = capturedLog();
        const server = createServer({ database, mode, logger: log.logger });
        try {
          const response = await post(server, editor, 'query Channels { channels { totalCount } }', { headers: { 'x-request-id': `broken-${mode}` } });
          const body = await response.text();
          expect(JSON.parse(body).errors, mode).toEqual([expect.objectContaining({ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } })]);
          expect(body, mode).not.toMatch(/ChannelGone|no such table|relation|stack|\bat |\.ts\b/i);
          const failure = log.lines().find((line) => line.level === 'error' && line.requestId === `broken-${mode}`);
          expect((failure?.err as { stack?: string } | undefined)?.stack, mode).toMatch(/\n\s+at /);
          expect(log.requests().find((line) => line.requestId === `broken-${mode}`)).toMatchObject({ status: 200, errorCodes: ['INTERNAL_SERVER_ERROR'], operation: 'Channels' });

          const feed = await server.fetch('http://test/calendar.ics?token=cpc_whatever', { headers: { 'x-request-id': `feed-${mode}` } });
          expect(feed.status).toBe(500);
          expect(await feed.text()).toBe('Unexpected error.\n');
          const feedFailure = log.lines().find((line) => line.level === 'error' && line.requestId === `feed-${mode}` && !line.path);
          expect(feedFailure?.msg).toBe('Calendar feed failed');
          expect((feedFailure?.err as { stack?: string } | undefined)?.stack).toMatch(/\n\s+at /);
          expect(log.requests().find((line) => line.requestId === `feed-${mode}`)).toMatchObject({ level: 'error', status: 500, path: '/calendar.ics' });
        } finally {
          await server.dispose();
        }
      }
    } finally {
      await database.disconnect();
    }
  });
});

describe('the server process', () => {
  it('writes JSON lines, listens on loopback by default in development and says so', async () => {
    const config = await freshDatabase();
    const url = config.provider === 'sqlite' ? `file:${config.url}` : config.url;
    // HOST empty: the default applies.
    const started = await startServerProcess(url, { HOST: '', NODE_ENV: 'development', DEMO_DATA: 'false' });
    try {
      expect((await fetch(`${started.base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'from-outside' }, body: '{"query":"{ __typename }"}' })).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const lines = started
        .output()
        .split('\n')
        .filter((line) => line.trim())
        .map((line) => JSON.parse(line) as Line);
      const listening = lines.find((line) => String(line.msg).startsWith('GraphQL'));
      expect(listening).toMatchObject({ level: 'info', address: '127.0.0.1' });
      expect(listening?.msg).toContain(`at ${started.base}/graphql (`);
      expect(lines.find((line) => line.requestId === 'from-outside')).toMatchObject({ path: '/graphql', status: 200 });
    } finally {
      await started.stop();
    }
  }, 60_000);
});

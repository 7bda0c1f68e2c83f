import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApiKey } from '../src/auth/keys.js';
import { REFUSAL_MEMORY_MS, Refusals } from '../src/auth/refusals.js';
import { openDatabase } from '../src/db/client.js';
import { createLogger } from '../src/http/request-log.js';
import { createServer } from '../src/server.js';
import { freshDatabase } from './support/databases.js';
import { startTestApp, type TestApp, type WorkspaceKeys } from './support/app.js';

const CREATE_TOKEN = 'mutation ($name: String!) { createCalendarToken(input: { name: $name }) { token calendarToken { id } } }';
const REVOKE_TOKEN = 'mutation ($id: ID!) { revokeCalendarToken(input: { id: $id }) { userErrors { code } } }';

let app: TestApp;
let ws: WorkspaceKeys;

beforeAll(async () => {
  app = await startTestApp();
  ws = await app.workspace();
});
afterAll(() => app.close());

type Server = ReturnType<typeof createServer>;

/** A server of its own (fresh counters and caches) that takes the client address from X-Forwarded-For. */
function limited(perKey: number, perIp: number) {
  return createServer({ database: app.database, mode: 'production', rateLimits: { perKey, perIp, windowSeconds: 60, trustProxy: true } });
}

async function withServer(perKey: number, perIp: number, test: (yoga: Server) => Promise<void>) {
  const yoga = limited(perKey, perIp);
  try {
    await test(yoga);
  } finally {
    await yoga.dispose();
  }
}

function post(yoga: Server, headers: Record<string, string> = {}, query = '{ viewer { role } }', variables?: Record<string, unknown>) {
  return yoga.fetch('http://test/graphql', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
}

function feed(yoga: Server, token: string, headers: Record<string, string> = {}) {
  return yoga.fetch(`http://test/calendar.ics?${new URLSearchParams({ token })}`, { headers });
}

/** The load balancer appends the client's address last; anything before it is the client's say. */
const from = (ip: string) => ({ 'x-forwarded-for': `10.0.0.9, ${ip}` });
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const randomKey = () => `cpk_${randomBytes(32).toString('base64url')}`;

/** Runs `request` and answers its response and how many SQL statements it cost. */
async function counted(request: () => Response | PromiseLike<Response>): Promise<{ response: Response; statements: number }> {
  let response: Response | undefined;
  const statements = await app.countStatements(async () => {
    response = await request();
  });
  return { response: response as Response, statements };
}

async function newCalendarToken(name: string): Promise<{ token: string; id: string }> {
  const created = await app.gql(ws.EDITOR, CREATE_TOKEN, { name });
  return { token: created.data?.createCalendarToken.token, id: created.data?.createCalendarToken.calendarToken.id };
}

describe('rate limits', () => {
  it('answers 429 with Retry-After and RATE_LIMITED once a key has spent its budget, without touching the database', async () => {
    await withServer(3, 100, async (yoga) => {
      for (let i = 0; i < 3; i++) expect((await post(yoga, bearer(ws.DELIVERY))).status).toBe(200);
      const { response, statements } = await counted(() => post(yoga, bearer(ws.DELIVERY)));
      expect(response.status).toBe(429);
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(Number(response.headers.get('retry-after'))).toBeLessThanOrEqual(60);
      const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
      expect(body.errors[0]?.extensions.code).toBe('RATE_LIMITED');
      expect(statements).toBe(0);
    });
  });

  it('counts each key on its own: another key of the same workspace is still served', async () => {
    await withServer(1, 100, async (yoga) => {
      expect((await post(yoga, bearer(ws.DELIVERY))).status).toBe(200);
      expect((await post(yoga, bearer(ws.DELIVERY))).status).toBe(429);
      expect((await post(yoga, bearer(ws.EDITOR))).status).toBe(200);
    });
  });

  it('every spelling of one key shares the key\'s budget: the scheme in any case, spaces or tabs around the key', async () => {
    const key = ws.DELIVERY;
    const spellings = [
      `Bearer ${key}`, `bearer ${key}`, `BEARER ${key}`, `bEaReR ${key}`, `Bearer\t${key}`, `Bearer  ${key}`,
      `Bearer \t ${key}`, `Bearer\t\t${key}`, `Bearer ${key} `, `Bearer ${key}\t`, `  Bearer ${key}`,
    ];
    await withServer(spellings.length, 1000, async (yoga) => {
      for (const [i, spelling] of spellings.entries()) {
        const response = await post(yoga, { ...from(`192.0.2.${i + 1}`), authorization: spelling });
        expect(await response.json()).toEqual({ data: { viewer: { role: 'DELIVERY' } } });
      }
      for (const spelling of spellings) expect((await post(yoga, { authorization: spelling })).status).toBe(429);
    });
  });

  it('a header that is not "Bearer <key>" is 401 UNAUTHENTICATED without a lookup, counted per client address', async () => {
    const key = ws.DELIVERY;
    const malformed = ['Basic dXNlcjpwYXNz', 'Bearer', `Bearer${key}`, `Bearer ${key} ${key}`, `Token ${key}`, `Bearer\u00a0${key}`];
    await withServer(100, malformed.length, async (yoga) => {
      for (const authorization of malformed) {
        const { response, statements } = await counted(() => post(yoga, { ...from('192.0.2.1'), authorization }));
        expect(response.status).toBe(401);
        expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe('UNAUTHENTICATED');
        expect(statements).toBe(0);
      }
      expect((await post(yoga, { ...from('192.0.2.1'), authorization: malformed[0] as string })).status).toBe(429);
    });
  });

  it('limits requests without a key per client address', async () => {
    await withServer(100, 2, async (yoga) => {
      expect((await post(yoga, from('192.0.2.1'))).status).toBe(401);
      expect((await post(yoga, from('192.0.2.1'))).status).toBe(401);
      const third = await post(yoga, from('192.0.2.1'));
      expect(third.status).toBe(429);
      expect(third.headers.get('retry-after')).toMatch(/^\d+$/);
      expect((await post(yoga, from('192.0.2.2'))).status).toBe(401);
    });
  });

  it('unknown keys pay into the client address before their lookup: a flood of random keys gets 429 and costs no SQL', async () => {
    await withServer(100, 5, async (yoga) => {
      for (let i = 0; i < 5; i++) expect((await post(yoga, { ...from('192.0.2.1'), ...bearer(randomKey()) })).status).toBe(401);
      for (let i = 0; i < 20; i++) {
        const { response, statements } = await counted(() => post(yoga, { ...from('192.0.2.1'), ...bearer(randomKey()) }));
        expect(response.status).toBe(429);
        expect(statements).toBe(0);
      }
      expect((await post(yoga, { ...from('192.0.2.2'), ...bearer(randomKey()) })).status).toBe(401);
    });
  });

  it('an unknown key is remembered: sending it again costs no SQL and still pays into the client address', async () => {
    const key = randomKey();
    await withServer(100, 4, async (yoga) => {
      const first = await counted(() => post(yoga, { ...from('192.0.2.1'), ...bearer(key) }));
      expect(first.response.status).toBe(401);
      expect(first.statements).toBeGreaterThan(0);
      for (let i = 0; i < 3; i++) {
        const again = await counted(() => post(yoga, { ...from('192.0.2.1'), authorization: `bearer\t${key}` }));
        expect(again.response.status).toBe(401);
        expect(((await again.response.json()) as { errors: { message: string }[] }).errors[0]?.message).toBe('This API key is unknown or revoked.');
        expect(again.statements).toBe(0);
      }
      expect((await post(yoga, { ...from('192.0.2.1'), ...bearer(key) })).status).toBe(429);
    });
  });

  it('a revoked key is refused with 401 on its next request, and remembered: sending it again costs no SQL', async () => {
    const doomed = await createApiKey(app.database.prisma, ws.workspaceId, 'doomed', 'DELIVERY');
    await withServer(100, 100, async (yoga) => {
      const viewer = await post(yoga, bearer(doomed.secret), '{ viewer { apiKey { id } } }');
      const id = ((await viewer.json()) as { data: { viewer: { apiKey: { id: string } } } }).data.viewer.apiKey.id;
      const revoked = await post(yoga, bearer(ws.ADMIN), 'mutation ($id: ID!) { revokeApiKey(input: { id: $id }) { userErrors { code } } }', { id });
      expect(await revoked.json()).toEqual({ data: { revokeApiKey: { userErrors: [] } } });

      const next = await counted(() => post(yoga, bearer(doomed.secret)));
      expect(next.response.status).toBe(401);
      expect(next.statements).toBeGreaterThan(0);
      const again = await counted(() => post(yoga, bearer(doomed.secret)));
      expect(again.response.status).toBe(401);
      expect(((await again.response.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe('UNAUTHENTICATED');
      expect(again.statements).toBe(0);
    });
  });

  it('a key known to be valid is served behind an exhausted address; a key not yet known is refused there before its lookup', async () => {
    await withServer(100, 2, async (yoga) => {
      expect((await post(yoga, { ...from('192.0.2.1'), ...bearer(ws.DELIVERY) })).status).toBe(200);
      expect((await post(yoga, from('192.0.2.1'))).status).toBe(401);
      expect((await post(yoga, from('192.0.2.1'))).status).toBe(429);

      expect((await post(yoga, { ...from('192.0.2.1'), ...bearer(ws.DELIVERY) })).status).toBe(200);
      const unknownYet = await counted(() => post(yoga, { ...from('192.0.2.1'), ...bearer(ws.EDITOR) }));
      expect(unknownYet.response.status).toBe(429);
      expect(unknownYet.statements).toBe(0);
      // Once another address has paid for its lookup, the key is known here too.
      expect((await post(yoga, { ...from('192.0.2.2'), ...bearer(ws.EDITOR) })).status).toBe(200);
      expect((await post(yoga, { ...from('192.0.2.1'), ...bearer(ws.EDITOR) })).status).toBe(200);
    });
  });

  it('a key lookup that fails answers "Unexpected error." without stack or SQL, and is not remembered as a refusal', async () => {
    const database = openDatabase(await freshDatabase());
    const yoga = createServer({ database, mode: 'production' });
    try {
      const secret = (await createApiKey(database.prisma, (await database.prisma.workspace.create({ data: { name: 'Broken' } })).id, 'key', 'DELIVERY')).secret;
      await database.prisma.$executeRawUnsafe('ALTER TABLE "ApiKey" RENAME TO "ApiKeyAway"');
      const failed = await post(yoga, bearer(secret));
      const body = await failed.text();
      expect(failed.status).toBe(500);
      expect(JSON.parse(body)).toEqual({ errors: [{ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
      expect(body).not.toMatch(/ApiKey|SELECT|\.ts:/);
      await database.prisma.$executeRawUnsafe('ALTER TABLE "ApiKeyAway" RENAME TO "ApiKey"');
      expect(await (await post(yoga, bearer(secret))).json()).toEqual({ data: { viewer: { role: 'DELIVERY' } } });
    } finally {
      await yoga.dispose();
      await database.disconnect();
    }
  });

  it('a limit of 0 turns it off', async () => {
    await withServer(0, 0, async (yoga) => {
      for (let i = 0; i < 20; i++) expect((await post(yoga, bearer(ws.DELIVERY))).status).toBe(200);
      for (let i = 0; i < 20; i++) expect((await post(yoga, bearer(randomKey()))).status).toBe(401);
    });
  });
});

describe('rate limits of the calendar feed', () => {
  it('every feed request pays into its client address, whatever Authorization header it carries', async () => {
    const { token } = await newCalendarToken('Address budget');
    await withServer(1000, 2, async (yoga) => {
      for (const [i, authorization] of [`Bearer ${ws.DELIVERY}`, `Bearer ${randomKey()}`, 'Basic dXNlcjpwYXNz'].entries()) {
        const ip = { ...from(`192.0.2.${i + 1}`), authorization };
        expect((await feed(yoga, token, ip)).status).toBe(200);
        expect((await feed(yoga, token, ip)).status).toBe(200);
        const third = await feed(yoga, token, ip);
        expect(third.status).toBe(429);
        expect(third.headers.get('retry-after')).toMatch(/^\d+$/);
      }
    });
  });

  it('every feed request pays into its token\'s budget, from any address', async () => {
    const { token } = await newCalendarToken('Token budget');
    const { token: another } = await newCalendarToken('Another token');
    await withServer(2, 1000, async (yoga) => {
      expect((await feed(yoga, token, from('192.0.2.1'))).status).toBe(200);
      expect((await feed(yoga, token, from('192.0.2.2'))).status).toBe(200);
      const third = await counted(() => feed(yoga, token, from('192.0.2.3')));
      expect(third.response.status).toBe(429);
      expect(((await third.response.json()) as { errors: { message: string; extensions: { code: string } }[] }).errors[0]).toMatchObject({
        message: expect.stringContaining('this calendar token'),
        extensions: { code: 'RATE_LIMITED' },
      });
      expect(third.statements).toBe(0);
      expect((await feed(yoga, another, from('192.0.2.3'))).status).toBe(200);
    });
  });

  it('a HEAD on the feed pays into its token\'s budget as a GET does', async () => {
    const { token } = await newCalendarToken('Checked by HEAD');
    await withServer(2, 1000, async (yoga) => {
      const head = () => yoga.fetch(`http://test/calendar.ics?${new URLSearchParams({ token })}`, { method: 'HEAD', headers: from('192.0.2.4') });
      expect((await head()).status).toBe(200);
      expect((await feed(yoga, token, from('192.0.2.5'))).status).toBe(200);
      expect((await head()).status).toBe(429);
    });
  });

  it('an unknown or revoked token is remembered: asking again costs no SQL and still pays into the address', async () => {
    const { token: revoked, id } = await newCalendarToken('Revoked');
    expect((await app.gql(ws.EDITOR, REVOKE_TOKEN, { id })).data?.revokeCalendarToken.userErrors).toEqual([]);
    await withServer(1000, 4, async (yoga) => {
      for (const token of [`cpc_${randomBytes(32).toString('base64url')}`, revoked]) {
        const first = await counted(() => feed(yoga, token, from('192.0.2.1')));
        expect(first.response.status).toBe(401);
        expect(first.statements).toBeGreaterThan(0);
        const again = await counted(() => feed(yoga, token, from('192.0.2.1')));
        expect(again.response.status).toBe(401);
        expect(await again.response.text()).toContain('unknown or revoked');
        expect(again.statements).toBe(0);
      }
      expect((await feed(yoga, revoked, from('192.0.2.1'))).status).toBe(429);
    });
  });
});

describe('the memory of unknown and revoked secrets', () => {
  it('forgets a refusal after a minute, and the oldest first when full, so it stays small under a flood', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const refusals = new Refusals(REFUSAL_MEMORY_MS, 3);
      for (const hash of ['a', 'b', 'c', 'd']) refusals.add(hash);
      expect(['a', 'b', 'c', 'd'].map((hash) => refusals.has(hash))).toEqual([false, true, true, true]);
      vi.advanceTimersByTime(REFUSAL_MEMORY_MS - 1);
      expect(refusals.has('d')).toBe(true);
      vi.advanceTimersByTime(1);
      expect(refusals.has('d')).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('a shared rate-limit store that is down', () => {
  it('answers a masked 500 for GraphQL and for the feed, never the error or its stack', async () => {
    const down = () => ({ consume: () => Promise.reject(new Error('store at 10.1.2.3:6379 refused the connection')) }) as unknown as ReturnType<NonNullable<Parameters<typeof createServer>[0]['rateLimitStore']>>;
    const lines: { level: string; msg: string; err?: { message: string } }[] = [];
    const logger = createLogger('info', { write: (line: string) => void lines.push(JSON.parse(line)) });
    const yoga = createServer({ database: app.database, mode: 'production', rateLimitStore: down, logger });
    try {
      for (const response of [await post(yoga, bearer(ws.DELIVERY)), await feed(yoga, 'cpc_anything')]) {
        const body = await response.text();
        expect(response.status).toBe(500);
        expect(JSON.parse(body)).toEqual({ errors: [{ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
        expect(body).not.toMatch(/10\.1\.2\.3|refused|\.ts:/);
      }
      // The detail goes to the log only.
      expect(lines.filter((line) => line.msg === 'Admission failed').map((line) => [line.level, line.err?.message])).toEqual([
        ['error', 'store at 10.1.2.3:6379 refused the connection'],
        ['error', 'store at 10.1.2.3:6379 refused the connection'],
      ]);
    } finally {
      await yoga.dispose();
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createServer } from '../src/server.js';
import { startTestApp, type TestApp, type WorkspaceKeys } from './support/app.js';

let app: TestApp;
let ws: WorkspaceKeys;
const servers: ReturnType<typeof createServer>[] = [];

beforeAll(async () => {
  app = await startTestApp();
  ws = await app.workspace();
});
afterAll(async () => {
  for (const server of servers) await server.dispose();
  await app.close();
});

function server(corsOrigins?: string[] | null) {
  const yoga = createServer({ database: app.database, mode: 'production', corsOrigins });
  servers.push(yoga);
  return yoga;
}

/** What a browser sends before a POST with an Authorization header from another origin. */
const preflight = (yoga: ReturnType<typeof createServer>, origin: string) =>
  yoga.fetch('http://test/graphql', {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
  });

const query = (yoga: ReturnType<typeof createServer>, origin: string) =>
  yoga.fetch('http://test/graphql', {
    method: 'POST',
    headers: { origin, 'content-type': 'application/json', authorization: `Bearer ${ws.DELIVERY}` },
    body: JSON.stringify({ query: '{ viewer { role } }' }),
  });

describe('CORS', () => {
  it('by default lets any origin call with its key in a header, and never allows credentials (cookies)', async () => {
    const yoga = server();
    for (const origin of ['https://shop.example', 'null']) {
      const options = await preflight(yoga, origin);
      expect(options.status).toBe(204);
      expect(options.headers.get('access-control-allow-origin')).toBe(origin);
      expect(options.headers.get('access-control-allow-headers')).toMatch(/authorization/i);
      expect(options.headers.get('access-control-allow-credentials')).toBeNull();
      const response = await query(yoga, origin);
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBe(origin);
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    }
  });

  it('with an allow-list answers the listed origins only: others (also "null") get no CORS headers', async () => {
    const yoga = server(['https://shop.example', 'https://www.shop.example']);
    for (const origin of ['https://shop.example', 'https://www.shop.example']) {
      const options = await preflight(yoga, origin);
      expect(options.status).toBe(204);
      expect(options.headers.get('access-control-allow-origin')).toBe(origin);
      expect(options.headers.get('access-control-allow-methods')).toMatch(/POST/);
      expect(options.headers.get('access-control-allow-headers')).toMatch(/authorization/i);
      expect(options.headers.get('access-control-allow-credentials')).toBeNull();
      expect((await query(yoga, origin)).headers.get('access-control-allow-origin')).toBe(origin);
    }
    for (const origin of ['https://evil.example', 'null', 'https://shop.example.evil.example']) {
      const options = await preflight(yoga, origin);
      expect(options.headers.get('access-control-allow-origin'), origin).toBeNull();
      expect(options.headers.get('access-control-allow-credentials')).toBeNull();
      expect((await query(yoga, origin)).headers.get('access-control-allow-origin'), origin).toBeNull();
    }
  });

  it('CORS_ORIGINS is a comma-separated list of origins; unset or empty means any', () => {
    expect(loadConfig({ CORS_ORIGINS: ' https://shop.example , http://localhost:3000 ' }).corsOrigins).toEqual(['https://shop.example', 'http://localhost:3000']);
    expect(loadConfig({}).corsOrigins).toBeNull();
    expect(loadConfig({ CORS_ORIGINS: '' }).corsOrigins).toBeNull();
    for (const bad of ['shop.example', 'https://shop.example/', 'https://shop.example/path', 'null', '*']) {
      expect(() => loadConfig({ CORS_ORIGINS: bad }), bad).toThrow(/CORS_ORIGINS/);
    }
  });
});

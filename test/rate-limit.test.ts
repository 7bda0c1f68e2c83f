import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from '../src/server.js';
import { startTestApp, type TestApp, type WorkspaceKeys } from './support/app.js';

let app: TestApp;
let ws: WorkspaceKeys;

beforeAll(async () => {
  app = await startTestApp();
  ws = await app.workspace();
});
afterAll(() => app.close());

function limited(perKey: number, perIp: number) {
  return createServer({ database: app.database, mode: 'production', rateLimits: { perKey, perIp, windowSeconds: 60, trustProxy: true } });
}

function post(yoga: ReturnType<typeof limited>, headers: Record<string, string> = {}) {
  return yoga.fetch('http://test/graphql', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query: '{ viewer { role } }' }) });
}

describe('rate limits', () => {
  it('answers 429 with Retry-After and RATE_LIMITED once a key has spent its budget, without touching the database', async () => {
    const yoga = limited(3, 100);
    try {
      for (let i = 0; i < 3; i++) expect((await post(yoga, { authorization: `Bearer ${ws.DELIVERY}` })).status).toBe(200);
      let response: Response | undefined;
      const statements = await app.countStatements(async () => {
        response = await post(yoga, { authorization: `Bearer ${ws.DELIVERY}` });
      });
      expect(response?.status).toBe(429);
      expect(Number(response?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(Number(response?.headers.get('retry-after'))).toBeLessThanOrEqual(60);
      const body = (await response?.json()) as { errors: { message: string; extensions: { code: string } }[] };
      expect(body.errors[0]?.extensions.code).toBe('RATE_LIMITED');
      expect(statements).toBe(0);
    } finally {
      await yoga.dispose();
    }
  });

  it('counts each key on its own: another key of the same workspace is still served', async () => {
    const yoga = limited(1, 100);
    try {
      expect((await post(yoga, { authorization: `Bearer ${ws.DELIVERY}` })).status).toBe(200);
      expect((await post(yoga, { authorization: `Bearer ${ws.DELIVERY}` })).status).toBe(429);
      expect((await post(yoga, { authorization: `Bearer ${ws.EDITOR}` })).status).toBe(200);
    } finally {
      await yoga.dispose();
    }
  });

  it('limits requests without a key per client address, separately from keys', async () => {
    const yoga = limited(100, 2);
    try {
      const from = (ip: string) => ({ 'x-forwarded-for': `10.0.0.9, ${ip}` });
      expect((await post(yoga, from('192.0.2.1'))).status).toBe(401);
      expect((await post(yoga, from('192.0.2.1'))).status).toBe(401);
      const third = await post(yoga, from('192.0.2.1'));
      expect(third.status).toBe(429);
      expect(third.headers.get('retry-after')).toMatch(/^\d+$/);
      expect((await post(yoga, from('192.0.2.2'))).status).toBe(401);
      expect((await post(yoga, { ...from('192.0.2.1'), authorization: `Bearer ${ws.DELIVERY}` })).status).toBe(200);
    } finally {
      await yoga.dispose();
    }
  });

  it('a limit of 0 turns it off', async () => {
    const yoga = limited(0, 0);
    try {
      for (let i = 0; i < 20; i++) expect((await post(yoga, { authorization: `Bearer ${ws.DELIVERY}` })).status).toBe(200);
    } finally {
      await yoga.dispose();
    }
  });
});

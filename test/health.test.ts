import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/client.js';
import { createServer } from '../src/server.js';
import { startTestApp, type TestApp } from './support/app.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

describe('health endpoints', () => {
  it('/healthz answers 200 while the process runs, without touching the database', async () => {
    const yoga = createServer({ database: app.database, mode: 'production' });
    let status = 0;
    const statements = await app.countStatements(async () => {
      status = (await yoga.fetch('http://test/healthz')).status;
    });
    await yoga.dispose();
    expect(status).toBe(200);
    expect(statements).toBe(0);
  });

  it('/readyz answers 200 when the database answers', async () => {
    const yoga = createServer({ database: app.database, mode: 'production' });
    const response = await yoga.fetch('http://test/readyz');
    await yoga.dispose();
    expect(response.status).toBe(200);
  });

  it('/readyz answers 503 while the server drains, so load balancers stop sending it requests', async () => {
    const readiness = { draining: false };
    const yoga = createServer({ database: app.database, mode: 'production', readiness });
    readiness.draining = true;
    const response = await yoga.fetch('http://test/readyz');
    await yoga.dispose();
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: 'unready', reason: 'draining' });
  });

  it('/readyz answers 503 when the database cannot be reached, naming no host or error', async () => {
    // Nothing listens on port 1; no folder holds the SQLite file.
    const url = app.database.provider === 'postgresql' ? 'postgresql://nobody@127.0.0.1:1/none' : '/nonexistent-dir/x/none.db';
    const gone = openDatabase({ provider: app.database.provider, url });
    const yoga = createServer({ database: gone, mode: 'production' });
    const response = await yoga.fetch('http://test/readyz');
    await yoga.dispose();
    await gone.disconnect().catch(() => {});
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: 'unready', reason: 'database unreachable' });
  });
});

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/client.js';
import { applyMigrations } from '../src/db/migrations.js';
import { loadDemoWorkspace } from '../src/demo/demo.js';
import { createServer } from '../src/server.js';
import { testProvider } from './support/databases.js';

/**
 * A PostgreSQL outage under load, on a cluster of this test's own (the
 * suite's shared one is never stopped): errors instead of hangs, /readyz
 * 503, recovery without a restart, and an import cut by the outage written
 * all or nothing.
 */
const postgres = (...args: string[]) => execFileSync('bash', ['test/support/postgres.sh', ...args], { encoding: 'utf8' }).trim().split('\n').pop() as string;

const IMPORT = 'mutation ($input: ImportContentInput!) { importContent(input: $input) { created userErrors { code } } }';
const row = (i: number) => ({
  externalId: `fault-${i}`,
  title: `Piece ${i}`,
  format: 'ARTICLE',
  status: 'PUBLISHED',
  locale: 'nl-NL',
  phases: [{ journey: 'consument', phase: 'always' }],
  channels: ['website'],
  segments: ['studenten'],
});

describe('a PostgreSQL outage', () => {
  it.runIf(testProvider() === 'postgresql')(
    'answers errors (not hangs) and turns unready while PostgreSQL is down, recovers when it is back, and leaves no partial import',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'faults-pg-'));
      // Below Linux's range for outgoing connections' ports (32768+): the restart below must find it free.
      const port = String(15000 + Math.floor(Math.random() * 5000));
      const url = postgres('start', dir, port);
      const database = openDatabase({ provider: 'postgresql', url });
      const yoga = createServer({ database, mode: 'production' });
      const gql = async (key: string, query: string, variables?: unknown) => {
        const response = await yoga.fetch('http://test/graphql', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ query, variables }) });
        return { status: response.status, ...((await response.json()) as { data?: any; errors?: { message: string }[] }) };
      };
      const ready = async () => (await yoga.fetch('http://test/readyz')).status;
      try {
        await applyMigrations({ provider: 'postgresql', url });
        const demo = await loadDemoWorkspace(database);
        const key = (role: string) => demo.keys.find((k) => k.role === role)?.secret as string;
        expect(await ready()).toBe(200);
        expect((await gql(key('DELIVERY'), '{ channels { totalCount } }')).errors).toBeUndefined();

        // Load, and a large import in flight, when PostgreSQL stops.
        let stop = false;
        const load = Array.from({ length: 8 }, async () => {
          while (!stop) {
            await gql(key('DELIVERY'), '{ channels { totalCount } }');
            // A kept answer comes back without I/O: without a turn of the event loop between
            // requests (which a client's socket always gives) this loop would starve every timer.
            await new Promise((resolve) => setImmediate(resolve));
          }
        });
        const importing = gql(key('EDITOR'), IMPORT, { input: { pieces: Array.from({ length: 1000 }, (_, i) => row(i)) } });
        await new Promise((resolve) => setTimeout(resolve, 150));
        postgres('stop', dir);

        const started = Date.now();
        // An EDITOR read: DELIVERY answers kept from before the outage may still be served (nothing can have changed them).
        const during = await gql(key('EDITOR'), '{ channels { totalCount } }');
        expect(Date.now() - started).toBeLessThan(10_000);
        expect(during.errors?.[0]?.message).toBe('Unexpected error.');
        expect(await ready()).toBe(503);
        await importing;
        stop = true;
        await Promise.all(load);

        postgres('start', dir, port);
        const deadline = Date.now() + 20_000;
        while ((await ready()) !== 200 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
        expect(await ready()).toBe(200);
        const after = await gql(key('DELIVERY'), '{ channels { totalCount } }');
        expect(after.errors).toBeUndefined();
        const imported = await database.prisma.contentPiece.count({ where: { externalId: { startsWith: 'fault-' } } });
        expect([0, 1000]).toContain(imported);
      } finally {
        await yoga.dispose();
        await database.disconnect().catch(() => {});
        postgres('stop', dir);
        rmSync(dir, { recursive: true, force: true });
      }
    },
    120_000,
  );
});

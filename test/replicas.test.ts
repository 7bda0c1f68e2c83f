import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReplicaSet } from '../src/db/replicas.js';
import { testProvider } from './support/databases.js';
import { startServerProcess, type ServerProcess } from './support/process.js';

/**
 * Three real server processes behind an imagined load balancer, on a real
 * PostgreSQL primary and a streaming replica of it (test/support/replica.sh:
 * its own pair, so the rest of the suite is unchanged): reads on the
 * replica, and still coherent: isolation, revocation, one rate limit,
 * writes seen at once by the key that made them, a replica paused or
 * stopped without a failed request.
 */
const run = promisify(execFile);
const METRICS_TOKEN = 'replicas-metrics-token-0123456789';
const RECOMMEND = '{ recommendedContent(segment: "e-bike-forenzen", phase: "attention", channel: "social", first: 20) { edges { node { title } } } }';
const PIECES = '{ contentPieces(first: 50) { edges { node { id title } } } }';

/** Two free loopback ports, or TEST_REPLICA_PORT and the next one. */
async function ports(): Promise<[number, number]> {
  const fixed = Number(process.env.TEST_REPLICA_PORT);
  if (fixed) return [fixed, fixed + 1];
  const free = () =>
    new Promise<number>((resolve, reject) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
      server.on('error', reject);
    });
  return [await free(), await free()];
}

describe.skipIf(testProvider() !== 'postgresql')('three server processes on a PostgreSQL primary and a streaming replica (PostgreSQL only: a SQLite file has no replicas)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'content-planning-replica-'));
  let primaryUrl: string;
  let replicaUrl: string;
  let replicaPort: number;
  let servers: ServerProcess[] = [];

  beforeAll(async () => {
    const [primaryPort, secondPort] = await ports();
    replicaPort = secondPort;
    const { stdout } = await run('test/support/replica.sh', ['start', dir, String(primaryPort), String(replicaPort)], { timeout: 90_000 });
    [primaryUrl = '', replicaUrl = ''] = stdout.trim().split('\n').slice(-2);
    const env = {
      NODE_ENV: 'production',
      DEMO_DATA: 'true',
      DATABASE_REPLICA_URLS: replicaUrl,
      // Long enough that a paused replica stays in use for the read-your-writes test; a stopped one is skipped at once anyway.
      REPLICA_MAX_LAG_MS: '60000',
      REPLICA_READ_YOUR_WRITES_MS: '30000',
      REPLICA_CHECK_INTERVAL_MS: '200',
      RATE_LIMIT_STORE: 'postgres',
      RATE_LIMIT_PER_KEY: '300',
      RATE_LIMIT_WINDOW_SECONDS: '60',
      METRICS_TOKEN,
    };
    // The first migrates and loads the demo; the other two find both.
    servers = [await startServerProcess(primaryUrl, env)];
    servers.push(...(await Promise.all([startServerProcess(primaryUrl, env), startServerProcess(primaryUrl, env)])));
  }, 120_000);

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await run('test/support/replica.sh', ['stop', dir]).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  /**
   * The command line, run without blocking: a synchronous run that outlasts the servers' keep-alive
   * (5 s, on a loaded machine) left fetch reusing a socket the server had closed meanwhile.
   */
  function command(args: string[]) {
    return run(process.execPath, ['bin/content-planning.js', ...args], { env: { ...process.env, DATABASE_URL: primaryUrl }, encoding: 'utf8', timeout: 60_000 });
  }

  async function gql(server: ServerProcess, key: string, query: string) {
    const response = await fetch(`${server.base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ query }) });
    return { status: response.status, body: (await response.json()) as { data?: Record<string, any>; errors?: unknown[] } };
  }
  const text = (answer: { body: unknown }) => JSON.stringify(answer.body);

  /** Asks until `done` holds or a second passed: a notification takes a moment to cross. */
  async function within<T>(ms: number, ask: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
    const deadline = Date.now() + ms;
    let value = await ask();
    while (!done(value) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      value = await ask();
    }
    return value;
  }

  async function onReplica(sql: string): Promise<void> {
    const client = new pg.Client({ connectionString: replicaUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  }

  async function newKey(role: 'DELIVERY' | 'EDITOR', name: string): Promise<{ secret: string; id: string }> {
    const made = await gql(servers[0] as ServerProcess, 'cpk_demo_admin', `mutation { createApiKey(input: { name: "${name}", role: ${role} }) { secret apiKey { id } } }`);
    const { secret, apiKey } = made.body.data?.createApiKey as { secret: string; apiKey: { id: string } };
    return { secret, id: apiKey.id };
  }

  function createPiece(title: string): string {
    return `mutation { createContentPiece(input: { title: "${title}", format: SOCIAL_POST, status: PUBLISHED, locale: "nl-NL", priority: 100, phases: [{ journey: "consument", phase: "attention" }], channels: ["social"], segments: ["e-bike-forenzen"] }) { userErrors { code message } } }`;
  }

  it('answers from the replica: every instance\'s /readyz names it usable', async () => {
    for (const server of servers) {
      const ready = await fetch(`${server.base}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: 'ready', replicas: [{ replica: 1, state: 'ok', lagMs: expect.any(Number) }] });
    }
  });

  it('keeps workspaces apart on every instance', async () => {
    const cli = await command(['workspace', 'create', '--name', 'Other brand', '--json']);
    const other = JSON.parse(cli.stdout) as { secret: string };
    const demo = await gql(servers[0] as ServerProcess, 'cpk_demo_editor', PIECES);
    const demoIds = (demo.body.data?.contentPieces.edges as { node: { id: string } }[]).map((edge) => edge.node.id);
    expect(demoIds.length).toBeGreaterThan(0);
    for (const server of servers) {
      const seen = await gql(server, other.secret, PIECES);
      expect(seen.body.data?.contentPieces.edges).toEqual([]);
      const lookup = await gql(server, other.secret, `{ nodes(ids: ${JSON.stringify(demoIds.slice(0, 3))}) { id } }`);
      expect(lookup.body.data?.nodes).toEqual([null, null, null]);
    }
  });

  it('refuses a key revoked through one instance on all three at once, and one revoked on the command line too', async () => {
    for (const through of ['api', 'cli'] as const) {
      const key = await newKey('DELIVERY', `Kiosk ${through}`);
      // Every instance knows (and keeps) the key first.
      for (const server of servers) expect((await gql(server, key.secret, '{ viewer { role } }')).status).toBe(200);
      if (through === 'api') {
        const revoked = await gql(servers[1] as ServerProcess, 'cpk_demo_admin', `mutation { revokeApiKey(input: { id: "${key.id}" }) { userErrors { code } } }`);
        expect(revoked.body.data?.revokeApiKey.userErrors).toEqual([]);
      } else {
        await command(['key', 'revoke', '--id', key.id]); // rejects unless it exits 0
      }
      for (const server of servers) {
        const status = await within(1000, async () => (await gql(server, key.secret, '{ viewer { role } }')).status, (s) => s === 401);
        expect(status, `${through}, ${server.base}`).toBe(401);
      }
    }
  });

  it('counts one rate limit for a key, whichever instance its requests reach', async () => {
    const key = await newKey('DELIVERY', 'Counted');
    const statuses: number[] = [];
    for (let i = 0; i < 330; i++) {
      const response = await fetch(`${(servers[i % 3] as ServerProcess).base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key.secret}` }, body: JSON.stringify({ query: '{ __typename }' }) });
      statuses.push(response.status);
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(300);
    expect(statuses.slice(300).every((s) => s === 429)).toBe(true);
  });

  it('shows a write through one instance on the others\' next read: the writer at once, every key within a second', async () => {
    const reader = await newKey('DELIVERY', 'Coherent reader');
    for (const server of servers) expect(text(await gql(server, reader.secret, RECOMMEND))).not.toContain('Fietsenstalling Centraal');
    const created = await gql(servers[0] as ServerProcess, 'cpk_demo_editor', createPiece('Fietsenstalling Centraal'));
    expect(created.body.data?.createContentPiece.userErrors).toEqual([]);
    for (const server of servers) {
      expect(text(await within(1000, () => gql(server, 'cpk_demo_editor', RECOMMEND), (a) => text(a).includes('Fietsenstalling Centraal')))).toContain('Fietsenstalling Centraal');
      // The DELIVERY key's answer was kept; the write's notification drops it.
      expect(text(await within(1000, () => gql(server, reader.secret, RECOMMEND), (a) => text(a).includes('Fietsenstalling Centraal')))).toContain('Fietsenstalling Centraal');
    }
  });

  it('lets the writing key see its write on every instance while the replica\'s replay is paused; other keys see it once replay resumes', async () => {
    const other = await newKey('DELIVERY', 'Replica reader');
    // The key read once on every instance: kept answers must not hide what comes next.
    for (const server of servers) expect((await gql(server, other.secret, RECOMMEND)).status).toBe(200);
    await onReplica('SELECT pg_wal_replay_pause()');
    try {
      const created = await gql(servers[0] as ServerProcess, 'cpk_demo_editor', createPiece('Gepauzeerd op de replica'));
      expect(created.body.data?.createContentPiece.userErrors).toEqual([]);
      for (const server of servers) {
        // Its own write: read from the primary on every instance, told by the write's notification.
        expect(text(await within(1000, () => gql(server, 'cpk_demo_editor', RECOMMEND), (a) => text(a).includes('Gepauzeerd')))).toContain('Gepauzeerd');
        // Another key reads from the replica, which has not replayed the write.
        expect(text(await gql(server, other.secret, RECOMMEND))).not.toContain('Gepauzeerd');
      }
    } finally {
      await onReplica('SELECT pg_wal_replay_resume()');
    }
    for (const server of servers) {
      expect(text(await within(5000, () => gql(server, other.secret, RECOMMEND), (a) => text(a).includes('Gepauzeerd')))).toContain('Gepauzeerd');
    }
  });

  it('skips a replica lagging beyond REPLICA_MAX_LAG_MS, measured by WAL replayed, and uses it again once it caught up', async () => {
    const primary = new pg.Pool({ connectionString: primaryUrl, max: 1 });
    const check = new pg.Pool({ connectionString: replicaUrl, max: 1 });
    const replicas = new ReplicaSet({ urls: [replicaUrl], maxLagMs: 300, readYourWritesMs: 0, checkIntervalMs: 100 }, primary, [check]);
    try {
      await replicas.check();
      expect(replicas.status()).toEqual([{ replica: 1, state: 'ok', lagMs: 0 }]);
      expect(replicas.pick()).toBe(0);
      await onReplica('SELECT pg_wal_replay_pause()');
      try {
        await primary.query('CREATE TABLE IF NOT EXISTS lag_probe (at timestamptz); INSERT INTO lag_probe VALUES (now())');
        const lagging = await within(5000, async () => (await replicas.check(), replicas.status()[0]), (status) => status?.state === 'lagging');
        expect(lagging).toMatchObject({ state: 'lagging', lagMs: expect.any(Number) });
        expect(lagging?.lagMs).toBeGreaterThan(300);
        expect(replicas.pick()).toBeNull();
      } finally {
        await onReplica('SELECT pg_wal_replay_resume()');
      }
      const back = await within(5000, async () => (await replicas.check(), replicas.status()[0]), (status) => status?.state === 'ok');
      expect(back).toEqual({ replica: 1, state: 'ok', lagMs: 0 });
      expect(replicas.pick()).toBe(0);
    } finally {
      await Promise.all([primary.end(), check.end()]);
    }
  });

  it('fails no request when the replica stops mid-load, says so in /readyz and /metrics while staying ready, and uses it again once it is back', async () => {
    // Keys that never wrote: their reads go to the replica. Enough of them that no rate limit is reached.
    const readers = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map((i) => newKey('EDITOR', `Load ${i}`)));
    const failures: string[] = [];
    let sent = 0;
    let stopping = true;
    const load = async () => {
      while (stopping) {
        const server = servers[sent % 3] as ServerProcess;
        const key = (readers[sent % readers.length] as { secret: string }).secret;
        const query = sent % 2 === 0 ? RECOMMEND : PIECES;
        sent += 1;
        const answer = await gql(server, key, query).catch((error: unknown) => ({ status: 0, body: { errors: [String(error)] } }));
        if (answer.status !== 200 || answer.body.errors) failures.push(`${answer.status} ${text(answer)}`);
      }
    };
    const workers = [0, 1, 2, 3].map(() => load());
    await new Promise((resolve) => setTimeout(resolve, 800));
    const before = sent;
    await run('test/support/replica.sh', ['stop-replica', dir], { timeout: 60_000 });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    stopping = false;
    await Promise.all(workers);
    expect(before).toBeGreaterThan(10);
    expect(sent - before).toBeGreaterThan(10);
    expect(failures.slice(0, 3)).toEqual([]);

    for (const server of servers) {
      const ready = await fetch(`${server.base}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: 'ready', replicas: [{ replica: 1, state: 'down', lagMs: null }], warnings: ['replica 1 is unreachable: its reads go to the primary'] });
      const metrics = await (await fetch(`${server.base}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
      expect(metrics).toContain('content_planning_replica_usable{replica="1"} 0');
    }

    await run('test/support/replica.sh', ['start-replica', dir, String(replicaPort)], { timeout: 60_000 });
    for (const server of servers) {
      const back = await within(5000, async () => (await (await fetch(`${server.base}/readyz`)).json()) as { warnings?: string[] }, (body) => !body.warnings);
      expect(back).toEqual({ status: 'ready', replicas: [{ replica: 1, state: 'ok', lagMs: expect.any(Number) }] });
    }
  });
});

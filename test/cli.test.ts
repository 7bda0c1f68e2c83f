import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../src/db/client.js';
import { createServer } from '../src/server.js';
import { emptyDatabase, testProvider } from './support/databases.js';

/**
 * The command line as people run it: `node bin/content-planning.js ...`
 * against an empty database (it migrates it first), and the keys it prints
 * used against the GraphQL server on the same database.
 */
let databaseUrl: string;
let database: Database;
let yoga: ReturnType<typeof createServer>;
let first: { workspaceId: string; name: string; keyId: string; role: string; secret: string };

function cli(...args: string[]) {
  const result = spawnSync(process.execPath, ['bin/content-planning.js', ...args], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function cliJson(...args: string[]) {
  const result = cli(...args, '--json');
  expect(result.stderr.replace(/^Applied migrations:.*\n/, '')).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout);
}

async function gql(key: string, query: string) {
  const response = await yoga.fetch('http://test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, ...((await response.json()) as { data?: Record<string, any>; errors?: { extensions?: Record<string, unknown> }[] }) };
}

/** An empty database, not migrated: the command line must migrate it itself. */
async function emptyDatabaseUrl(): Promise<string> {
  const config = await emptyDatabase();
  return config.provider === 'postgresql' ? config.url : `file:${config.url}`;
}

beforeAll(async () => {
  databaseUrl = await emptyDatabaseUrl();
  first = cliJson('workspace', 'create', '--name', 'Fietsenmaker Van Dijk');
  database = openDatabase(databaseUrl.startsWith('file:') ? { provider: 'sqlite', url: databaseUrl.slice(5) } : { provider: 'postgresql', url: databaseUrl });
  await database.ready;
  // The default key cache: the command line's revocation must reach it from another process.
  yoga = createServer({ database, mode: 'production' });
});
afterAll(async () => {
  await yoga?.dispose();
  await database?.disconnect();
});

describe('command line', () => {
  it('--help prints the commands and touches no database', () => {
    const result = cli('--help');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('workspace create --name <name>');
    expect(result.stdout).toContain('key revoke --id <keyId>');
  });

  it('workspace create makes a workspace on an empty database with a first ADMIN key that works', async () => {
    expect(first).toEqual({ workspaceId: expect.any(String), name: 'Fietsenmaker Van Dijk', keyId: expect.any(String), role: 'ADMIN', secret: expect.stringMatching(/^cpk_/) });
    const res = await gql(first.secret, '{ viewer { role workspace { id name } apiKey { id } } }');
    expect(res.data?.viewer).toEqual({ role: 'ADMIN', workspace: { id: first.workspaceId, name: 'Fietsenmaker Van Dijk' }, apiKey: { id: first.keyId } });
  });

  it('workspace create without --json prints the secret and says it is shown once', () => {
    const result = cli('workspace', 'create', '--name', 'Tweede merk');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/cpk_\S+/);
    expect(result.stdout).toContain('shown only this once');
  });

  it('workspace list shows the workspaces', () => {
    const list = cliJson('workspace', 'list');
    expect(list.map((w: { name: string }) => w.name)).toEqual(['Fietsenmaker Van Dijk', 'Tweede merk']);
    expect(list[0]).toMatchObject({ workspaceId: first.workspaceId, activeKeys: 1 });
  });

  let delivery: { keyId: string; workspaceId: string; role: string; name: string; prefix: string; secret: string };

  it('key create makes a key with the role asked for, usable at once', async () => {
    delivery = cliJson('key', 'create', '--workspace', first.workspaceId, '--role', 'DELIVERY', '--name', 'Website');
    expect(delivery).toMatchObject({ workspaceId: first.workspaceId, role: 'DELIVERY', name: 'Website' });
    expect(delivery.secret.startsWith(delivery.prefix)).toBe(true);
    const res = await gql(delivery.secret, '{ viewer { role workspace { id } } }');
    expect(res.data?.viewer).toEqual({ role: 'DELIVERY', workspace: { id: first.workspaceId } });
  });

  it('key list shows the workspace\'s keys without secrets', () => {
    const result = cli('key', 'list', '--workspace', first.workspaceId, '--json');
    const keys = JSON.parse(result.stdout);
    expect(keys.map((k: { name: string; role: string }) => `${k.name}:${k.role}`)).toEqual(['Admin:ADMIN', 'Website:DELIVERY']);
    expect(result.stdout).not.toContain(delivery.secret);
    expect(result.stdout).not.toContain(first.secret);
  });

  it('key revoke revokes a key: a running server that knew it refuses its next request (PostgreSQL: within a second) with 401 UNAUTHENTICATED', async () => {
    expect((await gql(delivery.secret, '{ viewer { role } }')).status).toBe(200); // the server now knows the key
    const revoked = cliJson('key', 'revoke', '--id', delivery.keyId);
    expect(revoked).toMatchObject({ keyId: delivery.keyId, revokedAt: expect.any(String) });
    // SQLite notices another process's commit on the next request; PostgreSQL's notification takes a moment to arrive.
    const deadline = Date.now() + (testProvider() === 'postgresql' ? 1000 : 0);
    let res = await gql(delivery.secret, '{ viewer { role } }');
    while (res.status === 200 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      res = await gql(delivery.secret, '{ viewer { role } }');
    }
    expect(res.status).toBe(401);
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await gql(first.secret, '{ viewer { role } }')).status).toBe(200);
  });

  it('revoking a key twice fails with exit code 1 and a message, not a stack trace', () => {
    const result = cli('key', 'revoke', '--id', delivery.keyId);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('already revoked');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stdout).toBe('');
  });

  it('key revoke without --json says when running servers stop accepting the key: their next request on SQLite, within a second on PostgreSQL', () => {
    const key = cliJson('key', 'create', '--workspace', first.workspaceId, '--role', 'EDITOR', '--name', 'Kortstondig');
    const result = cli('key', 'revoke', '--id', key.keyId);
    expect(result.code).toBe(0);
    const when = testProvider() === 'postgresql' ? 'within a second' : 'from their next request';
    expect(result.stdout.trim()).toBe(`Revoked EDITOR key "Kortstondig" (id ${key.keyId}); servers on this database refuse it ${when}.`);
  });

  it('an unknown workspace or key fails with exit code 1', () => {
    expect(cli('key', 'create', '--workspace', 'nope', '--role', 'ADMIN', '--name', 'x')).toMatchObject({ code: 1, stderr: expect.stringContaining('No workspace with id "nope"') });
    expect(cli('key', 'revoke', '--id', 'nope')).toMatchObject({ code: 1, stderr: expect.stringContaining('No API key') });
  });

  it('a --name against the rules for names exits with code 2, says why and writes nothing', async () => {
    const workspaces = await database.prisma.workspace.count();
    const keys = await database.prisma.apiKey.count();
    for (const [args, message] of [
      [['workspace', 'create', '--name', 'WS\r\nBEGIN:VEVENT\r\nSUMMARY:Forged\r\nEND:VEVENT'], '--name must not contain control characters'],
      [['workspace', 'create', '--name', 'x'.repeat(201)], '--name must be at most 200 characters'],
      [['key', 'create', '--workspace', first.workspaceId, '--role', 'EDITOR', '--name', 'Tab\there'], '--name must not contain control characters'],
    ] as const) {
      const result = cli(...args);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toContain(message);
      expect(result.stdout).toBe('');
    }
    expect(await database.prisma.workspace.count()).toBe(workspaces);
    expect(await database.prisma.apiKey.count()).toBe(keys);
  });

  it.each([
    [['frobnicate'], 'Unknown command'],
    [['workspace', 'create'], 'needs --name'],
    [['key', 'create', '--workspace', 'w', '--role', 'OWNER', '--name', 'x'], '--role must be one of'],
    [['key', 'list', '--workspace', 'w', '--role', 'ADMIN'], 'does not take --role'],
    [['workspace', 'list', '--colour'], "Unknown option '--colour'"],
  ])('usage error %j exits with code 2 and says why', (args, message) => {
    const result = cli(...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stdout).toBe('');
  });
});

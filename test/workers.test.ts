import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { emptyDatabase } from './support/databases.js';
import { sigtermWithRequestInFlight, startServerProcess, type ServerProcess } from './support/process.js';

/**
 * WORKERS=2: one port, two server processes under a primary that replaces a
 * worker that dies and, on SIGTERM, lets every worker drain before it exits.
 */
let server: ServerProcess;

beforeAll(async () => {
  const config = await emptyDatabase();
  server = await startServerProcess(config.provider === 'sqlite' ? `file:${config.url}` : config.url, { WORKERS: '2', DEMO_DATA: 'true' });
}, 120_000);
afterAll(() => server?.stop());

/** The primary's child processes: its workers. */
function workerPids(): number[] {
  const pid = server.child.pid!;
  return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
}

async function viewer(): Promise<number> {
  const response = await fetch(`${server.base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer cpk_demo_delivery', connection: 'close' }, body: JSON.stringify({ query: '{ viewer { role } }' }) });
  expect(await response.json()).toEqual({ data: { viewer: { role: 'DELIVERY' } } });
  return response.status;
}

/** How many times a worker has said it listens (the primary forks them; each logs when it is up). */
function listening(): number {
  return (server.output().match(/\/graphql \(/g) ?? []).length;
}

async function until(check: () => boolean, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  return check();
}

it('serves one port from two workers, and replaces a worker that dies', async () => {
  expect(server.output()).toContain('Started 2 workers');
  // The demo is loaded once, by the primary, before the workers start.
  expect(server.output().match(/Loaded the demo workspace/g)).toHaveLength(1);
  expect(await until(() => workerPids().length === 2)).toBe(true);
  // Both must listen before one is killed: with only the dying one listening, the port would close
  // (the primary hands connections only to workers that listen) until the other is up.
  expect(await until(() => listening() >= 2)).toBe(true);
  for (let i = 0; i < 10; i++) expect(await viewer()).toBe(200);

  const [dying, living] = workerPids() as [number, number];
  process.kill(dying, 'SIGKILL');
  // Once the primary knows (a connection handed to the dying worker in that instant is lost, as with
  // any process that dies), the other worker answers; then a new one takes the dead one's place.
  expect(await until(() => server.output().includes('A worker stopped unexpectedly; starting another'))).toBe(true);
  for (let i = 0; i < 5; i++) expect(await viewer()).toBe(200);
  expect(await until(() => workerPids().length === 2 && !workerPids().includes(dying))).toBe(true);
  expect(workerPids()).toContain(living);
  expect(await until(() => listening() >= 3)).toBe(true);
  for (let i = 0; i < 5; i++) expect(await viewer()).toBe(200);
}, 60_000);

it('on SIGTERM every worker finishes its requests, and the primary exits 0 after them', async () => {
  const workers = workerPids();
  const drained = await sigtermWithRequestInFlight(server, 'cpk_demo_delivery');
  expect(drained.status).toBe(200);
  expect(drained.body).toEqual({ data: { viewer: { role: 'DELIVERY' } } });
  expect(drained.exitCode).toBe(0);
  for (const pid of workers) expect(() => process.kill(pid, 0)).toThrow();
}, 60_000);

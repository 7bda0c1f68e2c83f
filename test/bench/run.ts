// npm run bench [-- --pieces 100000 --duration 10 --connections 8 --scenarios recommend-uncached,recommend-cached]
// Generates (or reuses) a synthetic workspace, starts the real server on it
// and drives HTTP load on loopback with autocannon. Prints one JSON object per
// scenario on stdout; progress goes to stderr. DATABASE_URL picks the
// database as for the server (default: a SQLite file per size under .tmp/bench);
// BENCH_REPLICA_URLS adds scenarios reading from PostgreSQL replicas of it.
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createApiKey } from '../../src/auth/keys.js';
import { openDatabase } from '../../src/db/client.js';
import { databaseConfig, redact } from '../../src/db/config.js';
import { applyMigrations } from '../../src/db/migrations.js';
import type { Role } from '../../src/generated/sqlite/enums.js';
import { createServer } from '../../src/server.js';
import { load, round, startServer } from './http.js';
import { scenarios, type Figures, type LoadRequest, type Scenario } from './scenarios.js';
import { BENCH_WORKSPACE_ID, ensureBenchWorkspace } from './synthetic.js';
import { replicasCaughtUp } from './replica-scenarios.js';

const { values } = parseArgs({
  options: {
    pieces: { type: 'string', default: '100000' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '8' },
    scenarios: { type: 'string', default: scenarios.map((s) => s.name).join(',') },
  },
});
const pieces = Number(values.pieces);
const duration = Number(values.duration);
const connections = Number(values.connections);
const log = (line: string) => process.stderr.write(`${line}\n`);

const config = databaseConfig(process.env.DATABASE_URL ?? `file:.tmp/bench/sqlite-${pieces}.db`);
log(`database: ${config.provider} ${redact(config.url)}`);
await applyMigrations(config);
const database = openDatabase(config);
await database.ready;
const shape = await ensureBenchWorkspace(database.prisma, database.provider, pieces, log);
const keys = {} as Record<Role, string>;
for (const role of ['ADMIN', 'EDITOR', 'DELIVERY'] as Role[]) keys[role] = (await createApiKey(database.prisma, BENCH_WORKSPACE_ID, `bench ${role} ${new Date().toISOString()}`, role)).secret;
const chosen = scenarios.filter((s) => values.scenarios.split(',').includes(s.name));
const statements = await statementsPerRequest(chosen);
const bare = await bareSqlTimes(chosen);
await database.disconnect();
if (config.provider === 'postgresql') await replicasCaughtUp(config.url, log);

// Scenarios that need the same server settings share a server; each server measures its own { __typename } baseline first.
const groups = new Map<string, Scenario[]>();
for (const scenario of chosen) {
  const env = JSON.stringify(scenario.env ?? {});
  groups.set(env, [...(groups.get(env) ?? []), scenario]);
}
for (const [env, group] of groups) {
  const instances = Math.max(1, ...group.map((s) => s.instances ?? 1));
  const servers: ChildProcess[] = [];
  try {
    const bases: string[] = [];
    for (let i = 0; i < instances; i++) {
      const started = await startServer(config, JSON.parse(env) as Record<string, string>);
      servers.push(started.child);
      bases.push(started.base);
    }
    const typename: Scenario = { name: 'typename', bodies: () => [JSON.stringify({ query: '{ __typename }' })] };
    let baseline: Figures | null = null;
    for (const scenario of [typename, ...group]) {
      const figures = await measure(scenario, bases);
      baseline ??= figures;
      const report = {
        scenario: scenario.name,
        provider: config.provider,
        pieces,
        settings: JSON.parse(env),
        connections: scenario.connections ?? connections,
        durationSeconds: duration,
        ...figures,
        sqlStatementsPerRequest: statements.get(scenario.name),
        ...(scenario.background
          ? { background: (figures.background as Record<string, unknown>[]).map((group) => ({ ...group, sqlStatementsPerRequest: statements.get(`${scenario.name} ${String(group.name)}`) })) }
          : {}),
        ...(bare.has(scenario.name) ? { bareSqlMs: bare.get(scenario.name), p50VsBareSql: round(figures.latencyMs.p50 / (bare.get(scenario.name)?.p50 ?? 1)) } : {}),
        peakRssMb: peakRssMb(servers[0]?.pid),
        ...(scenario === typename ? {} : { vsTypename: { requestsPerSecondRatio: round(figures.requestsPerSecond / baseline.requestsPerSecond), p50Ratio: round(figures.latencyMs.p50 / baseline.latencyMs.p50) } }),
      };
      process.stdout.write(`${JSON.stringify(report)}\n`);
    }
  } finally {
    for (const server of servers) server.kill('SIGTERM');
  }
}

/** One scenario: its own measurement, or its requests (and background load) for `duration` after a warm-up. */
async function measure(scenario: Scenario, bases: string[]): Promise<Figures & Record<string, unknown>> {
  const base = bases[0] as string;
  const key = keys[scenario.role ?? 'ADMIN'];
  const concurrency = scenario.connections ?? connections;
  if (scenario.measure) {
    return scenario.measure({ bases, keys, shape, config, duration, connections: concurrency, load: (requests, seconds, clients) => load(base, requests, seconds, clients) });
  }
  const requests = scenario.requests ? await scenario.requests({ base, key, shape }) : posts(scenario.bodies(shape), key);
  const background = scenario.background ?? [];
  const run = (seconds: number) =>
    Promise.all([load(base, requests, seconds, concurrency), ...background.map((group) => load(base, posts(group.bodies(shape), keys.ADMIN), seconds, group.connections))]);
  await run(Math.min(2, duration)); // warm-up
  const [figures, ...behind] = (await run(duration)) as [Figures, ...Figures[]];
  return { ...figures, ...(background.length ? { background: background.map((group, i) => ({ name: group.name, connections: group.connections, ...behind[i] })) } : {}) };
}

function posts(bodies: string[], key: string): LoadRequest[] {
  return bodies.map((body) => ({ method: 'POST', path: '/graphql', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body }));
}

/**
 * Counted in process on the same database: the server's own statement counter
 * is not reachable over HTTP. Every body must answer without errors, so a
 * scenario never measures refusals. Each body is sent twice and counted the
 * second time, when whatever the server keeps (keys, catalogs, answers) is warm.
 */
async function statementsPerRequest(list: Scenario[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const sets = list.flatMap((s) => [
    { name: s.name, bodies: s.bodies(shape), key: keys[s.role ?? 'ADMIN'], env: s.env ?? {} },
    ...(s.background ?? []).map((group) => ({ name: `${s.name} ${group.name}`, bodies: group.bodies(shape), key: keys.ADMIN, env: {} as Record<string, string> })),
  ]);
  for (const set of sets) {
    const cacheOff = set.env.RESPONSE_CACHE_SIZE === '0';
    const yoga = createServer({ database, mode: 'production', ...(cacheOff ? { deliveryCache: { size: 0, maxAgeSeconds: 0, httpMaxAgeSeconds: 0 } } : {}) });
    const bodies = set.bodies.slice(0, 20);
    const send = async (body: string) => {
      const response = await yoga.fetch('http://bench/graphql', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${set.key}` }, body });
      const json = (await response.json()) as { errors?: unknown[] };
      if (json.errors) throw new Error(`${set.name} failed: ${JSON.stringify(json.errors)}`);
    };
    for (const body of bodies) await send(body);
    const before = database.statements.count;
    for (const body of bodies) await send(body);
    counts.set(set.name, round((database.statements.count - before) / bodies.length));
    await yoga.dispose();
  }
  return counts;
}

/**
 * Each scenario's core SQL run directly after a warm-up, 30 times or for the
 * scenario's duration (at least 5 times), whichever ends first: at a million
 * pieces the old calendar's takes seconds. Its p50 and p95 in ms.
 */
async function bareSqlTimes(list: Scenario[]): Promise<Map<string, { p50: number; p95: number; samples: number }>> {
  const times = new Map<string, { p50: number; p95: number; samples: number }>();
  for (const scenario of list) {
    if (!scenario.bareSql) continue;
    await scenario.bareSql(database, shape);
    const samples: number[] = [];
    const until = performance.now() + duration * 1000;
    while (samples.length < 30 && (samples.length < 5 || performance.now() < until)) {
      const start = performance.now();
      await scenario.bareSql(database, shape);
      samples.push(performance.now() - start);
    }
    samples.sort((a, b) => a - b);
    const at = (q: number) => round(samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? 0);
    times.set(scenario.name, { p50: at(0.5), p95: at(0.95), samples: samples.length });
  }
  return times;
}

function peakRssMb(pid: number | undefined): number | null {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? round(Number(kb) / 1024) : null;
  } catch {
    return null;
  }
}

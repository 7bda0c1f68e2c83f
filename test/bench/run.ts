// npm run bench [-- --pieces 100000 --duration 10 --connections 8 --scenarios recommend]
// Generates (or reuses) a synthetic workspace, starts the real server on it
// and drives HTTP load on loopback with autocannon. Prints one JSON object per
// scenario on stdout; progress goes to stderr. DATABASE_URL picks the
// database as for the server (default: a SQLite file per size under .tmp/bench).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { createApiKey } from '../../src/auth/keys.js';
import { openDatabase } from '../../src/db/client.js';
import { databaseConfig, redact } from '../../src/db/config.js';
import { applyMigrations } from '../../src/db/migrations.js';
import { createServer } from '../../src/server.js';
import { scenarios, type Scenario } from './scenarios.js';
import { BENCH_WORKSPACE_ID, ensureBenchWorkspace } from './synthetic.js';

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
const shape = await ensureBenchWorkspace(database.prisma, pieces, log);
const { secret } = await createApiKey(database.prisma, BENCH_WORKSPACE_ID, `bench ${new Date().toISOString()}`, 'ADMIN');
const chosen = [scenarios.find((s) => s.name === 'typename') as Scenario, ...scenarios.filter((s) => s.name !== 'typename' && values.scenarios.split(',').includes(s.name))];
const statements = await statementsPerRequest(chosen);
const bare = await bareSqlTimes(chosen);
await database.disconnect();

const port = 40000 + Math.floor(Math.random() * 10000);
const server = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
  env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: config.provider === 'sqlite' ? `file:${config.url}` : config.url, DEMO_DATA: 'false', NODE_ENV: 'production' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
await new Promise<void>((resolve, reject) => {
  server.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('/graphql') && resolve());
  server.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
});

try {
  let baseline: Figures | null = null;
  for (const scenario of chosen) {
    const bodies = scenario.bodies(shape);
    const concurrency = scenario.connections ?? connections;
    const { background } = scenario;
    // The scenario's own clients and, at the same time, its background load, if any.
    const run = (seconds: number) =>
      Promise.all([load(port, bodies, seconds, concurrency), background ? load(port, background.bodies(shape), seconds, background.connections) : null]);
    await run(Math.min(2, duration)); // warm-up
    const [figures, behind] = await run(duration);
    // The { __typename } baseline runs first, at the run's concurrency.
    baseline ??= figures;
    const report = {
      scenario: scenario.name,
      provider: config.provider,
      pieces,
      connections: concurrency,
      durationSeconds: duration,
      ...figures,
      sqlStatementsPerRequest: statements.get(scenario.name),
      ...(background && behind ? { background: { connections: background.connections, ...behind, sqlStatementsPerRequest: statements.get(`${scenario.name} background`) } } : {}),
      ...(bare.has(scenario.name) ? { bareSqlMs: bare.get(scenario.name), p50VsBareSql: round(figures.latencyMs.p50 / (bare.get(scenario.name)?.p50 ?? 1)) } : {}),
      peakRssMb: peakRssMb(server.pid),
      ...(scenario.name === 'typename' ? {} : { vsTypename: { requestsPerSecondRatio: round(figures.requestsPerSecond / baseline.requestsPerSecond), p50Ratio: round(figures.latencyMs.p50 / baseline.latencyMs.p50) } }),
    };
    process.stdout.write(`${JSON.stringify(report)}\n`);
  }
} finally {
  server.kill('SIGTERM');
}

interface Figures {
  requestsPerSecond: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  requests: number;
  errors: number;
}

async function load(port: number, bodies: string[], seconds: number, connections: number): Promise<Figures> {
  const latencies: number[] = [];
  let errors = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: `http://127.0.0.1:${port}/graphql`,
        connections,
        duration: seconds,
        requests: bodies.map((body) => ({ method: 'POST', path: '/graphql', headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` }, body })),
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
    instance.on('response', (_client, status, _bytes, time) => {
      latencies.push(time);
      if (status !== 200) errors += 1;
    });
  });
  latencies.sort((a, b) => a - b);
  const at = (q: number) => round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0);
  return {
    requestsPerSecond: round(result.requests.total / seconds),
    latencyMs: { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: round(latencies.at(-1) ?? 0) },
    requests: result.requests.total,
    errors: errors + result.errors + result.timeouts,
  };
}

/**
 * Counted in process on the same database: the server's own statement counter
 * is not reachable over HTTP. Every body must answer without errors, so a
 * scenario never measures refusals.
 */
async function statementsPerRequest(list: Scenario[]): Promise<Map<string, number>> {
  const yoga = createServer({ database, mode: 'production' });
  const counts = new Map<string, number>();
  const sets = list.flatMap((s) => [{ name: s.name, bodies: s.bodies(shape) }, ...(s.background ? [{ name: `${s.name} background`, bodies: s.background.bodies(shape) }] : [])]);
  for (const scenario of sets) {
    const bodies = scenario.bodies.slice(0, 20);
    const send = (body: string) => yoga.fetch('http://bench/graphql', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` }, body });
    await send(bodies[0] as string); // warm the key cache
    const before = database.statements.count;
    for (const body of bodies) {
      const response = await send(body);
      const json = (await response.json()) as { errors?: unknown[] };
      if (json.errors) throw new Error(`${scenario.name} failed: ${JSON.stringify(json.errors)}`);
    }
    counts.set(scenario.name, round((database.statements.count - before) / bodies.length));
  }
  await yoga.dispose();
  return counts;
}

/** Each scenario's core SQL run directly, 30 times after a warm-up, for its p50 and p95 in ms. */
async function bareSqlTimes(list: Scenario[]): Promise<Map<string, { p50: number; p95: number }>> {
  const times = new Map<string, { p50: number; p95: number }>();
  for (const scenario of list) {
    if (!scenario.bareSql) continue;
    for (let i = 0; i < 3; i++) await scenario.bareSql(database.prisma, shape);
    const samples: number[] = [];
    for (let i = 0; i < 30; i++) {
      const start = performance.now();
      await scenario.bareSql(database.prisma, shape);
      samples.push(performance.now() - start);
    }
    samples.sort((a, b) => a - b);
    times.set(scenario.name, { p50: round(samples[15] ?? 0), p95: round(samples[28] ?? 0) });
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

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

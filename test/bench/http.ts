import { spawn, type ChildProcess } from 'node:child_process';
import autocannon from 'autocannon';
import type { DatabaseConfig } from '../../src/db/config.js';
import type { Figures, LoadRequest } from './scenarios.js';

/** Starts the real server process (production mode) on a database; answers it and its base URL once every worker listens. */
export async function startServer(config: DatabaseConfig, env: Record<string, string>): Promise<{ child: ChildProcess; base: string }> {
  const port = 40000 + Math.floor(Math.random() * 10000);
  // BENCH_CPU_PROFILE_DIR=dir: each server writes a V8 CPU profile there when it stops (Node refuses --cpu-prof in NODE_OPTIONS).
  const profile = process.env.BENCH_CPU_PROFILE_DIR ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROFILE_DIR] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: config.provider === 'sqlite' ? `file:${config.url}` : config.url, DEMO_DATA: 'false', NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // Every worker says where it listens (WORKERS=N: N lines).
  const listening = Number(env.WORKERS ?? 1);
  let seen = 0;
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString().split('/graphql (').length - 1;
      if (seen >= listening) resolve();
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { child, base: `http://127.0.0.1:${port}` };
}

/** Sends `requests` in turn from `clients` connections for `seconds`; throughput, latency and statuses. */
export async function load(base: string, requests: LoadRequest[], seconds: number, clients: number): Promise<Figures> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url: base, connections: clients, duration: seconds, requests }, (error, result) => (error ? reject(error) : resolve(result)));
    instance.on('response', (_client, status, _bytes, time) => {
      latencies.push(time);
      statuses[status] = (statuses[status] ?? 0) + 1;
    });
  });
  latencies.sort((a, b) => a - b);
  const at = (q: number) => round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0);
  const failed = Object.entries(statuses).filter(([status]) => status !== '200' && status !== '304').reduce((sum, [, n]) => sum + n, 0);
  return {
    requestsPerSecond: round(result.requests.total / seconds),
    latencyMs: { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: round(latencies.at(-1) ?? 0) },
    requests: result.requests.total,
    statuses,
    errors: failed + result.errors + result.timeouts,
  };
}

export function round(n: number): number {
  return Math.round(n * 100) / 100;
}

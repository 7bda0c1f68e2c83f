import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** How `npm start` runs the server: the TypeScript sources through tsx. */
export const FROM_SOURCES = ['--import', 'tsx', 'src/main.ts'];

/** The server as users run it: by default `src/main.ts` in its own process, on a real port. */
export interface ServerProcess {
  child: ChildProcess;
  /** http://127.0.0.1:<port> */
  base: string;
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
  stop(): Promise<void>;
}

/** `nodeArgs`: what follows `node` on the command line (the built server: `['dist/main.js']`). */
export async function startServerProcess(databaseUrl: string, env: Record<string, string> = {}, nodeArgs: string[] = FROM_SOURCES): Promise<ServerProcess> {
  // Another test's server may have taken the port a moment earlier: then another one.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnPort(randomPort(), databaseUrl, env, nodeArgs);
    } catch (error) {
      if (attempt >= 5 || !(error instanceof Error) || !error.message.includes('EADDRINUSE')) throw error;
    }
  }
}

/**
 * Below the range Linux gives outgoing connections their local ports from
 * (32768 and up), so none of them holds it; above the webhook receivers'
 * (20000-28999, webhooks.test.ts).
 */
function randomPort(): number {
  return 29000 + Math.floor(Math.random() * 3700);
}

async function startOnPort(port: number, databaseUrl: string, env: Record<string, string>, nodeArgs: string[]): Promise<ServerProcess> {
  const reports = mkdtempSync(join(tmpdir(), 'server-report-'));
  const child = spawn(process.execPath, nodeArgs, {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      ...env,
      // A server that hangs on its way up writes Node's diagnostic report on SIGUSR2: see hangReport.
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} ${env.NODE_OPTIONS ?? ''} --report-on-signal --report-directory=${reports}`.trim(),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.once('exit', () => rmSync(reports, { recursive: true, force: true }));
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const deadline = Date.now() + 45_000;
  while (!output.includes('/graphql (') && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 100));
  if (!output.includes('/graphql (')) {
    const report = child.exitCode === null ? await hangReport(child, reports) : '';
    throw new Error(`server did not start:\n${output}${report}`);
  }
  return {
    child,
    base: `http://127.0.0.1:${port}`,
    output: () => output,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

/**
 * Sends SIGTERM while a request is in flight (its body still arriving), then
 * finishes the request. Answers what the request got, whether a new
 * connection was refused while the server drained, and the exit code.
 */
export async function sigtermWithRequestInFlight(started: ServerProcess, key: string): Promise<{ status: number; body: unknown; refusedWhileDraining: boolean; exitCode: number | null }> {
  const body = JSON.stringify({ query: '{ viewer { role } }' });
  const half = Math.floor(body.length / 2);
  const exit = once(started.child, 'exit');
  let refusedWhileDraining = false;
  const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = request(`${started.base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(body.length), authorization: `Bearer ${key}` } }, (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.write(body.slice(0, half));
    setTimeout(() => {
      started.child.kill('SIGTERM');
      setTimeout(async () => {
        // Draining: new connections are refused while the old request is still open.
        refusedWhileDraining = await fetch(`${started.base}/healthz`).then(
          () => false,
          () => true,
        );
        req.end(body.slice(half));
      }, 500);
    }, 200);
  });
  const [exitCode] = (await exit) as [number | null];
  return { status: answer.status, body: JSON.parse(answer.text), refusedWhileDraining, exitCode };
}

/**
 * A server still running but not listening by the deadline: where it is
 * stuck, from Node's diagnostic report (its JavaScript and native stacks and
 * what the event loop waits on), then it is killed so it outlives no test.
 */
async function hangReport(child: ChildProcess, dir: string): Promise<string> {
  child.kill('SIGUSR2');
  let text = '';
  for (let i = 0; i < 50 && !text; i++) {
    await new Promise((r) => setTimeout(r, 100));
    const file = readdirSync(dir).find((name) => name.endsWith('.json'));
    if (file) text = readFileSync(join(dir, file), 'utf8');
  }
  child.kill('SIGKILL');
  if (!text) return '\n(no diagnostic report)';
  try {
    const report = JSON.parse(text) as { javascriptStack?: { stack?: string[] }; nativeStack?: { symbol: string }[]; libuv?: { type: string; is_active?: boolean }[]; workers?: unknown[] };
    const handles = (report.libuv ?? []).filter((handle) => handle.is_active).map((handle) => handle.type);
    return [
      '\n--- diagnostic report of the hung server',
      `JavaScript stack:\n${(report.javascriptStack?.stack ?? []).slice(0, 20).join('\n')}`,
      `native stack:\n${(report.nativeStack ?? []).slice(0, 25).map((frame) => frame.symbol).join('\n')}`,
      `active handles: ${handles.join(', ')}; worker threads: ${report.workers?.length ?? 0}`,
    ].join('\n');
  } catch {
    return `\n${text.slice(0, 4000)}`;
  }
}

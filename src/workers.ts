import cluster, { type Worker } from 'node:cluster';
import type { Logger } from './http/request-log.js';

/**
 * WORKERS=N: one server process per core. The primary forks N workers that
 * all listen on the same port (node:cluster hands connections to them in
 * turn) and share the database; what each keeps in memory stays coherent
 * as between separate instances (see the README's several instances). A
 * worker that dies is replaced. SIGTERM (or SIGINT) passes to every worker,
 * each drains its requests as a single server does, and the primary exits
 * once all have: 0 when they all stopped cleanly.
 */
const RESTART_DELAY_MS = 1000;

export function superviseWorkers(count: number, drainTimeoutSeconds: number, logger: Logger): void {
  let stopping = false;
  let failed = false;
  const fork = () => cluster.fork();
  for (let i = 0; i < count; i++) fork();
  logger.info(`Started ${count} workers on one port (WORKERS=${count}).`);

  cluster.on('exit', (worker: Worker, code, signal) => {
    if (stopping) {
      if (code !== 0) failed = true;
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(failed ? 1 : 0);
      return;
    }
    logger.error({ pid: worker.process.pid, code, signal }, 'A worker stopped unexpectedly; starting another');
    setTimeout(fork, RESTART_DELAY_MS);
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      stopping = true;
      for (const again of ['SIGINT', 'SIGTERM'] as const) process.once(again, () => process.exit(1));
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
      // Each worker gives its requests the drain time; past that and a margin, stop waiting.
      setTimeout(() => process.exit(1), (drainTimeoutSeconds + 10) * 1000).unref();
    });
  }
}

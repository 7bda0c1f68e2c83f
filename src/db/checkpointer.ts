import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';

/**
 * WAL checkpoints off the main thread. By default the connection that
 * commits copies the log back into the database file once the log passes
 * 1,000 pages, inside that COMMIT: on the main thread, which answers every
 * request, and once every few batches of interactions (more than half of
 * their COMMIT's time, BENCHMARKS.md). Here a worker thread with a
 * connection of its own runs a PASSIVE checkpoint every
 * CHECKPOINT_INTERVAL_MS instead: it copies what no reader still needs,
 * never waits for a lock and never holds up a writer or a reader; a page
 * written many times between two checkpoints is copied once.
 *
 * The main thread's writing connections still checkpoint past
 * WRITER_CHECKPOINT_PAGES, rarely and cheaply (the thread copied nearly
 * everything): a checkpoint that runs beside the writers seldom finds the
 * log fully copied at the moment one begins, which is when SQLite starts
 * the log over, so without them the file would keep growing under a
 * steady stream of writes.
 *
 * The worker's code is inline, as the read workers' is (read-workers.ts).
 */
const CHECKPOINT_INTERVAL_MS = 100;
const WRITER_CHECKPOINT_PAGES = 10_000;

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { timeout: 0 });
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
setInterval(() => {
  try {
    checkpoint.get();
  } catch {
    // Busy (another process checkpoints) or briefly unreadable: the next turn tries again.
  }
}, workerData.intervalMs);
`;

/** Makes every connection the factory opens leave checkpoints to the Checkpointer (all but the rare ones above). */
export function withoutAutomaticCheckpoints(factory: SqlDriverAdapterFactory): SqlDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => {
      const adapter = await factory.connect();
      await adapter.executeScript(NO_AUTOMATIC_CHECKPOINTS);
      return adapter;
    },
  };
}

/** The same, for connections opened with better-sqlite3 directly. */
export const NO_AUTOMATIC_CHECKPOINTS = `PRAGMA wal_autocheckpoint = ${WRITER_CHECKPOINT_PAGES}`;

/**
 * The thread that checkpoints one database file. A thread that stops is
 * started again (a second later); close() ends it. It never keeps the
 * process alive.
 */
export class Checkpointer {
  private worker: Worker | null = null;
  private closed = false;
  private restart: NodeJS.Timeout | null = null;
  private readonly driver = createRequire(import.meta.url).resolve('better-sqlite3');

  constructor(private readonly file: string) {
    this.start();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.restart) clearTimeout(this.restart);
    await this.worker?.terminate();
    this.worker = null;
  }

  private start(): void {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver: this.driver, file: this.file, intervalMs: CHECKPOINT_INTERVAL_MS } });
    worker.unref();
    worker.on('error', () => {}); // reported by its exit, which starts a new one
    worker.on('exit', () => {
      if (this.closed || this.worker !== worker) return;
      this.worker = null;
      this.restart = setTimeout(() => this.start(), 1000);
      this.restart.unref();
    });
    this.worker = worker;
  }
}

import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Worker threads, each with its own read-only SQLite connection, for the
 * statements that take long (the matrix's recounts, the calendar, search):
 * better-sqlite3 is synchronous, so on the main thread such a statement
 * stops every other request until it ends. WAL lets the workers read while
 * the main connection writes.
 *
 * The worker's code is inline (run with `eval`) rather than a file, so it
 * runs the same from the TypeScript sources, under the test runner and from
 * the build, none of which would otherwise agree on how to load a worker
 * file; the driver's path is resolved here and handed over.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { readonly: true });
const prepared = new Map();
parentPort.on('message', ({ id, sql, values }) => {
  try {
    let statement = prepared.get(sql);
    if (!statement) {
      if (prepared.size >= 100) prepared.clear(); // statements differ by shape, not by values: a few dozen at most
      prepared.set(sql, (statement = db.prepare(sql)));
    }
    parentPort.postMessage({ id, rows: statement.all(...values) });
  } catch (error) {
    parentPort.postMessage({ id, error: { message: String(error && error.message), code: error && error.code } });
  }
});
`;

interface Task {
  id: number;
  sql: string;
  values: unknown[];
  resolve(rows: unknown[]): void;
  reject(error: Error): void;
}

interface Thread {
  worker: Worker;
  task: Task | null;
}

type Reply = { id: number; rows: unknown[] } | { id: number; error: { message: string; code?: string } };

export class ReadWorkers {
  private readonly threads: Thread[] = [];
  private readonly queue: Task[] = [];
  private nextId = 1;
  private closed = false;
  private readonly driver = createRequire(import.meta.url).resolve('better-sqlite3');

  constructor(
    private readonly file: string,
    /** At most this many statements run at once; the rest wait in order. */
    readonly size: number,
  ) {}

  /** Runs one read statement on a worker; its rows come back as the driver gives them. */
  all<Row>(sql: string, values: unknown[]): Promise<Row[]> {
    if (this.closed) return Promise.reject(new Error('The database is closed.'));
    return new Promise<Row[]>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, sql, values, resolve: resolve as (rows: unknown[]) => void, reject });
      this.dispatch();
    });
  }

  /** Statements waiting for a thread. */
  get waiting(): number {
    return this.queue.length;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const task of this.queue.splice(0)) task.reject(new Error('The database is closed.'));
    await Promise.all(this.threads.splice(0).map((thread) => thread.worker.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length) {
      const thread = this.threads.find((t) => t.task === null) ?? (this.threads.length < this.size ? this.spawn() : null);
      if (!thread) return;
      const task = this.queue.shift() as Task;
      thread.task = task;
      thread.worker.ref(); // a statement under way keeps the process alive
      thread.worker.postMessage({ id: task.id, sql: task.sql, values: task.values });
    }
  }

  private spawn(): Thread {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver: this.driver, file: this.file } });
    const thread: Thread = { worker, task: null };
    worker.on('message', (reply: Reply) => {
      const task = thread.task;
      thread.task = null;
      thread.worker.unref();
      if (task && task.id === reply.id) {
        if ('rows' in reply) task.resolve(reply.rows);
        else task.reject(Object.assign(new Error(reply.error.message), { code: reply.error.code }));
      }
      this.dispatch();
    });
    // A thread that dies (out of memory, a driver fault) fails its statement; the next one starts a fresh thread.
    const lost = (error: Error) => {
      const index = this.threads.indexOf(thread);
      if (index < 0) return;
      this.threads.splice(index, 1);
      thread.task?.reject(error);
      thread.task = null;
      if (!this.closed) this.dispatch();
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`A read worker stopped (exit code ${code}).`)));
    worker.unref(); // an idle thread does not keep the process alive
    this.threads.push(thread);
    return thread;
  }
}

import { Worker, type WorkerOptions } from 'node:worker_threads';
import { GraphQLError, Source, type ExecutionResult } from 'graphql';
import type { DatabaseConfig } from '../db/config.js';
import { MODULE_WORKER, moduleWorkerOptions } from '../shared/module-worker.js';
import type { CarriedError, OperationReply, OperationTask, ThreadData } from './operation.js';

/**
 * Analysis threads: worker threads, each with the schema and database
 * connections of its own, that execute the operations too heavy for the
 * main thread (which ones: analysis/offload.ts). The main thread keeps
 * everything around execution (admission, limits, the cache, logs and
 * metrics); a thread answers with the result. Operations wait their turn
 * for a free thread, in order.
 */
export class AnalysisThreads {
  private readonly idle: Worker[] = [];
  private readonly all: Worker[] = [];
  private readonly queue: { task: Omit<OperationTask, 'id'>; done(reply: OperationReply): void }[] = [];
  private readonly pending = new Map<number, { worker: Worker; settle(reply: OperationReply): void }>();
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly database: DatabaseConfig,
    readonly size: number,
    /** Where a thread's own failure is told (the server's log). */
    private readonly onError?: (error: Error) => void,
  ) {
    for (let i = 0; i < size; i++) this.spawn();
  }

  /** Executes the operation on a thread; its result as the main thread's execution would give it. */
  async execute(task: Omit<OperationTask, 'id'>): Promise<ExecutionResult & { freshUntil?: number }> {
    if (this.all.length === 0) throw new Error('Analysis thread failed: none could start');
    const reply = await new Promise<OperationReply>((done) => {
      this.queue.push({ task, done });
      this.next();
    });
    if (reply.failure !== undefined || !reply.result) throw new Error(`Analysis thread failed: ${reply.failure ?? 'no result'}`);
    const { data, errors } = reply.result;
    const source = new Source(task.source);
    return {
      ...(errors ? { errors: errors.map((error) => rebuilt(error, source)) } : {}),
      ...(data !== undefined ? { data } : {}),
      ...(reply.freshUntil !== undefined ? { freshUntil: reply.freshUntil } : {}),
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.all.map((worker) => worker.terminate()));
  }

  private next(): void {
    while (this.idle.length && this.queue.length) {
      const worker = this.idle.pop() as Worker;
      const { task, done } = this.queue.shift() as (typeof this.queue)[number];
      const id = this.nextId++;
      this.pending.set(id, {
        worker,
        settle: (reply) => {
          if (this.all.includes(worker)) this.idle.push(worker);
          done(reply);
          this.next();
        },
      });
      worker.postMessage({ ...task, id } satisfies OperationTask);
    }
  }

  private spawn(): void {
    const worker = new Worker(MODULE_WORKER, threadOptions(this.database));
    // A thread that cannot start (or throws outside any operation) is reported, never the process's end.
    worker.on('error', (error) => this.onError?.(error));
    let answered = false;
    worker.on('message', (reply: OperationReply) => {
      answered = true;
      const pending = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      pending?.settle(reply);
    });
    // A thread that dies fails what it was doing and is replaced; its work is never retried (it may be what killed it).
    worker.on('exit', () => {
      this.all.splice(this.all.indexOf(worker), 1);
      const at = this.idle.indexOf(worker);
      if (at >= 0) this.idle.splice(at, 1);
      for (const [id, pending] of this.pending) {
        if (pending.worker !== worker) continue;
        this.pending.delete(id);
        pending.settle({ id, failure: 'the thread stopped' });
      }
      // One that never answered could not start (a broken install): no endless restarts; with none left, work fails at once.
      if (!this.closed && answered) this.spawn();
      if (this.all.length === 0) for (const { done } of this.queue.splice(0)) done({ id: 0, failure: 'no analysis thread could start' });
    });
    worker.unref();
    this.all.push(worker);
    this.idle.push(worker);
  }
}

function threadOptions(database: DatabaseConfig): WorkerOptions {
  return moduleWorkerOptions<ThreadData>(import.meta.url, 'thread', { database });
}

/**
 * The error as the main thread would have had it: expected errors keep
 * their message, path, extensions and locations (in the text the client
 * sent, which the thread parsed too); an unexpected one keeps its cause, so
 * the main thread masks it ("Unexpected error.") and logs it.
 */
function rebuilt(error: CarriedError, source: Source): GraphQLError {
  const cause = error.unexpected ? Object.assign(new Error(error.unexpected.message), { stack: error.unexpected.stack }) : undefined;
  return new GraphQLError(error.message, {
    path: error.path,
    extensions: error.extensions,
    ...(error.locations ? { source, positions: error.locations.map((location) => positionOf(source.body, location)) } : {}),
    ...(cause ? { originalError: cause } : {}),
  });
}

/** The offset in `body` of a 1-based line and column. */
function positionOf(body: string, location: { line: number; column: number }): number {
  let offset = 0;
  for (let line = 1; line < location.line; line++) {
    const next = body.indexOf('\n', offset);
    if (next < 0) break;
    offset = next + 1;
  }
  return offset + location.column - 1;
}

import { Worker } from 'node:worker_threads';
import { MODULE_WORKER, moduleWorkerOptions } from '../shared/module-worker.js';
import type { Database } from './client.js';
import type { Provider } from './config.js';
import { prismaStatements, type TransactionStatements } from './statements.js';
import type { WriteTurns } from './write-turns.js';

/**
 * A write transaction's code, run on the write thread: a function exported
 * by one of this project's modules, named by the module's URL (its
 * import.meta.url) and the export's name, since code cannot be sent to a
 * thread. It gets the transaction's statements and the arguments, which are
 * copied to the thread (postMessage), as is what it answers.
 */
export interface WriteProgram {
  module: string;
  name: string;
}

/** What a program's function looks like. */
export type WriteFunction = (statements: TransactionStatements, ...args: never[]) => Promise<unknown>;

/**
 * Runs `write` in one write transaction: on the write thread when the
 * database has one (found there as `program`: the same function's module
 * URL and export name), otherwise in a Prisma transaction. It gets the
 * transaction's statements, the provider, then `args`.
 */
export function writeTransaction<Args extends unknown[], T>(
  database: Database,
  program: WriteProgram,
  write: (statements: TransactionStatements, provider: Provider, ...args: Args) => Promise<T>,
  ...args: Args
): Promise<T> {
  if (database.writeThread) return database.writeThread.transaction<T>(program, [database.provider, ...args]);
  return database.prisma.$transaction((tx) => write(prismaStatements(tx), database.provider, ...args), { timeout: 60_000, maxWait: 10_000 });
}

/** What crosses to the thread and back. */
export interface WriteTask {
  id: number;
  program: WriteProgram;
  args: unknown[];
}
export type WriteReply = { id: number; statements: string[] } & ({ result: unknown } | { error: { message: string; code?: string } });

/** The thread's data: the database file it writes. */
export interface WriteThreadData {
  file: string;
}

/**
 * A worker thread with a SQLite connection of its own, for the heavy write
 * transactions (a batch of interactions, a chunk of the retention sweep):
 * better-sqlite3 runs every statement synchronously, so on the main thread a
 * batch's ~10 ms of SQLite work would hold up every other request; here the main thread serves them
 * meanwhile, on the other core. One transaction at a time, in the main
 * writer's turns (write-turns.ts), so neither ever waits for the other's
 * lock. Started on first use; one that stops fails what it was doing and the
 * next transaction starts a new one.
 */
export class WriteThread {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, (reply: WriteReply) => void>();
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly file: string,
    private readonly turns: WriteTurns,
    /** Told of every statement the thread sent (the statement counter). */
    private readonly count: (sql: string) => void,
  ) {}

  /** Runs the program in one transaction on the thread (BEGIN IMMEDIATE … COMMIT, rolled back if it throws); answers what it answered. */
  async transaction<T>(program: WriteProgram, args: unknown[]): Promise<T> {
    const endTurn = await this.turns.take();
    let reply: WriteReply;
    try {
      reply = await this.send(program, args);
    } finally {
      endTurn();
    }
    for (const sql of reply.statements) this.count(sql);
    if ('error' in reply) throw Object.assign(new Error(reply.error.message), { code: reply.error.code });
    return reply.result as T;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.worker?.terminate();
    this.worker = null;
  }

  private send(program: WriteProgram, args: unknown[]): Promise<WriteReply> {
    if (this.closed) return Promise.reject(new Error('The database is closed.'));
    const worker = (this.worker ??= this.start());
    const id = this.nextId++;
    return new Promise<WriteReply>((settle) => {
      this.pending.set(id, settle);
      worker.ref(); // a transaction under way keeps the process alive
      worker.postMessage({ id, program, args } satisfies WriteTask);
    });
  }

  private start(): Worker {
    const worker = new Worker(MODULE_WORKER, moduleWorkerOptions<WriteThreadData>(import.meta.url, 'write-worker', { file: this.file }));
    worker.unref();
    worker.on('message', (reply: WriteReply) => {
      const settle = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      settle?.(reply);
    });
    const lost = (message: string) => {
      if (this.worker === worker) this.worker = null;
      for (const [id, settle] of this.pending) settle({ id, statements: [], error: { message } });
      this.pending.clear();
    };
    worker.on('error', (error) => lost(`The write thread failed: ${error.message}`));
    worker.on('exit', (code) => lost(`The write thread stopped (exit code ${code}).`));
    return worker;
  }
}

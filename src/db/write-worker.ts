import { parentPort, workerData } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import type { Prisma } from '../generated/sqlite/client.js';
import { NO_AUTOMATIC_CHECKPOINTS } from './checkpointer.js';
import { sqliteValue } from './raw.js';
import type { TransactionStatements } from './statements.js';
import type { WriteFunction, WriteProgram, WriteReply, WriteTask, WriteThreadData } from './write-thread.js';
import { StatementCache } from './statement-cache.js';

/**
 * The write thread (write-thread.ts): runs each task's program in a
 * transaction of its own on this thread's connection, one task after the
 * other. Statements are prepared once and kept (there are a handful of
 * texts): preparing is a good part of a short statement's cost.
 */

/** How long a transaction waits for another process's write lock before it fails (as Prisma's transactions wait at most 10 s). */
const BUSY_TIMEOUT_MS = 10_000;

const { file } = workerData as WriteThreadData;
const db = new BetterSqlite3(file, { timeout: BUSY_TIMEOUT_MS });
// Checkpoints are the checkpointer's (checkpointer.ts), as for the main thread's writer.
db.exec(NO_AUTOMATIC_CHECKPOINTS);
const begin = db.prepare('BEGIN IMMEDIATE');
const commit = db.prepare('COMMIT');
const prepared = new StatementCache((sql) => db.prepare(sql));
const programs = new Map<string, Promise<WriteFunction>>();

let turn: Promise<void> = Promise.resolve();
parentPort?.on('message', (task: WriteTask) => {
  turn = turn.then(async () => answer(await run(task)));
});

/** Sends the reply; one that cannot be copied (a program answered a function) is answered as an error, never left unanswered. */
function answer(reply: WriteReply): void {
  try {
    parentPort?.postMessage(reply);
  } catch (error) {
    parentPort?.postMessage({ id: reply.id, statements: reply.statements, error: { message: `The write thread could not send its answer back: ${String((error as Error).message)}` } } satisfies WriteReply);
  }
}

async function run({ id, program, args }: WriteTask): Promise<WriteReply> {
  const ran: string[] = [];
  const statement = (sql: Prisma.Sql) => {
    ran.push(sql.sql);
    return { kept: prepared.get(sql.sql), values: sql.values.map(sqliteValue) };
  };
  const statements: TransactionStatements = {
    async all<Row>(sql: Prisma.Sql) {
      const { kept, values } = statement(sql);
      return kept.all(...values) as Row[];
    },
    async run(sql) {
      const { kept, values } = statement(sql);
      return kept.run(...values).changes;
    },
  };
  try {
    const write = await programOf(program);
    ran.push('BEGIN IMMEDIATE');
    begin.run();
    try {
      const result = await write(statements, ...(args as never[]));
      ran.push('COMMIT');
      commit.run();
      return { id, statements: ran, result };
    } catch (error) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw error;
    }
  } catch (error) {
    const { message, code } = error as { message?: unknown; code?: unknown };
    return { id, statements: ran, error: { message: String(message ?? error), ...(typeof code === 'string' ? { code } : {}) } };
  }
}

function programOf(program: WriteProgram): Promise<WriteFunction> {
  const key = `${program.module}#${program.name}`;
  let write = programs.get(key);
  if (!write) {
    write = import(program.module).then((module: Record<string, unknown>) => {
      const exported = module[program.name];
      if (typeof exported !== 'function') throw new Error(`${program.name} is not a function of ${program.module}`);
      return exported as WriteFunction;
    });
    programs.set(key, write);
  }
  return write;
}

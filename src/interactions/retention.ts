import type { Database } from '../db/client.js';
import type { Provider } from '../db/config.js';
import type { TransactionStatements } from '../db/statements.js';
import { writeTransaction, type WriteProgram } from '../db/write-thread.js';
import { COUNT_MAINTENANCE } from '../db/versions.js';
import { Prisma } from '../generated/sqlite/client.js';
import type { Logger } from '../http/request-log.js';
import { hourOf } from './store.js';

export const DEFAULT_INTERACTION_RETENTION_DAYS = 90;
/** Ten years: beyond that "raw events kept" means "kept for good", which the setting is not for. */
export const MAX_INTERACTION_RETENTION_DAYS = 3650;

/** Rows per DELETE: short statements, so requests get the database between them. */
const ROWS_PER_DELETE = 5000;
const HOUR_MS = 3600 * 1000;

/**
 * Removes raw interactions (and sessions' last touchpoints) older than the
 * retention window, a few thousand rows per statement until none are left.
 * The roll-ups stay. Rows are found by their indexed hour (no later than the
 * cutoff's), then the instant decides. Answers how many events were removed.
 */
export async function sweepInteractions(database: Database, retentionDays: number, now = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - retentionDays * 24 * HOUR_MS);
  const hour = hourOf(cutoff);
  // Nothing of that hour or older (a server that records no interactions, or last hour's sweep took it all): no chunk to run.
  if (!(await anyAsOld(database, hour))) return 0;
  let removed = 0;
  for (;;) {
    const count = await sweep(database, 'events', hour, cutoff);
    removed += count;
    if (count < ROWS_PER_DELETE) break;
  }
  while ((await sweep(database, 'sessions', hour, cutoff)) === ROWS_PER_DELETE);
  return removed;
}

/** Whether any event or session is of the hour or older: two index seeks. */
async function anyAsOld(database: Database, hour: number): Promise<boolean> {
  const [row] = await database.query<{ events: unknown; sessions: unknown }>(Prisma.sql`
    SELECT (SELECT 1 FROM "Interaction" WHERE "occurredHour" <= ${hour} LIMIT 1) AS events, (SELECT 1 FROM "InteractionSession" WHERE "occurredHour" <= ${hour} LIMIT 1) AS sessions`);
  return row?.events != null || row?.sessions != null;
}

type Swept = 'events' | 'sessions';

/**
 * One chunk. On a SQLite file on the write thread: a chunk of 5,000 events
 * takes 35-100 ms at 10M events, which on the main thread every request
 * would wait for.
 */
function sweep(database: Database, swept: Swept, hour: number, cutoff: Date): Promise<number> {
  return writeTransaction(database, DELETE_CHUNK, deleteChunk, swept, hour, cutoff);
}

/** deleteChunk, as the write thread finds it. */
const DELETE_CHUNK: WriteProgram = { module: import.meta.url, name: 'deleteChunk' };

/**
 * One DELETE of up to ROWS_PER_DELETE rows; on SQLite with the maintenance
 * row counted in the same transaction, so no kept answer is forgotten for it
 * (db/versions.ts). Exported for the write thread.
 */
export async function deleteChunk(statements: TransactionStatements, provider: Provider, swept: Swept, hour: number, cutoff: Date): Promise<number> {
  const count = await statements.run(
    swept === 'events'
      ? Prisma.sql`
      DELETE FROM "Interaction" WHERE "id" IN (SELECT "id" FROM "Interaction" WHERE "occurredHour" <= ${hour} AND "occurredAt" < ${cutoff} LIMIT ${ROWS_PER_DELETE})`
      : Prisma.sql`
      DELETE FROM "InteractionSession" WHERE ("workspaceId", "sessionHash") IN (SELECT "workspaceId", "sessionHash" FROM "InteractionSession" WHERE "occurredHour" <= ${hour} AND "occurredAt" < ${cutoff} LIMIT ${ROWS_PER_DELETE})`,
  );
  if (provider === 'sqlite') await statements.run(COUNT_MAINTENANCE);
  return count;
}

/**
 * The server's sweep: once on start, then every hour, until stopped. A
 * failed sweep (database busy or down) is logged and tried again next hour.
 */
export function startSweeping(database: Database, retentionDays: number, logger: Logger): { stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  const sweep = () => {
    running = sweepInteractions(database, retentionDays).then(
      (removed) => {
        if (removed > 0) logger.info({ removed, retentionDays }, `Removed ${removed} raw interactions older than ${retentionDays} days`);
      },
      (error: unknown) => logger.error({ err: error }, 'Interaction sweep failed'),
    );
  };
  sweep();
  const timer = setInterval(sweep, HOUR_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

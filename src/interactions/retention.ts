import type { Database } from '../db/client.js';
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
  let removed = 0;
  for (;;) {
    const count = await sweep(database, Prisma.sql`
      DELETE FROM "Interaction" WHERE "id" IN (SELECT "id" FROM "Interaction" WHERE "occurredHour" <= ${hour} AND "occurredAt" < ${cutoff} LIMIT ${ROWS_PER_DELETE})`);
    removed += count;
    if (count < ROWS_PER_DELETE) break;
  }
  for (;;) {
    const count = await sweep(database, Prisma.sql`
      DELETE FROM "InteractionSession" WHERE ("workspaceId", "sessionHash") IN (SELECT "workspaceId", "sessionHash" FROM "InteractionSession" WHERE "occurredHour" <= ${hour} AND "occurredAt" < ${cutoff} LIMIT ${ROWS_PER_DELETE})`);
    if (count < ROWS_PER_DELETE) break;
  }
  return removed;
}

/** One DELETE; on SQLite with the maintenance row counted in its transaction, so no kept answer is forgotten for it (db/versions.ts). */
async function sweep(database: Database, statement: Prisma.Sql): Promise<number> {
  if (database.provider !== 'sqlite') return database.prisma.$executeRaw(statement);
  const [count] = await database.prisma.$transaction([database.prisma.$executeRaw(statement), database.prisma.$executeRaw(COUNT_MAINTENANCE)]);
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

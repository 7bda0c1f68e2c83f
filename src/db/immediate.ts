import type { SqlDriverAdapter, SqlDriverAdapterFactory, Transaction } from '@prisma/driver-adapter-utils';
import { withOverrides } from './overrides.js';
import type { WriteTurns } from './write-turns.js';

/**
 * SQLite transactions that take the write lock when they begin. Prisma's
 * adapter opens each with a plain (deferred) BEGIN: such a transaction reads
 * from a snapshot, and if another connection commits before its first write
 * (another server process with WORKERS, the command line, the maintenance
 * connection), that write fails at once with SQLITE_BUSY_SNAPSHOT: no
 * waiting helps, the request fails. A write as the first statement takes the
 * lock (waiting for another writer as any write does) before anything is
 * read, so the transaction always sees the latest data and can always write.
 * The write changes nothing: an UPDATE that matches no row still takes the
 * lock.
 */
const TAKE_WRITE_LOCK = { sql: 'UPDATE "WorkspaceVersion" SET "version" = "version" WHERE 0', args: [], argTypes: [] };

export function immediateTransactions(factory: SqlDriverAdapterFactory, turns: WriteTurns): SqlDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => immediate(await factory.connect(), turns),
  };
}

/** Each transaction also takes a turn (write-turns.ts) first, and ends it when it commits or rolls back. */
function immediate(adapter: SqlDriverAdapter, turns: WriteTurns): SqlDriverAdapter {
  return withOverrides(adapter, {
    startTransaction: async (...args) => {
      const endTurn = await turns.take();
      let transaction: Transaction;
      try {
        transaction = await adapter.startTransaction(...args);
      } catch (error) {
        endTurn();
        throw error;
      }
      try {
        await transaction.executeRaw(TAKE_WRITE_LOCK);
      } catch (error) {
        await transaction.rollback().finally(endTurn); // releases the connection for the next transaction
        throw error;
      }
      return withOverrides(transaction, {
        commit: () => transaction.commit().finally(endTurn),
        rollback: () => transaction.rollback().finally(endTurn),
      });
    },
  });
}

import type { SqlDriverAdapter, SqlDriverAdapterFactory, Transaction } from '@prisma/driver-adapter-utils';

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

export function immediateTransactions(factory: SqlDriverAdapterFactory): SqlDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => immediate(await factory.connect()),
  };
}

function immediate(adapter: SqlDriverAdapter): SqlDriverAdapter {
  return new Proxy(adapter, {
    get(target, prop) {
      if (prop === 'startTransaction') {
        return async (...args: Parameters<SqlDriverAdapter['startTransaction']>): Promise<Transaction> => {
          const transaction = await target.startTransaction(...args);
          try {
            await transaction.executeRaw(TAKE_WRITE_LOCK);
          } catch (error) {
            await transaction.rollback(); // releases the connection for the next transaction
            throw error;
          }
          return transaction;
        };
      }
      // Called on the adapter itself: its methods may use private fields, which a proxy does not have.
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

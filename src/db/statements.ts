import type { Prisma } from '../generated/sqlite/client.js';
import type { Tx } from '../shared/mutation.js';

/**
 * The statements of one transaction, whoever runs it: a Prisma transaction
 * (prismaStatements) or the write thread's connection (write-worker.ts).
 * Code written against this runs on either. Rows come back as the driver
 * gives them (see raw.ts).
 */
export interface TransactionStatements {
  /** A statement that answers rows (a SELECT, or a write with RETURNING). */
  all<Row>(sql: Prisma.Sql): Promise<Row[]>;
  /** A write; answers how many rows it changed. */
  run(sql: Prisma.Sql): Promise<number>;
}

export function prismaStatements(tx: Tx): TransactionStatements {
  return {
    all: <Row>(sql: Prisma.Sql) => tx.$queryRaw<Row[]>(sql),
    run: (sql) => tx.$executeRaw(sql),
  };
}

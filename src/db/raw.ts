import type { ContentPiece } from '../generated/sqlite/client.js';

/**
 * Raw SQL rows carry each database's own types: SQLite gives instants as
 * epoch milliseconds (numbers or bigints) and counts as bigints, PostgreSQL
 * gives Dates and numbers. These make them what Prisma's models say.
 */
export function rawDate(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  return new Date(typeof value === 'bigint' ? Number(value) : (value as string | number | Date));
}

/** A ContentPiece row read with `SELECT p.*`. */
export function rawContentPiece<T extends ContentPiece>(row: T): T {
  return {
    ...row,
    priority: Number(row.priority),
    publishAt: rawDate(row.publishAt),
    expiresAt: rawDate(row.expiresAt),
    reviewAt: rawDate(row.reviewAt),
    createdAt: rawDate(row.createdAt) as Date,
    updatedAt: rawDate(row.updatedAt) as Date,
  };
}

/** better-sqlite3 binds numbers, strings, bigints and buffers: instants are stored as epoch milliseconds (see adapter.ts). */
export function sqliteValue(value: unknown): unknown {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

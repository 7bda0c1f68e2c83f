/**
 * Rows per statement where a write names rows by id: well below both
 * databases' parameter limits (SQLite 32,766, PostgreSQL 65,535), so a
 * write of any size is a few statements rather than a refused one.
 */
export const IDS_PER_STATEMENT = 500;

/** `items` in consecutive slices of at most `size`. */
export function chunksOf<T>(items: readonly T[], size = IDS_PER_STATEMENT): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}

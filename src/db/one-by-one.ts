/**
 * Runs statements of one transaction one after another, answering their
 * results in order, as Promise.all would. A transaction holds one
 * connection, so sending them at once gains nothing, and node-postgres
 * deprecates (and will refuse) a query sent while its connection is busy.
 */
export async function oneByOne<T extends readonly (() => unknown)[]>(...work: T): Promise<{ -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> }> {
  const results: unknown[] = [];
  for (const step of work) results.push(await step());
  return results as { -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> };
}

import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { RATE_LIMIT_TABLE, postgresRateLimitStore, type SharedRateLimitStore } from '../src/http/rate-limit-store.js';
import { emptyDatabase, testProvider } from './support/databases.js';

/**
 * RATE_LIMIT_STORE=postgres on a database that has no counters' table yet:
 * instances starting together, each with its three limiters, all make it at
 * once. Before they took turns, PostgreSQL's CREATE TABLE IF NOT EXISTS
 * failed one of them with "type already exists" and that server did not start.
 */
describe.runIf(testProvider() === 'postgresql')('the shared rate-limit counters in PostgreSQL', () => {
  const opened: SharedRateLimitStore[] = [];
  afterAll(() => Promise.all(opened.map((store) => store.close())));

  // One round of eight lost the race about every other time before the fix: three rounds.
  it.each([1, 2, 3])('are made once when eight instances start together, and count for all of them (round %i)', async () => {
    const { url } = await emptyDatabase();
    const stores = await Promise.all(Array.from({ length: 8 }, () => postgresRateLimitStore(url)));
    opened.push(...stores);
    const limiters = stores.flatMap(({ store }) => ['ip', 'key', 'token'].map((keyPrefix) => store({ keyPrefix, points: 100, duration: 60 })));

    const perKey = limiters.filter((_, i) => i % 3 === 1);
    for (const limiter of perKey) await limiter.consume('cpk_one');
    const left = await perKey[0]!.get('cpk_one');
    expect(left?.consumedPoints).toBe(8);

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ key: string; points: number }>(`SELECT key, points FROM "${RATE_LIMIT_TABLE}"`);
      expect(rows).toEqual([{ key: 'key:cpk_one', points: 8 }]);
    } finally {
      await client.end();
    }
  });

  it('refuses to start, and says why, when the table cannot be made', async () => {
    const url = new URL((await emptyDatabase()).url);
    url.username = 'no_such_role';
    await expect(postgresRateLimitStore(url.toString())).rejects.toThrow(/no_such_role/);
  });
});

import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { StatementCache } from '../src/db/statement-cache.js';

describe('the prepared statements kept by text', () => {
  it('prepares each text once while it is in use', () => {
    const db = new BetterSqlite3(':memory:');
    const prepared: string[] = [];
    const cache = new StatementCache((sql) => (prepared.push(sql), db.prepare(sql)));
    for (let i = 0; i < 5; i++) expect(cache.get('SELECT ? AS n').get(i)).toEqual({ n: i });
    expect(cache.get('SELECT 1 AS one').get()).toEqual({ one: 1 });
    expect(prepared).toEqual(['SELECT ? AS n', 'SELECT 1 AS one']);
    db.close();
  });

  it('keeps at most its maximum, dropping the one used longest ago', () => {
    const prepared: string[] = [];
    const cache = new StatementCache((sql) => (prepared.push(sql), { sql }), 3);
    for (const sql of ['a', 'b', 'c', 'a', 'd', 'a', 'c', 'b']) cache.get(sql);
    // 'd' pushed out 'b' (a was used again after it); 'b' came back and pushed out 'd'.
    expect(prepared).toEqual(['a', 'b', 'c', 'd', 'b']);
    expect(cache.size).toBe(3);
  });
});

import { createHash } from 'node:crypto';
import type pg from 'pg';

/**
 * Named prepared statements on PostgreSQL, for the hot path's statements
 * that take few forms. An unnamed statement is parsed and planned on every
 * request; the recommendation's planning took longer than running it. A
 * named one is parsed once per pool connection (node-postgres remembers,
 * per connection, which names it has sent), and PostgreSQL plans it per
 * execution for its first five, then keeps a generic plan when that plan
 * costs no more than the custom ones did.
 *
 * A prepared statement stays on its connection until the connection
 * closes, so the texts given names must be few: the caller opts in with
 * `prepared` only for a text that takes a handful of forms (no list whose
 * length follows the input, e.g. `IN (…)` over asked ids), and at most
 * MAX_PREPARED_TEXTS texts per process get a name, the first ones asked
 * for; any other is sent unnamed, as before. So a connection never holds
 * more than that many.
 */
export const MAX_PREPARED_TEXTS = 32;

export class PreparedNames {
  readonly #names = new Map<string, string>();

  /** `enabled` false (DATABASE_PREPARED_STATEMENTS=false): every statement is sent unnamed. */
  constructor(
    readonly enabled: boolean,
    readonly capacity = MAX_PREPARED_TEXTS,
  ) {}

  /** The name `text` is prepared under, or undefined: sent unnamed (names are off, or all taken). */
  of(text: string): string | undefined {
    if (!this.enabled) return undefined;
    let name = this.#names.get(text);
    if (name === undefined && this.#names.size < this.capacity) this.#names.set(text, (name = nameOf(text)));
    return name;
  }
}

/** From the text: a name never stands for two texts, in any process. */
function nameOf(text: string): string {
  return `content_planning_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
}

/**
 * Sends `config` under `name` (unnamed without one). When PostgreSQL refuses
 * the named statement, the request is answered by the same statement sent
 * unnamed; pool.query() has closed the connection it failed on (pg-pool
 * drops a connection whose query failed), and its prepared statements with
 * it, so each connection fails at most once and is replaced. Refusals:
 *
 * - a migration changed what the statement's rows hold (a table gained a
 *   column a `p.*` returns): "cached plan must not change result type", on
 *   every connection that prepared it before;
 * - the connection lost it, or holds another by that name: what a pooler
 *   that shares server connections between clients (PgBouncer in
 *   transaction pooling before 1.21) or a `DISCARD ALL` does. Such a setup
 *   should turn names off (DATABASE_PREPARED_STATEMENTS=false): it would
 *   pay a failure and a new connection for many requests.
 */
export async function queryPrepared(pool: pg.Pool, config: pg.QueryConfig, name: string | undefined): Promise<pg.QueryResult> {
  if (name === undefined) return pool.query(config);
  try {
    return await pool.query({ ...config, name });
  } catch (error) {
    if (!REFUSED.has((error as { code?: unknown }).code)) throw error;
    return pool.query(config);
  }
}

/** PostgreSQL's codes for the refusals above; 0A000 also covers other unsupported features, which fail again unnamed. */
const REFUSED = new Set<unknown>([
  '0A000', // feature_not_supported: "cached plan must not change result type"
  '26000', // invalid_sql_statement_name: the prepared statement does not exist
  '42P05', // duplicate_prepared_statement
]);

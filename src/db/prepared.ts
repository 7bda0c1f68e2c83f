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
 * Sends `config` under `name` (unnamed without one). A migration that
 * changes what a prepared statement's rows hold (a table gained a column a
 * `p.*` returns) makes PostgreSQL refuse the statement on every connection
 * that prepared it ("cached plan must not change result type"); pool.query()
 * closes a connection whose statement failed, and the statement with it, so
 * each such connection fails once and is replaced, and the request that met
 * it is answered by the same statement sent unnamed.
 */
export async function queryPrepared(pool: pg.Pool, config: pg.QueryConfig, name: string | undefined): Promise<pg.QueryResult> {
  if (name === undefined) return pool.query(config);
  try {
    return await pool.query({ ...config, name });
  } catch (error) {
    if ((error as { code?: unknown }).code !== FEATURE_NOT_SUPPORTED) throw error;
    return pool.query(config);
  }
}

/** PostgreSQL's code for "cached plan must not change result type" (and for other unsupported features, which fail again unnamed). */
const FEATURE_NOT_SUPPORTED = '0A000';

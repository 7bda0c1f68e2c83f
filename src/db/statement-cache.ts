/**
 * Prepared statements kept by their text, so each text is parsed once per
 * connection. Texts differ by shape (which filters, a list's length), not by
 * values: a few dozen are in use at a time. Past `max` the one used longest
 * ago goes, so an unusual run of shapes cannot grow the cache without end.
 */
export class StatementCache<Statement> {
  private readonly kept = new Map<string, Statement>();

  constructor(
    private readonly prepare: (sql: string) => Statement,
    private readonly max = 200,
  ) {}

  get(sql: string): Statement {
    let statement = this.kept.get(sql);
    if (statement === undefined) {
      statement = this.prepare(sql);
      if (this.kept.size >= this.max) this.kept.delete(this.kept.keys().next().value as string);
    } else {
      this.kept.delete(sql); // a Map keeps insertion order: set again, it is the newest
    }
    this.kept.set(sql, statement);
    return statement;
  }

  get size(): number {
    return this.kept.size;
  }
}

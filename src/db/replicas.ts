import pg from 'pg';
import type { ReplicaSettings } from './config.js';

/**
 * PostgreSQL read replicas (DATABASE_REPLICA_URLS). Reads may go to a
 * replica; writes, transactions and whatever must be exact (API keys and
 * link tokens, the key catalogs) stay on the primary. Which requests read
 * where is decided per request (readsFor in client.ts uses `pick`).
 *
 * Each replica is measured every REPLICA_CHECK_INTERVAL_MS, never per
 * request: it is usable when it answers and has replayed everything the
 * primary had written REPLICA_MAX_LAG_MS ago. Lag is measured by WAL
 * position, not by clocks: the primary's position is sampled at each check,
 * and a replica's lag is how long ago the primary was at a position the
 * replica has not replayed yet (0 when it has replayed the latest sample).
 * A replica that fails a statement by its connection is marked down at once
 * and the statement is sent again to the primary (reads only, so sending
 * again is safe): a replica that stops fails no request. The next check that
 * finds it well brings it back.
 */
export type ReplicaState = 'ok' | 'lagging' | 'down';

export interface ReplicaStatus {
  /** 1-based, in the order of DATABASE_REPLICA_URLS: never its host, which the body of /readyz must not tell. */
  replica: number;
  state: ReplicaState;
  /** Milliseconds behind the primary at the last check; null when it could not be measured. */
  lagMs: number | null;
}

export class ReplicaHealth {
  state: ReplicaState = 'down';
  lagMs: number | null = null;
  constructor(readonly index: number) {}

  get usable(): boolean {
    return this.state === 'ok';
  }

  /** A statement failed by its connection: skipped until the next check finds it well. */
  lost(): void {
    this.state = 'down';
    this.lagMs = null;
  }
}

/**
 * Connection-level failures (the server stopped, restarts, refuses, or the
 * connection broke) and a standby's cancel for a conflict with replay: the
 * statement itself was fine, the primary can answer it.
 */
const CONNECTION_CODES = new Set(['57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH']);
const RECOVERY_CONFLICT = '40001';

function failedByConnection(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && CONNECTION_CODES.has(code)) return true;
  return typeof message === 'string' && /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection refused/i.test(message);
}

/**
 * The replica's pool, made to send a statement to the primary's pool instead
 * when the replica is down or fails it by its connection. Prisma's pg
 * adapter and client.ts call `query` with one config object and `connect`
 * without a callback: those are the forms replaced (pg's own query checks
 * out with a callback, which is left as it was).
 */
export function failoverPool(replica: pg.Pool, primary: () => pg.Pool, health: ReplicaHealth): pg.Pool {
  const query = replica.query.bind(replica) as (config: pg.QueryConfig) => Promise<pg.QueryResult>;
  const connect = replica.connect.bind(replica) as (callback?: unknown) => Promise<pg.PoolClient>;
  const onPrimary = (config: pg.QueryConfig) => (primary().query as (config: pg.QueryConfig) => Promise<pg.QueryResult>)(config);
  // Replaced on this one object; the casts restore pg's overloaded signatures, of which only the forms above are used.
  replica.query = (async (config: pg.QueryConfig) => {
    if (!health.usable) return onPrimary(config);
    try {
      return await query(config);
    } catch (error) {
      if (failedByConnection(error)) health.lost();
      else if ((error as { code?: unknown }).code !== RECOVERY_CONFLICT) throw error;
      return onPrimary(config);
    }
  }) as unknown as typeof replica.query;
  replica.connect = (async (callback?: unknown) => {
    // pg's own query() checks out with a callback: its failures reach the query() above.
    if (callback) return connect(callback);
    if (!health.usable) return primary().connect();
    try {
      return await connect();
    } catch (error) {
      if (!failedByConnection(error)) throw error;
      health.lost();
      return primary().connect();
    }
  }) as unknown as typeof replica.connect;
  return replica;
}

/** A WAL position ("16/B374D848") as a number that compares. */
export function walPosition(lsn: string): bigint {
  const [high = '0', low = '0'] = lsn.split('/');
  return (BigInt(`0x${high}`) << 32n) | BigInt(`0x${low}`);
}

interface Sample {
  position: bigint;
  at: number;
}

/** The replicas' health, checked in the background; `pick` answers a usable one in turn. */
export class ReplicaSet {
  readonly health: ReplicaHealth[];
  private samples: Sample[] = [];
  private timer: NodeJS.Timeout | null = null;
  private turn = 0;
  private checking: Promise<void> | null = null;

  constructor(
    readonly settings: ReplicaSettings,
    /** The primary's pool, and a pool per replica for the checks alone (theirs must not fail over). */
    private readonly primary: pg.Pool,
    private readonly replicas: pg.Pool[],
    private readonly onChange: (status: ReplicaStatus, before: ReplicaState) => void = () => {},
  ) {
    this.health = settings.urls.map((_url, index) => new ReplicaHealth(index));
  }

  /** Starts the checks; resolves after the first. */
  start(): Promise<void> {
    const first = this.check();
    this.timer = setInterval(() => void this.check(), this.settings.checkIntervalMs);
    this.timer.unref();
    return first;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** A usable replica's index, each in turn; null when none is usable (reads go to the primary). */
  pick(): number | null {
    for (let tried = 0; tried < this.health.length; tried++) {
      const index = this.turn++ % this.health.length;
      if (this.health[index]?.usable) return index;
    }
    return null;
  }

  status(): ReplicaStatus[] {
    return this.health.map((health) => ({ replica: health.index + 1, state: health.state, lagMs: health.lagMs }));
  }

  /** One round of checks (a round still running is not started twice). */
  check(): Promise<void> {
    this.checking ??= this.round().finally(() => (this.checking = null));
    return this.checking;
  }

  private async round(): Promise<void> {
    const now = Date.now();
    const primary = await this.ask(this.primary, 'SELECT pg_current_wal_lsn()::text AS lsn');
    if (primary) this.samples.push({ position: walPosition(String(primary.lsn)), at: now });
    // Kept long enough to tell any lag up to the limit (and one more check).
    const keepSince = now - this.settings.maxLagMs - 2 * this.settings.checkIntervalMs;
    while (this.samples.length > 1 && (this.samples[0] as Sample).at < keepSince) this.samples.shift();
    await Promise.all(this.replicas.map((pool, index) => this.checkReplica(pool, this.health[index] as ReplicaHealth, now)));
  }

  private async checkReplica(pool: pg.Pool, health: ReplicaHealth, now: number): Promise<void> {
    const before = health.state;
    const row = await this.ask(pool, 'SELECT pg_is_in_recovery() AS standby, pg_last_wal_replay_lsn()::text AS lsn');
    if (!row || row.standby !== true || typeof row.lsn !== 'string') {
      // Unreachable, or no longer a standby (promoted, or not one at all): its data may differ from the primary's.
      health.lost();
    } else {
      const replayed = walPosition(row.lsn);
      const behind = this.samples.find((sample) => sample.position > replayed);
      health.lagMs = behind ? now - behind.at : 0;
      health.state = health.lagMs <= this.settings.maxLagMs ? 'ok' : 'lagging';
    }
    if (health.state !== before) this.onChange({ replica: health.index + 1, state: health.state, lagMs: health.lagMs }, before);
  }

  /** One row, or null when the server does not answer within a check's time. */
  private async ask(pool: pg.Pool, sql: string): Promise<Record<string, unknown> | null> {
    const timeout = Math.max(1000, 2 * this.settings.checkIntervalMs);
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        pool.query(sql).then((result) => (result.rows[0] as Record<string, unknown> | undefined) ?? null),
        new Promise<null>((resolve) => (timer = setTimeout(resolve, timeout, null))),
      ]);
    } catch {
      return null;
    } finally {
      clearTimeout(timer);
    }
  }
}

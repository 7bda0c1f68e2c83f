import { statSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { Prisma, PrismaClient } from '../generated/sqlite/client.js';
import { PrismaClient as PostgresClient } from '../generated/postgresql/client.js';
import pLimit from 'p-limit';
import { analysisConcurrency, analysisPool, postgresAdapter, postgresPool, sqliteAdapter, useWal } from './adapter.js';
import { Checkpointer, NO_AUTOMATIC_CHECKPOINTS, withoutAutomaticCheckpoints } from './checkpointer.js';
import { immediateTransactions } from './immediate.js';
import { ReadWorkers } from './read-workers.js';
import type { DatabaseConfig, Provider } from './config.js';
import { PreparedNames, queryPrepared } from './prepared.js';
import { failoverPool, ReplicaSet, type ReplicaStatus } from './replicas.js';
import { WorkspaceVersions } from './versions.js';
import { watchPostgres, watchSqlite } from './watch.js';
import { likeEscapeOnSqlite } from './like.js';
import { sqliteValue } from './raw.js';
import { WriteThread } from './write-thread.js';
import { WriteTurns } from './write-turns.js';
import { StatementCache } from './statement-cache.js';

/**
 * The Prisma client the app is written against. Both generated clients come
 * from the same models and expose the same API; the SQLite client's type is
 * the one the code names.
 */
export type Db = PrismaClient;

/** A database handle plus the facts code needs to know about it. */
export interface Database {
  /** Writes (every transaction) and whatever must see them at once. */
  prisma: Db;
  /**
   * Reads for answers. On SQLite a second, read-only connection: a client
   * has one connection, and an interactive transaction holds it open across
   * awaits, so a read sent through it meanwhile would see that request's
   * uncommitted rows. With WAL, the reader sees each commit as it lands.
   * On PostgreSQL every pooled connection is isolated: the same client.
   */
  reader: Db;
  provider: Provider;
  /** Counts SQL statements sent, for tests and the benchmark. */
  statements: StatementCounter;
  /** Moves a workspace's version on every committed write, for what is cached from its data. */
  versions: WorkspaceVersions;
  /**
   * SQLite on a file: the thread heavy write transactions run on (a batch of
   * interactions), so their statements never hold the main thread; it writes
   * in turns with `prisma`. Null elsewhere: PostgreSQL does the work in its
   * own processes, and a memory database has one connection.
   */
  writeThread: WriteThread | null;
  /**
   * One read statement sent straight to the driver, for the hot path where
   * Prisma's per-query overhead (~0.3 ms) is more than the query itself.
   * Rows come back as the driver gives them (see raw.ts for the conversions).
   */
  query<Row>(sql: Prisma.Sql, options?: QueryOptions): Promise<Row[]>;
  /**
   * One heavy read statement (a recount of the matrix, the calendar, search),
   * kept from stalling delivery: on SQLite it runs on a worker thread with a
   * read-only connection of its own, on PostgreSQL on a small pool of its own
   * (ANALYSIS_CONCURRENCY at once, the rest wait). Rows as query() gives them.
   */
  analyze<Row>(sql: Prisma.Sql): Promise<Row[]>;
  /**
   * Maintenance writes (kept counts brought up to date) in a transaction of
   * their own, on a connection no request's transaction shares: `guard` runs
   * first and nothing is written unless its first column equals `expected`.
   * Answers whether it wrote. Never waits for a busy database: it gives up.
   */
  maintain(guard: Prisma.Sql, expected: number, statements: Prisma.Sql[]): Promise<boolean>;
  /**
   * Heavy reads that only Prisma can build (a title search's page and count)
   * and so run on the main connection: they take turns, one at a time on
   * SQLite, where each statement holds the event loop (delivery's requests
   * get their turn between any two), ANALYSIS_CONCURRENCY at once on
   * PostgreSQL, so they never take every connection of the pool delivery needs.
   */
  bounded<T>(work: () => Promise<T>): Promise<T>;
  /**
   * The replica this handle's reads (reader, query, analyze, bounded) go to,
   * by its index in DATABASE_REPLICA_URLS; null: the primary. Writes
   * (prisma, maintain) always go to the primary.
   */
  replica: number | null;
  /** This database with its reads on replica `index` (null: on the primary). */
  readingFrom(index: number | null): Database;
  /** The replicas and their health (replicas.ts); null without DATABASE_REPLICA_URLS. */
  replicas: ReplicaSet | null;
  /** Resolves once other processes' writes are watched for (see watch.ts) and the replicas were checked once. */
  ready: Promise<void>;
  /** What the connections or files hold right now, for the metrics. */
  usage(): DatabaseUsage;
  disconnect(): Promise<void>;
}

/**
 * PostgreSQL: the pool's connections (open, idle, and checkouts waiting for
 * one). SQLite has no pool to exhaust: its file and write-ahead log sizes say
 * more (a log that keeps growing means checkpoints never get their turn), and
 * the write transactions waiting for their turn (write-turns.ts).
 */
export type DatabaseUsage = PoolUsage | FileUsage;
export type PoolUsage = { provider: 'postgresql'; connections: number; idle: number; waiting: number; max: number };
export type FileUsage = { provider: 'sqlite'; fileBytes: number; walBytes: number; writesWaiting: number };

export interface QueryOptions {
  /**
   * The text takes only a handful of forms (no list whose length follows the
   * input): on PostgreSQL it is then sent as a named prepared statement,
   * parsed and planned once per connection (see prepared.ts). SQLite's
   * query() keeps every text prepared anyway.
   */
  prepared?: boolean;
}

export interface StatementCounter {
  count: number;
  /** Of those, the ones sent through analyze(), off the main thread and pool. */
  analyzed: number;
  /** The statements seen while `listening` is true, newest last. */
  log: string[];
  listening: boolean;
}

export interface OpenOptions {
  /**
   * Heavy reads run on the calling thread's own connection: for a thread
   * that is itself off the main one (an analysis thread, analysis/thread.ts).
   * Such a thread does not check the replicas either: the main thread
   * chooses, and says which in each task.
   */
  inlineAnalysis?: boolean;
  /** Told when a replica becomes usable or not (the server's log). */
  onReplicaChange?: (status: ReplicaStatus) => void;
}

export function openDatabase(config: DatabaseConfig, options: OpenOptions = {}): Database {
  const statements: StatementCounter = { count: 0, analyzed: 0, log: [], listening: false };
  const count = (query: string) => {
    statements.count += 1;
    if (statements.listening) statements.log.push(query);
  };
  if (config.provider === 'sqlite') {
    const limit = pLimit(1);
    const database: Database = Object.assign(openSqlite(config.url, statements, count, options), {
      bounded: <T>(work: () => Promise<T>) => limit(work),
      replica: null,
      replicas: null,
      readingFrom: () => database,
    });
    return database;
  }
  return openPostgres(config, statements, count, options);
}

type Count = (query: string) => void;

/** What a handle reads through; the primary's and each replica's are built alike. */
type Reads = Pick<Database, 'reader' | 'query' | 'analyze' | 'bounded'> & { close(): Promise<void> };

/**
 * Reads through `pool` (and, for heavy ones, the pool `analysisPool` opens
 * on first use). Every turn and connection limit is per server: a replica's
 * reads never wait for the primary's.
 */
function postgresReads(pool: pg.Pool, openAnalysis: () => pg.Pool, statements: StatementCounter, count: Count, names: PreparedNames): Reads & { analysisPool(): pg.Pool } {
  let analysis: pg.Pool | null = null; // opened on first use
  const analysisPoolOf = () => (analysis ??= openAnalysis());
  const analysisTurns = pLimit(analysisConcurrency('postgresql'));
  const bounded = pLimit(analysisConcurrency('postgresql'));
  // Same models, same API: the PostgreSQL client is used through the shared type.
  const reader = counted(new PostgresClient({ adapter: postgresAdapter(pool), log: QUERY_EVENTS }) as unknown as PrismaClient, count);
  return {
    reader,
    analysisPool: analysisPoolOf,
    async query<Row>(sql: Prisma.Sql, options?: QueryOptions) {
      count(sql.text);
      const name = options?.prepared ? names.of(sql.text) : undefined;
      return (await queryPrepared(pool, { text: sql.text, values: sql.values.map(postgresValue), types: UTC_TIMESTAMPS }, name)).rows as Row[];
    },
    async analyze<Row>(sql: Prisma.Sql) {
      count(sql.text);
      statements.analyzed += 1;
      const pool = analysisPoolOf();
      // Waiting for a turn happens here, not in the pool: the pool gives up on a checkout after the connect timeout, and a turn may take longer.
      return analysisTurns(async () => (await pool.query({ text: sql.text, values: sql.values.map(postgresValue), types: UTC_TIMESTAMPS })).rows as Row[]);
    },
    bounded: (work) => bounded(work),
    async close() {
      await reader.$disconnect();
      await analysis?.end();
    },
  };
}

function openPostgres(config: DatabaseConfig, statements: StatementCounter, count: Count, options: OpenOptions): Database {
  const { url } = config;
  const pool = postgresPool(url);
  // One set of names for every pool: a name stands for its text on any connection.
  const names = new PreparedNames(config.preparedStatements ?? true);
  const primary = postgresReads(pool, () => analysisPool(url), statements, count, names);
  const prisma = primary.reader;
  const versions = new WorkspaceVersions();
  const watch = watchPostgres(versions, url);
  const replicaUrls = config.replicas?.urls ?? [];
  const checkPools = options.inlineAnalysis ? [] : replicaUrls.map((replicaUrl) => postgresPool(replicaUrl, { max: 1, application_name: 'content-planning replica check' }));
  const replicas = config.replicas && replicaUrls.length ? new ReplicaSet(config.replicas, pool, checkPools, options.onReplicaChange) : null;
  const replicaPools: pg.Pool[] = [];
  const replicaReads = replicaUrls.map((replicaUrl, index) => {
    const health = replicas?.health[index];
    if (!health) throw new Error('unreachable: one health per replica');
    if (options.inlineAnalysis) health.state = 'ok'; // the main thread checks, and chooses a replica only when usable
    const replicaPool = failoverPool(postgresPool(replicaUrl), () => pool, health);
    replicaPools.push(replicaPool);
    return postgresReads(replicaPool, () => failoverPool(analysisPool(replicaUrl), primary.analysisPool, health), statements, count, names);
  });
  const views = new Map<number, Database>();
  const database: Database = {
    prisma,
    reader: prisma,
    query: primary.query,
    analyze: primary.analyze,
    bounded: primary.bounded,
    replica: null,
    replicas,
    readingFrom(index) {
      const reads = index === null ? undefined : replicaReads[index];
      if (index === null || !reads) return database;
      let view = views.get(index);
      if (!view) views.set(index, (view = { ...database, reader: reads.reader, query: reads.query, analyze: reads.analyze, bounded: reads.bounded, replica: index }));
      return view;
    },
    provider: 'postgresql',
    statements,
    versions,
    writeThread: null,
    ready: Promise.all([watch.ready, options.inlineAnalysis ? undefined : replicas?.start()]).then(() => {}),
    usage: () => ({ provider: 'postgresql', connections: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: pool.options.max }),
    async maintain(guard, expected, statements) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const { rows } = await client.query({ text: guard.text, values: guard.values.map(postgresValue), rowMode: 'array' });
        if (Number((rows[0] as unknown[] | undefined)?.[0] ?? 0) !== expected) {
          await client.query('ROLLBACK');
          return false;
        }
        for (const sql of statements) {
          count(sql.text);
          await client.query(sql.text, sql.values.map(postgresValue));
        }
        await client.query('COMMIT');
        return true;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        if ((error as { code?: string }).code === LOCK_NOT_AVAILABLE) return false; // a write holds the guard's row: give up
        throw error;
      } finally {
        client.release();
      }
    },
    async disconnect() {
      replicas?.stop();
      await watch.stop();
      await Promise.all([primary, ...replicaReads].map((reads) => reads.close()));
      await Promise.all([pool, ...replicaPools, ...checkPools].map((p) => p.end()));
    },
  };
  return database;
}

function openSqlite(file: string, statements: StatementCounter, count: Count, options: OpenOptions): Omit<Database, 'bounded' | 'replica' | 'replicas' | 'readingFrom'> {
  // The main thread's writer shares its file with other connections: its transactions take the write lock
  // first (immediate.ts) and its checkpoints run on a thread of their own (checkpointer.ts). An analysis
  // thread only reads; a memory database has no one to share with.
  const mainWriter = file !== ':memory:' && !options.inlineAnalysis;
  const turns = new WriteTurns();
  const adapter = mainWriter ? withoutAutomaticCheckpoints(likeEscapeOnSqlite(immediateTransactions(sqliteAdapter(file), turns))) : likeEscapeOnSqlite(sqliteAdapter(file));
  const prisma = counted(new PrismaClient({ adapter, log: QUERY_EVENTS }), count);
  if (file === ':memory:') {
    // Nothing to share a memory database with: one connection does everything.
    return {
      prisma,
      reader: prisma,
      provider: 'sqlite',
      statements,
      versions: new WorkspaceVersions(),
      query: (sql) => prisma.$queryRaw(sql),
      analyze: (sql) => {
        statements.analyzed += 1;
        return prisma.$queryRaw(sql);
      },
      maintain: async () => false, // nothing kept worth the risk on a single connection
      writeThread: null,
      ready: Promise.resolve(),
      usage: () => ({ provider: 'sqlite', fileBytes: 0, walBytes: 0, writesWaiting: 0 }),
      disconnect: () => prisma.$disconnect(),
    };
  }
  useWal(file);
  const reader = counted(new PrismaClient({ adapter: likeEscapeOnSqlite(sqliteAdapter(file, { readonly: true })), log: QUERY_EVENTS }), count);
  // Opened on first use, like Prisma's connections: an unreachable file fails the query, not the start.
  let direct: BetterSqlite3.Database | null = null;
  let maintenance: BetterSqlite3.Database | null = null;
  const handle = () => (direct ??= new BetterSqlite3(file, { readonly: true }));
  const prepared = new StatementCache((sql) => handle().prepare(sql));
  const workers = new ReadWorkers(file, analysisConcurrency('sqlite'));
  const checkpointer = mainWriter ? new Checkpointer(file) : null;
  const writeThread = mainWriter ? new WriteThread(file, turns, count) : null;
  const versions = new WorkspaceVersions();
  watchSqlite(versions, () => {
    try {
      return handle();
    } catch {
      return null; // unreachable: the queries will say so
    }
  });
  return {
    prisma,
    reader,
    provider: 'sqlite',
    statements,
    versions,
    async query<Row>(sql: Prisma.Sql) {
      count(sql.sql);
      return prepared.get(sql.sql).all(...sql.values.map(sqliteValue)) as Row[];
    },
    async analyze<Row>(sql: Prisma.Sql) {
      if (options.inlineAnalysis) return this.query<Row>(sql);
      count(sql.sql);
      statements.analyzed += 1;
      return workers.all<Row>(sql.sql, sql.values.map(sqliteValue));
    },
    async maintain(guard, expected, statements) {
      // Synchronous, so nothing else of this process runs inside it; timeout 0: a busy writer makes it give up.
      const db = (maintenance ??= maintenanceConnection(file, checkpointer !== null));
      try {
        return db
          .transaction(() => {
            if (Number(db.prepare(guard.sql).pluck().get(...guard.values.map(sqliteValue)) ?? 0) !== expected) return false;
            for (const sql of statements) {
              count(sql.sql);
              db.prepare(sql.sql).run(...sql.values.map(sqliteValue));
            }
            return true;
          })
          .immediate();
      } catch (error) {
        if ((error as { code?: string }).code === 'SQLITE_BUSY') return false;
        throw error;
      }
    },
    writeThread,
    ready: Promise.resolve(),
    usage: () => ({ provider: 'sqlite', fileBytes: fileSize(file), walBytes: fileSize(`${file}-wal`), writesWaiting: turns.waiting }),
    async disconnect() {
      await Promise.all([prisma.$disconnect(), reader.$disconnect(), workers.close(), checkpointer?.close(), writeThread?.close()]);
      direct?.close();
      maintenance?.close();
    },
  };
}

/** The maintenance writes' own connection; it never waits for a busy database (timeout 0). */
function maintenanceConnection(file: string, checkpointed: boolean): BetterSqlite3.Database {
  const db = new BetterSqlite3(file, { timeout: 0 });
  if (checkpointed) db.exec(NO_AUTOMATIC_CHECKPOINTS);
  return db;
}

/** PostgreSQL's error for FOR UPDATE NOWAIT on a row another transaction holds. */
const LOCK_NOT_AVAILABLE = '55P03';

/** 0 for a file that is not there (yet): SQLite makes the log on the first write. */
function fileSize(path: string): number {
  return statSync(path, { throwIfNoEntry: false })?.size ?? 0;
}

const QUERY_EVENTS = [{ emit: 'event' as const, level: 'query' as const }];

/** Counts every statement the client sends (it was built with query events on; its declared type omits them). */
function counted(prisma: PrismaClient, count: Count): PrismaClient {
  (prisma as unknown as PrismaClient<'query'>).$on('query', (event) => count(event.query));
  return prisma;
}

/**
 * Prisma keeps instants in `timestamp` columns (no time zone) as UTC. node-postgres
 * would send a Date in the server process's local time and read those columns
 * back as local time; ISO text in UTC, and reading them as UTC, keeps them right
 * whatever the process's time zone.
 */
function postgresValue(value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : value;
}

const TIMESTAMP_OID = 1114;
const UTC_TIMESTAMPS = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === TIMESTAMP_OID ? (text: string) => new Date(`${text.replace(' ', 'T')}Z`) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

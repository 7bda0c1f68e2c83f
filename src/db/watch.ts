import type BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { postgresConfig } from './adapter.js';
import { noticeRows, notifiedMove, VERSIONS_CHANNEL, type WorkspaceVersions } from './versions.js';

/**
 * Noticing other processes' writes (see versions.ts), so that what this
 * process keeps per workspace version never outlives them.
 */
const ROWS = 'SELECT "workspaceId", "version" FROM "WorkspaceVersion"';

/**
 * SQLite: `PRAGMA data_version` changes whenever another connection (another
 * process, or this process's writer) commits; it costs about a microsecond,
 * so it is read before every version lookup. When it changed, the version
 * rows say which workspaces moved; a commit that moved none (a hand edit)
 * may have changed anything, so every version moves.
 */
export function watchSqlite(versions: WorkspaceVersions, handle: () => BetterSqlite3.Database | null): void {
  const seen = new Map<string, number>();
  let dataVersion: number | null = null;
  let read: BetterSqlite3.Statement | null = null;
  versions.watch = () => {
    const db = handle();
    if (!db) return;
    // Prepared once: db.pragma() would prepare it anew on every call.
    const now = (read ??= db.prepare('PRAGMA data_version').pluck()).get() as number;
    if (now === dataVersion) return;
    const first = dataVersion === null;
    dataVersion = now;
    const rows = db.prepare(ROWS).all() as { workspaceId: string; version: number }[];
    if (!noticeRows(versions, seen, rows, first) && !first) versions.allMoved();
  };
}

/** The application_name of the listening connection. */
export const WATCH_APPLICATION_NAME = 'content-planning watch';

export interface PostgresWatch {
  /** Resolves once the first LISTEN is in place (or failed: then nothing is kept until it is). */
  ready: Promise<void>;
  stop(): Promise<void>;
}

/**
 * PostgreSQL: every write notifies on commit (versions.ts); one connection
 * per process listens. While it is down nothing is kept (versions.watching
 * is false); on every (re)connection the version rows are compared, since
 * notifications sent meanwhile are lost, and it retries with backoff.
 */
export function watchPostgres(versions: WorkspaceVersions, url: string): PostgresWatch {
  const seen = new Map<string, number>();
  let client: pg.Client | null = null;
  let stopped = false;
  let connectedBefore = false;
  let retry: NodeJS.Timeout | null = null;
  let delay = 500;
  versions.watching = false;

  async function connect(): Promise<void> {
    // Named, so an operator can tell it apart in pg_stat_activity.
    const own = new pg.Client({ ...postgresConfig(url), application_name: WATCH_APPLICATION_NAME });
    client = own;
    own.on('error', () => {}); // reported through 'end'
    own.on('end', () => lost(own));
    own.on('notification', (message) => {
      const move = notifiedMove(message.payload, versions);
      if (move) versions.moved(move.workspaceId, move.apiKeyId);
    });
    try {
      await own.connect();
      await own.query(`LISTEN ${VERSIONS_CHANNEL}`);
      const { rows } = await own.query<{ workspaceId: string; version: number }>(ROWS);
      noticeRows(versions, seen, rows, !connectedBefore);
      // Whatever happened while nobody listened may have moved anything.
      if (connectedBefore) versions.allMoved();
      connectedBefore = true;
      versions.watching = true;
      delay = 500;
    } catch {
      lost(own);
    }
  }

  function lost(own: pg.Client): void {
    if (client !== own) return;
    client = null;
    versions.watching = false;
    own.end().catch(() => {});
    if (stopped || retry) return;
    retry = setTimeout(() => {
      retry = null;
      void connect();
    }, delay);
    retry.unref();
    delay = Math.min(delay * 2, 30_000);
  }

  return {
    ready: connect(),
    async stop() {
      stopped = true;
      if (retry) clearTimeout(retry);
      const own = client;
      client = null;
      await own?.end().catch(() => {});
    },
  };
}

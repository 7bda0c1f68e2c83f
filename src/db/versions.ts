import { randomUUID } from 'node:crypto';
import { Prisma } from '../generated/sqlite/client.js';
import type { Provider } from './config.js';

/**
 * A version per workspace that moves on every committed write to it, so
 * whatever is computed from a workspace's data (the key catalog, cached
 * answers, remembered keys) can be kept under the version it was read at and
 * is never used once the data moved on. Read the version before reading the
 * data: a write that lands in between then makes the result already
 * outdated, never wrongly current.
 *
 * Writes in this process move the version themselves, before their answer
 * goes out. Writes by other processes (other server instances, the command
 * line) are noticed through the database: each write also counts up its
 * workspace's row in WorkspaceVersion, in its own transaction (see
 * `recordWrite`), and a watcher (client.ts) tells which rows moved.
 */
export class WorkspaceVersions {
  /** Names this set of versions in the notifications of its own writes (see notifiedWorkspace). */
  readonly writer = randomUUID();
  /** Moves when data changed somewhere unknown: every version moves with it. */
  #epoch = 0;
  /** Counts every move, of any workspace. */
  #moves = 0;
  readonly #versions = new Map<string, number>();
  /** Asked first on every read: looks for other processes' writes (cheap: SQLite's data_version). */
  watch: () => void = () => {};
  /** False while other processes' writes cannot be noticed (a lost PostgreSQL connection): nothing is then kept. */
  watching = true;

  of(workspaceId: string): string {
    this.watch();
    // Unwatched, no version is ever seen twice, so nothing cached under one is ever used.
    if (!this.watching) this.#epoch += 1;
    return `${this.#epoch}.${this.#versions.get(workspaceId) ?? 0}`;
  }

  /** Moves with every write to any workspace: taken before a read whose workspace is not known yet. */
  stamp(): string {
    this.watch();
    if (!this.watching) this.#epoch += 1;
    return `${this.#epoch}.${this.#moves}`;
  }

  /** After a commit to `workspaceId`, by `apiKeyId` when a key made it. */
  moved(workspaceId: string, apiKeyId?: string): void {
    const now = Date.now();
    this.#movedAt.set(workspaceId, now);
    if (apiKeyId) this.#wroteAt.set(apiKeyId, now);
    this.#moves += 1;
    this.#versions.set(workspaceId, (this.#versions.get(workspaceId) ?? 0) + 1);
    for (const listener of this.#listeners) listener(workspaceId);
  }

  readonly #listeners = new Set<(workspaceId: string) => void>();
  /** When each workspace last moved, and each key last wrote (here or, told by a notification, anywhere): for reads from replicas (db/replicas.ts). */
  readonly #movedAt = new Map<string, number>();
  readonly #wroteAt = new Map<string, number>();
  #allMovedAt = 0;

  /** Whether the key wrote in the last `ms` milliseconds, through any instance. */
  wroteWithin(apiKeyId: string, ms: number): boolean {
    return Date.now() - (this.#wroteAt.get(apiKeyId) ?? -Infinity) < ms;
  }

  /** Whether the workspace's data moved in the last `ms` milliseconds. */
  movedWithin(workspaceId: string, ms: number): boolean {
    return Date.now() - Math.max(this.#movedAt.get(workspaceId) ?? -Infinity, this.#allMovedAt) < ms;
  }

  /** Calls `listener` after every move of a workspace (the webhook dispatcher starts a turn). */
  onMove(listener: (workspaceId: string) => void): void {
    this.#listeners.add(listener);
  }

  /** After a commit that may have touched any workspace. */
  allMoved(): void {
    this.#allMovedAt = Date.now();
    this.#epoch += 1;
  }
}

/** The PostgreSQL notification channel that carries moved workspace ids. */
export const VERSIONS_CHANNEL = 'workspace_versions';

/**
 * A notification's payload: who wrote (WorkspaceVersions.writer; '' for the
 * command line), the workspace, and the API key that wrote ('' for none), so
 * every instance sends that key's next reads to the primary (replicas.ts).
 */
export function notification(writer: string, workspaceId: string, apiKeyId = ''): string {
  return `${writer}/${workspaceId}/${apiKeyId}`;
}

/**
 * The workspace a notification moves for `versions`, and the key that wrote:
 * none for a write it made itself (it moved its versions when the write
 * committed, and moving them again a moment later would drop answers kept in
 * between), nor for maintenance.
 */
export function notifiedMove(payload: string | undefined, versions: WorkspaceVersions): { workspaceId: string; apiKeyId?: string } | null {
  if (!payload) return null;
  const [writer, workspaceId = '', apiKeyId] = payload.includes('/') ? payload.split('/') : ['', payload];
  if (writer === versions.writer || workspaceId === MAINTENANCE) return null;
  return apiKeyId ? { workspaceId, apiKeyId } : { workspaceId };
}

interface Executor {
  $executeRaw(query: Prisma.Sql): Promise<number>;
}

/**
 * Counts up the workspace's version row, inside the write's transaction, so
 * the row moves exactly when the write commits; on PostgreSQL it also
 * notifies the other instances, which NOTIFY delivers on commit only.
 */
export async function recordWrite(tx: Executor, provider: Provider, workspaceId: string, writer: WorkspaceVersions | null, apiKeyId?: string): Promise<void> {
  const count = Prisma.sql`
    INSERT INTO "WorkspaceVersion" ("workspaceId", "version") VALUES (${workspaceId}, 1)
    ON CONFLICT ("workspaceId") DO UPDATE SET "version" = "WorkspaceVersion"."version" + 1`;
  // One statement either way.
  await tx.$executeRaw(provider === 'postgresql' ? Prisma.sql`WITH counted AS (${count} RETURNING 1) SELECT pg_notify(${VERSIONS_CHANNEL}, ${notification(writer?.writer ?? '', workspaceId, apiKeyId)}) FROM counted` : count);
}

/** The version row of maintenance writes (kept counts refreshed, interactions stored or swept): they change no answer that is kept. */
export const MAINTENANCE = '';

/**
 * Counts up the maintenance row, in the transaction of a write that changes
 * no kept answer. A SQLite watcher (watch.ts) that sees the file change and
 * no row move must assume a hand edit and forget everything; with this row
 * moved it forgets nothing.
 */
export const COUNT_MAINTENANCE = Prisma.sql`INSERT INTO "WorkspaceVersion" ("workspaceId", "version") VALUES (${MAINTENANCE}, 1) ON CONFLICT ("workspaceId") DO UPDATE SET "version" = "WorkspaceVersion"."version" + 1`;

/**
 * Moves the local versions of the workspaces whose rows differ from what
 * was last seen; the first look only remembers. Answers whether any row
 * changed, the maintenance row included (which moves nothing).
 */
export function noticeRows(versions: WorkspaceVersions, seen: Map<string, number>, rows: { workspaceId: string; version: number | bigint }[], first: boolean): boolean {
  let any = false;
  for (const row of rows) {
    const version = Number(row.version);
    if (seen.get(row.workspaceId) === version) continue;
    seen.set(row.workspaceId, version);
    if (first) continue;
    any = true;
    if (row.workspaceId !== MAINTENANCE) versions.moved(row.workspaceId);
  }
  return any;
}

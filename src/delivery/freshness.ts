import { Prisma } from '../generated/sqlite/client.js';
import type { Database } from '../db/client.js';
import { rawDate } from '../db/raw.js';

/**
 * How long an answer stays true by the clock alone. "Live" depends on
 * time: an answer about live content changes, with no write, at the next
 * instant a published piece goes live or expires. Resolvers that know that
 * instant for what they read narrow it down (recommendations: their cell);
 * the cache keeps the answer no longer.
 */
export class Freshness {
  /** Epoch milliseconds; Infinity while nothing read depends on time. */
  until = Number.POSITIVE_INFINITY;

  /** The answer changes at `instant` (null: never by time). */
  limit(instant: Date | null): void {
    if (instant) this.until = Math.min(this.until, instant.getTime());
  }

  /** Milliseconds left from `now`; Infinity when time does not matter. */
  remaining(now = Date.now()): number {
    return Math.max(0, this.until - now);
  }
}

/**
 * The next instant any published piece of a workspace goes live or expires,
 * for answers that read content without knowing which: kept per workspace
 * version, and read again once that instant has passed. Two index seeks.
 */
export class ContentClock {
  readonly #entries = new Map<string, { version: string; next: Promise<Date | null> }>();

  constructor(
    private readonly database: Database,
    private readonly capacity = 1000,
  ) {}

  async nextChange(workspaceId: string, now = new Date()): Promise<Date | null> {
    const version = this.database.versions.of(workspaceId);
    const entry = this.#entries.get(workspaceId);
    if (entry?.version === version) {
      const next = await entry.next;
      if (next === null || next.getTime() > now.getTime()) return next;
    }
    const next = nextContentChange(this.database, workspaceId, now);
    this.#entries.delete(workspaceId);
    if (this.#entries.size >= this.capacity) this.#entries.delete(this.#entries.keys().next().value as string);
    this.#entries.set(workspaceId, { version, next });
    next.catch(() => this.#entries.get(workspaceId)?.next === next && this.#entries.delete(workspaceId));
    return next;
  }
}

async function nextContentChange(database: Database, workspaceId: string, now: Date): Promise<Date | null> {
  const [row] = await database.query<{ publish: unknown; expiry: unknown }>(Prisma.sql`
    SELECT
      (SELECT MIN(p."publishAt") FROM "ContentPiece" p WHERE p."workspaceId" = ${workspaceId} AND p.status = 'PUBLISHED' AND p."publishAt" > ${now}) AS publish,
      (SELECT MIN(p."expiresAt") FROM "ContentPiece" p WHERE p."workspaceId" = ${workspaceId} AND p.status = 'PUBLISHED' AND p."expiresAt" > ${now}) AS expiry`,
    { prepared: true }, // one text
  );
  const times = [rawDate(row?.publish), rawDate(row?.expiry)].filter((d): d is Date => d !== null);
  return times.length ? new Date(Math.min(...times.map((d) => d.getTime()))) : null;
}

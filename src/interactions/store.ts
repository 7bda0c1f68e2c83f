import { chunksOf } from '../db/chunks.js';
import type { Database } from '../db/client.js';
import type { Provider } from '../db/config.js';
import { rawDate } from '../db/raw.js';
import { Prisma } from '../generated/sqlite/client.js';
import type { Tx } from '../shared/mutation.js';
import type { InteractionTypeValue } from './events.js';
import { stepsOf, type SessionState, type Step } from './steps.js';

/** An event as stored: resolved ids, the visitor and session as hashes. */
export interface StoredEvent {
  clientEventId: string;
  type: InteractionTypeValue;
  pieceId: string;
  segmentId: string;
  phaseId: string;
  channelId: string;
  touchpointId: string | null;
  device: string | null;
  occurredAt: Date;
  visitorHash: string;
  sessionHash: string;
}

/** Rows per INSERT: 12 parameters a row stays far below both databases' limits. */
const ROWS_PER_STATEMENT = 500;

/**
 * Stores a batch (already checked, no clientEventId twice) and adds what is
 * new to the roll-ups, in one transaction: the events in one multi-row
 * INSERT that skips clientEventIds already stored and answers the new ones,
 * then one aggregated upsert each into the daily roll-up and the all-time
 * totals, and for events at a touchpoint the sessions' last touchpoint and
 * the steps between touchpoints. A fixed number of statements per batch,
 * whatever its size. Answers how many events were new.
 */
export async function storeEvents(database: Database, workspaceId: string, events: StoredEvent[]): Promise<number> {
  const { provider } = database;
  return database.prisma.$transaction(
    async (tx) => {
      const fresh = new Set<string>();
      for (const chunk of chunksOf(events, ROWS_PER_STATEMENT)) {
        for (const row of await insertEvents(tx, provider, workspaceId, chunk)) fresh.add(String(row.clientEventId));
      }
      const added = fresh.size === events.length ? events : events.filter((e) => fresh.has(e.clientEventId));
      if (added.length === 0) return 0;
      await addToDays(tx, provider, workspaceId, added);
      await addToTotals(tx, workspaceId, added);
      const atTouchpoints = added.filter((e) => e.touchpointId !== null);
      if (atTouchpoints.length > 0) await followSessions(tx, provider, workspaceId, atTouchpoints);
      return added.length;
    },
    { timeout: 60_000, maxWait: 10_000 },
  );
}

/** The UTC day of an instant, YYYY-MM-DD, as the roll-ups key it. */
export function dayOf(at: Date): string {
  return at.toISOString().slice(0, 10);
}

function interactionType(provider: Provider, type: string): Prisma.Sql {
  return provider === 'postgresql' ? Prisma.sql`CAST(${type} AS "InteractionType")` : Prisma.sql`${type}`;
}

function insertEvents(tx: Tx, provider: Provider, workspaceId: string, events: StoredEvent[]) {
  const rows = events.map(
    (e) =>
      Prisma.sql`(${workspaceId}, ${e.clientEventId}, ${interactionType(provider, e.type)}, ${e.pieceId}, ${e.segmentId}, ${e.phaseId}, ${e.channelId}, ${e.touchpointId}, ${e.device}, ${e.occurredAt}, ${e.visitorHash}, ${e.sessionHash})`,
  );
  return tx.$queryRaw<{ clientEventId: unknown }[]>`
    INSERT INTO "Interaction" ("workspaceId", "clientEventId", "type", "pieceId", "segmentId", "phaseId", "channelId", "touchpointId", "device", "occurredAt", "visitorHash", "sessionHash")
    VALUES ${Prisma.join(rows)}
    ON CONFLICT ("workspaceId", "clientEventId") DO NOTHING
    RETURNING "clientEventId"`;
}

async function addToDays(tx: Tx, provider: Provider, workspaceId: string, events: StoredEvent[]): Promise<void> {
  const counts = new Map<string, { e: StoredEvent; day: string; count: number }>();
  for (const e of events) {
    const day = dayOf(e.occurredAt);
    const key = `${e.pieceId}\n${e.segmentId}\n${e.phaseId}\n${e.channelId}\n${e.type}\n${day}`;
    const entry = counts.get(key);
    if (entry) entry.count += 1;
    else counts.set(key, { e, day, count: 1 });
  }
  for (const chunk of chunksOf([...counts.values()], ROWS_PER_STATEMENT)) {
    const rows = chunk.map(({ e, day, count }) => Prisma.sql`(${workspaceId}, ${e.pieceId}, ${e.segmentId}, ${e.phaseId}, ${e.channelId}, ${interactionType(provider, e.type)}, ${day}, ${count})`);
    await tx.$executeRaw`
      INSERT INTO "InteractionDay" ("workspaceId", "pieceId", "segmentId", "phaseId", "channelId", "type", "day", "count")
      VALUES ${Prisma.join(rows)}
      ON CONFLICT ("pieceId", "segmentId", "phaseId", "channelId", "type", "day") DO UPDATE SET "count" = "InteractionDay"."count" + excluded."count"`;
  }
}

/** The InteractionTotal column each type counts into. */
const TOTAL_COLUMN: Record<InteractionTypeValue, number> = { IMPRESSION: 0, VIEW: 1, CLICK: 2, DOWNLOAD: 3, SHARE: 4, CONVERSION: 5 };

async function addToTotals(tx: Tx, workspaceId: string, events: StoredEvent[]): Promise<void> {
  const totals = new Map<string, { e: StoredEvent; counts: number[] }>();
  for (const e of events) {
    const key = `${e.pieceId}\n${e.segmentId}\n${e.phaseId}\n${e.channelId}`;
    let entry = totals.get(key);
    if (!entry) totals.set(key, (entry = { e, counts: [0, 0, 0, 0, 0, 0] }));
    entry.counts[TOTAL_COLUMN[e.type]] = (entry.counts[TOTAL_COLUMN[e.type]] ?? 0) + 1;
  }
  for (const chunk of chunksOf([...totals.values()], ROWS_PER_STATEMENT)) {
    const rows = chunk.map(({ e, counts }) => Prisma.sql`(${workspaceId}, ${e.pieceId}, ${e.segmentId}, ${e.phaseId}, ${e.channelId}, ${Prisma.join(counts)})`);
    await tx.$executeRaw`
      INSERT INTO "InteractionTotal" ("workspaceId", "pieceId", "segmentId", "phaseId", "channelId", "impressions", "views", "clicks", "downloads", "shares", "conversions")
      VALUES ${Prisma.join(rows)}
      ON CONFLICT ("pieceId", "segmentId", "phaseId", "channelId") DO UPDATE SET
        "impressions" = "InteractionTotal"."impressions" + excluded."impressions",
        "views" = "InteractionTotal"."views" + excluded."views",
        "clicks" = "InteractionTotal"."clicks" + excluded."clicks",
        "downloads" = "InteractionTotal"."downloads" + excluded."downloads",
        "shares" = "InteractionTotal"."shares" + excluded."shares",
        "conversions" = "InteractionTotal"."conversions" + excluded."conversions"`;
  }
}

/**
 * Steps between touchpoints: each session's last interaction at a
 * touchpoint is kept (InteractionSession), so a new one makes a step from
 * it without reading raw events. On PostgreSQL the sessions' rows are
 * locked first, so two batches of one session take turns.
 */
async function followSessions(tx: Tx, provider: Provider, workspaceId: string, events: StoredEvent[]): Promise<void> {
  const hashes = [...new Set(events.map((e) => e.sessionHash))];
  const known = new Map<string, SessionState>();
  for (const chunk of chunksOf(hashes, ROWS_PER_STATEMENT)) {
    const rows = await tx.$queryRaw<{ sessionHash: string; touchpointId: string; occurredAt: unknown }[]>`
      SELECT "sessionHash", "touchpointId", "occurredAt" FROM "InteractionSession"
       WHERE "workspaceId" = ${workspaceId} AND "sessionHash" IN (${Prisma.join(chunk)})${provider === 'postgresql' ? Prisma.sql` FOR UPDATE` : Prisma.empty}`;
    for (const row of rows) known.set(row.sessionHash, { touchpointId: row.touchpointId, occurredAt: rawDate(row.occurredAt) as Date });
  }
  const { sessions, steps } = stepsOf(known, events);
  for (const chunk of chunksOf([...sessions], ROWS_PER_STATEMENT)) {
    const rows = chunk.map(([hash, s]) => Prisma.sql`(${workspaceId}, ${hash}, ${s.touchpointId}, ${s.occurredAt})`);
    await tx.$executeRaw`
      INSERT INTO "InteractionSession" ("workspaceId", "sessionHash", "touchpointId", "occurredAt")
      VALUES ${Prisma.join(rows)}
      ON CONFLICT ("workspaceId", "sessionHash") DO UPDATE SET "touchpointId" = excluded."touchpointId", "occurredAt" = excluded."occurredAt"`;
  }
  for (const chunk of chunksOf(steps, ROWS_PER_STATEMENT)) await addSteps(tx, workspaceId, chunk);
}

async function addSteps(tx: Tx, workspaceId: string, steps: Step[]): Promise<void> {
  const rows = steps.map((s) => Prisma.sql`(${workspaceId}, ${s.segmentId}, ${s.fromTouchpointId}, ${s.toTouchpointId}, ${s.day}, ${s.bucket}, ${s.count})`);
  await tx.$executeRaw`
    INSERT INTO "InteractionStep" ("workspaceId", "segmentId", "fromTouchpointId", "toTouchpointId", "day", "bucket", "count")
    VALUES ${Prisma.join(rows)}
    ON CONFLICT ("workspaceId", "segmentId", "day", "fromTouchpointId", "toTouchpointId", "bucket") DO UPDATE SET "count" = "InteractionStep"."count" + excluded."count"`;
}

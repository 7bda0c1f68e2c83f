import type { Database } from '../db/client.js';
import { Prisma } from '../generated/sqlite/client.js';
import type { Catalogs } from '../workspaces/catalog.js';
import { checkEvent, lookupsOf, type Checked, type EventInput, type PieceRef, type Refusal } from './events.js';
import { batchHasher } from './secrets.js';
import type { InteractionSettings } from './settings.js';
import { storeEvents, type StoredEvent } from './store.js';

/** The most events one call (mutation or beacon) may carry. */
export const MAX_EVENTS_PER_CALL = 1000;

export interface RecordingResult {
  /** Events stored now. */
  accepted: number;
  /** Valid events already stored (by an earlier call, or earlier in this batch): counted once. */
  duplicates: number;
  /** Events refused, by position, with why. */
  refused: Refusal[];
}

/**
 * Records a batch of events for a workspace: what recordInteractions and the
 * beacon both call. Every event is checked on its own; the refused ones are
 * reported and the rest stored. Keys resolve from the workspace's catalog
 * (kept in memory), pieces in one statement, the rest is storeEvents'.
 */
export async function recordInteractions(database: Database, catalogs: Catalogs, settings: InteractionSettings, workspaceId: string, inputs: readonly EventInput[], now = new Date()): Promise<RecordingResult> {
  const lookups = lookupsOf(await catalogs.get(workspaceId), now, settings.retentionDays);
  const refused: Refusal[] = [];
  const valid: (Checked & { index: number })[] = [];
  inputs.forEach((input, index) => {
    const outcome = checkEvent(input, lookups);
    if ('code' in outcome) refused.push({ index, ...outcome });
    else valid.push({ index, ...outcome });
  });
  // Refusals came in order; no valid event, no secret to make.
  if (valid.length === 0) return { accepted: 0, duplicates: 0, refused };
  const pieces = await findPieces(database, workspaceId, valid.map((v) => v.piece));
  const hash = batchHasher(await settings.secrets.of(workspaceId));
  const events: StoredEvent[] = [];
  const seen = new Set<string>();
  let duplicates = 0;
  for (const { index, piece, event } of valid) {
    const pieceId = pieces.get(refKey(piece));
    if (!pieceId) {
      const [field, value] = 'id' in piece ? ['pieceId', inputs[index]?.pieceId] : ['externalId', piece.externalId];
      refused.push({ index, field, code: 'UNKNOWN_PIECE', message: `No content piece with ${field} "${String(value)}" in this workspace.` });
      continue;
    }
    if (seen.has(event.clientEventId)) {
      duplicates += 1;
      continue;
    }
    seen.add(event.clientEventId);
    const { visitorId, sessionId, ...rest } = event;
    events.push({ ...rest, pieceId, visitorHash: hash('visitor', visitorId), sessionHash: hash('session', sessionId) });
  }
  refused.sort((a, b) => a.index - b.index);
  const accepted = events.length > 0 ? await storeEvents(database, workspaceId, events) : 0;
  return { accepted, duplicates: duplicates + events.length - accepted, refused };
}

function refKey(ref: PieceRef): string {
  return 'id' in ref ? `id\n${ref.id}` : `external\n${ref.externalId}`;
}

/** The workspace's pieces the batch names, by refKey, in one statement. */
async function findPieces(database: Database, workspaceId: string, refs: PieceRef[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  if (refs.length === 0) return found;
  const ids = [...new Set(refs.flatMap((r) => ('id' in r ? [r.id] : [])))];
  const externalIds = [...new Set(refs.flatMap((r) => ('externalId' in r ? [r.externalId] : [])))];
  // '' names no piece: it keeps an IN list valid when one kind of reference is absent.
  const rows = await database.query<{ id: string; externalId: string | null }>(Prisma.sql`
    SELECT "id", "externalId" FROM "ContentPiece"
     WHERE "workspaceId" = ${workspaceId} AND ("id" IN (${Prisma.join(ids.length ? ids : [''])}) OR "externalId" IN (${Prisma.join(externalIds.length ? externalIds : [''])}))`);
  for (const row of rows) {
    found.set(`id\n${row.id}`, row.id);
    if (row.externalId !== null) found.set(`external\n${row.externalId}`, row.id);
  }
  return found;
}

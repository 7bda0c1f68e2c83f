import { workspaceId, type Context } from '../context.js';
import type { ContentSync as SyncRow } from '../generated/sqlite/client.js';
import { databaseIdOf } from '../shared/global-id.js';
import type { Tx } from '../shared/mutation.js';
import { refuse } from '../shared/user-errors.js';
import { idSchema, parseInput } from '../shared/validation.js';

/** The state of a mirror sync as importContent and completeContentSync see it (the API is in sync.ts). */

/** An open sync expires this long after it started or after its last batch. */
export const SYNC_EXPIRY_HOURS = 24;
export const SYNC_EXPIRY_MS = SYNC_EXPIRY_HOURS * 3600_000;

/** The caller's open sync named by `globalId`, or a refusal on `field`: NOT_FOUND when unknown, INVALID when completed or expired. */
export async function openSync(tx: Tx, ctx: Context, globalId: string, field: string[]): Promise<SyncRow> {
  const id = databaseIdOf(parseInput(idSchema, globalId, field), 'ContentSync');
  const sync = id ? await tx.contentSync.findFirst({ where: { id, workspaceId: workspaceId(ctx) } }) : null;
  if (!sync) refuse(field, 'NOT_FOUND', `No content sync with id "${globalId}" in this workspace.`);
  if (sync.completedAt) refuse(field, 'INVALID', `The sync was completed at ${sync.completedAt.toISOString()}; start a new one.`);
  if (sync.expiresAt.getTime() <= Date.now()) refuse(field, 'INVALID', `The sync expired at ${sync.expiresAt.toISOString()} and changed nothing; start a new one.`);
  return sync;
}

/** Records pieces as seen by the sync and moves its expiry to a full period from now. */
export async function markSeen(tx: Tx, syncId: string, pieceIds: string[]) {
  if (pieceIds.length > 0) {
    // Deleting first makes a piece imported twice under one sync count once (SQLite's createMany has no skipDuplicates).
    await tx.contentSyncSeen.deleteMany({ where: { syncId, pieceId: { in: pieceIds } } });
    await tx.contentSyncSeen.createMany({ data: pieceIds.map((pieceId) => ({ syncId, pieceId })) });
  }
  await tx.contentSync.update({ where: { id: syncId }, data: { expiresAt: new Date(Date.now() + SYNC_EXPIRY_MS) } });
}

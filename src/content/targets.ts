import { Prisma } from '../generated/sqlite/client.js';
import type { Db } from '../db/client.js';
import { applyChanges, type TargetState } from '../matrix/cells.js';
import { rawDate } from '../db/raw.js';
import type { Tx } from '../shared/mutation.js';

/**
 * Keeps the read models in step with their pieces: every write to a piece's
 * fields or targeting ends by rebuilding that piece's ContentTarget rows
 * here, in the same transaction, and then the ContentCell rows of the cells
 * those rows left and joined (matrix/cells.ts). A fixed number of statements
 * per call, whatever the number of pieces (in chunks below the databases'
 * parameter limits).
 */
const CHUNK = 500;

/** The columns the cells' counts depend on, as both statements return them. */
const STATE = Prisma.sql`"workspaceId", "phaseId", "channelId", "segmentId", "status", "publishAt", "expiresAt", "reviewAt", "updatedAt"`;

export async function syncTargets(db: Db | Tx, pieceIds: string[], options: { removing?: boolean } = {}): Promise<void> {
  const removed: TargetState[] = [];
  const added: TargetState[] = [];
  for (let start = 0; start < pieceIds.length; start += CHUNK) {
    const ids = Prisma.join(pieceIds.slice(start, start + CHUNK));
    removed.push(...(await db.$queryRaw<RawState[]>`DELETE FROM "ContentTarget" WHERE "pieceId" IN (${ids}) RETURNING ${STATE}`).map(targetState));
    if (options.removing) continue;
    const inserted = await db.$queryRaw<RawState[]>`
      INSERT INTO "ContentTarget" ("pieceId", "workspaceId", "phaseId", "channelId", "segmentId", "status", "locale", "priority", "freshAt", "publishAt", "expiresAt", "reviewAt", "updatedAt")
      SELECT p."id", p."workspaceId", cp."phaseId", cc."channelId", COALESCE(cs."segmentId", ''), p."status", p."locale", p."priority",
             COALESCE(p."publishAt", p."updatedAt"), p."publishAt", p."expiresAt", p."reviewAt", p."updatedAt"
        FROM "ContentPiece" p
        JOIN "ContentPhase" cp ON cp."pieceId" = p."id"
        JOIN "ContentChannel" cc ON cc."pieceId" = p."id"
        LEFT JOIN "ContentSegment" cs ON cs."pieceId" = p."id"
       WHERE p."id" IN (${ids})
      RETURNING ${STATE}`;
    added.push(...inserted.map(targetState));
  }
  await applyChanges(db as Tx, removed, added);
}

type RawState = Record<keyof TargetState, unknown>;

function targetState(r: RawState): TargetState {
  return {
    workspaceId: String(r.workspaceId),
    phaseId: String(r.phaseId),
    channelId: String(r.channelId),
    segmentId: String(r.segmentId),
    status: String(r.status),
    publishAt: rawDate(r.publishAt),
    expiresAt: rawDate(r.expiresAt),
    reviewAt: rawDate(r.reviewAt),
    updatedAt: rawDate(r.updatedAt),
  };
}

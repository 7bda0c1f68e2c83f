import { Prisma } from '../generated/sqlite/client.js';
import type { Db } from '../db/client.js';
import { cellId, rebuildCells, type CellKey } from '../matrix/cells.js';
import type { Tx } from '../shared/mutation.js';

/**
 * Keeps the read models in step with their pieces: every write to a piece's
 * fields or targeting ends by rebuilding that piece's ContentTarget rows
 * here, in the same transaction, and then the ContentCell rows of every cell
 * the pieces were or are in (matrix/cells.ts). A fixed number of statements
 * per call, whatever the number of pieces (in chunks below the databases'
 * parameter limits).
 */
const CHUNK = 500;

export async function syncTargets(db: Db | Tx, pieceIds: string[], options: { removing?: boolean } = {}): Promise<void> {
  const before = new Map<string, CellKey & { workspaceId: string }>();
  for (let start = 0; start < pieceIds.length; start += CHUNK) {
    const ids = Prisma.join(pieceIds.slice(start, start + CHUNK));
    // The cells the pieces were in, as their rows go.
    const removed = await db.$queryRaw<(CellKey & { workspaceId: string })[]>`
      DELETE FROM "ContentTarget" WHERE "pieceId" IN (${ids}) RETURNING "workspaceId", "phaseId", "channelId", "segmentId"`;
    for (const cell of removed) before.set(cellId(cell), cell);
    if (options.removing) continue;
    await db.$executeRaw`
      INSERT INTO "ContentTarget" ("pieceId", "workspaceId", "phaseId", "channelId", "segmentId", "status", "locale", "priority", "freshAt", "publishAt", "expiresAt", "reviewAt", "updatedAt")
      SELECT p."id", p."workspaceId", cp."phaseId", cc."channelId", COALESCE(cs."segmentId", ''), p."status", p."locale", p."priority",
             COALESCE(p."publishAt", p."updatedAt"), p."publishAt", p."expiresAt", p."reviewAt", p."updatedAt"
        FROM "ContentPiece" p
        JOIN "ContentPhase" cp ON cp."pieceId" = p."id"
        JOIN "ContentChannel" cc ON cc."pieceId" = p."id"
        LEFT JOIN "ContentSegment" cs ON cs."pieceId" = p."id"
       WHERE p."id" IN (${ids})`;
  }
  // A write's pieces share one workspace: their old rows name it, or the settings lookup finds it by a piece.
  const workspaceId = [...before.values()][0]?.workspaceId ?? null;
  const cells = [...before.values()].map(({ workspaceId: _w, ...cell }) => cell);
  if (cells.length || (!options.removing && pieceIds.length)) await rebuildCells(db as Tx, workspaceId, cells, options.removing ? [] : pieceIds);
}

import { Prisma } from '../generated/sqlite/client.js';
import type { Db } from '../db/client.js';
import type { Tx } from '../shared/mutation.js';

/**
 * Keeps the ContentTarget read model in step with its pieces: every write
 * to a piece's fields or targeting ends by rebuilding that piece's rows
 * here, in the same transaction. Two statements per call, whatever the
 * number of pieces (in chunks below the databases' parameter limits).
 */
const CHUNK = 500;

export async function syncTargets(db: Db | Tx, pieceIds: string[]): Promise<void> {
  for (let start = 0; start < pieceIds.length; start += CHUNK) {
    const ids = Prisma.join(pieceIds.slice(start, start + CHUNK));
    await db.$executeRaw`DELETE FROM "ContentTarget" WHERE "pieceId" IN (${ids})`;
    await db.$executeRaw`
      INSERT INTO "ContentTarget" ("pieceId", "workspaceId", "phaseId", "channelId", "segmentId", "status", "locale", "priority", "freshAt", "publishAt", "expiresAt")
      SELECT p."id", p."workspaceId", cp."phaseId", cc."channelId", COALESCE(cs."segmentId", ''), p."status", p."locale", p."priority",
             COALESCE(p."publishAt", p."updatedAt"), p."publishAt", p."expiresAt"
        FROM "ContentPiece" p
        JOIN "ContentPhase" cp ON cp."pieceId" = p."id"
        JOIN "ContentChannel" cc ON cc."pieceId" = p."id"
        LEFT JOIN "ContentSegment" cs ON cs."pieceId" = p."id"
       WHERE p."id" IN (${ids})`;
  }
}

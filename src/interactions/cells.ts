import { Prisma } from '../generated/sqlite/client.js';
import type { Tx } from '../shared/mutation.js';

const COUNTS = ['impressions', 'views', 'clicks', 'downloads', 'shares', 'conversions'];

/**
 * Takes pieces' all-time counts off their cells' sums (InteractionCell),
 * before the pieces go and their InteractionTotal rows with them: a cell's
 * sum stays the sum of the rows it has. One statement for up to a chunk of
 * ids (UPDATE … FROM, on both databases).
 */
export async function takeOffCells(tx: Tx, pieceIds: string[]): Promise<void> {
  if (pieceIds.length === 0) return;
  const set = COUNTS.map((c) => `"${c}" = c."${c}" - d."${c}"`).join(', ');
  const sums = COUNTS.map((c) => `SUM(t."${c}") AS "${c}"`).join(', ');
  await tx.$executeRaw`
    UPDATE "InteractionCell" AS c SET ${Prisma.raw(set)}
      FROM (SELECT t."workspaceId", t."segmentId", t."phaseId", t."channelId", ${Prisma.raw(sums)}
              FROM "InteractionTotal" t WHERE t."pieceId" IN (${Prisma.join(pieceIds)})
             GROUP BY t."workspaceId", t."segmentId", t."phaseId", t."channelId") AS d
     WHERE c."workspaceId" = d."workspaceId" AND c."segmentId" = d."segmentId" AND c."phaseId" = d."phaseId" AND c."channelId" = d."channelId"`;
}

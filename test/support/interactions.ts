import type { Database } from '../../src/db/client.js';
import { recordWrite } from '../../src/db/versions.js';

/**
 * Stands in for recorded interactions: what recordInteractions leaves in the
 * all-time roll-up (InteractionTotal) for a piece in a cell (the segment,
 * phase and channel it was served for), written straight through Prisma,
 * added to what is there. Like an accepted batch, it moves the workspace's
 * version in the same transaction and in this process, so catalogs and
 * cached answers see it. Raw events and daily roll-ups are left out: the
 * readers tested with it (ranking, the matrix, gaps) read the totals only.
 */
export interface RecordedTotals {
  pieceId: string;
  segmentId: string;
  phaseId: string;
  channelId: string;
  impressions?: number;
  views?: number;
  clicks?: number;
  downloads?: number;
  shares?: number;
  conversions?: number;
}

const COUNTS = ['impressions', 'views', 'clicks', 'downloads', 'shares', 'conversions'] as const;

export async function recordTotals(database: Database, workspaceId: string, rows: RecordedTotals[]): Promise<void> {
  await database.prisma.$transaction(async (tx) => {
    for (const row of rows) {
      const counts = Object.fromEntries(COUNTS.map((c) => [c, row[c] ?? 0])) as Record<(typeof COUNTS)[number], number>;
      const key = { pieceId: row.pieceId, segmentId: row.segmentId, phaseId: row.phaseId, channelId: row.channelId };
      await tx.interactionTotal.upsert({
        where: { pieceId_segmentId_phaseId_channelId: key },
        create: { workspaceId, ...key, ...counts },
        update: Object.fromEntries(COUNTS.map((c) => [c, { increment: counts[c] }])),
      });
    }
    await recordWrite(tx, database.provider, workspaceId, database.versions);
  });
  database.versions.moved(workspaceId);
}

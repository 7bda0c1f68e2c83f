import { expect } from 'vitest';
import type { Db } from '../../src/db/client.js';
import { cellId, countCells, ofCells } from '../../src/matrix/cells.js';

/**
 * The matrix's kept counts say what the target rows say: a row for every
 * cell with content, and each row's counts equal a full recount at the
 * instant it was kept for, with its settings. A row may expire sooner than
 * the recount would (a write that removes content never extends it), never
 * later.
 */
export async function expectKeptCellsTrue(db: Db, workspaceId: string): Promise<void> {
  const kept = await db.contentCell.findMany({ where: { workspaceId } });
  const withContent = await db.contentTarget.findMany({ where: { workspaceId }, distinct: ['phaseId', 'channelId', 'segmentId'], select: { phaseId: true, channelId: true, segmentId: true } });
  for (const cell of withContent) expect(kept.map(cellId)).toContain(cellId(cell));
  for (const row of kept) {
    const settings = { freshnessDays: row.freshnessDays, lookaheadDays: row.lookaheadDays };
    const [recount] = await countCells((sql) => db.$queryRaw(sql), ofCells([row]), row.asOf, settings);
    const { validUntil, ...counts } = recount ?? { ...row, idea: 0, draft: 0, inReview: 0, scheduled: 0, published: 0, archived: 0, live: 0, liveFresh: 0, liveAtHorizon: 0 };
    const { validUntil: keptUntil, ...keptCounts } = row;
    expect(keptCounts, cellId(row)).toEqual({ ...counts, workspaceId });
    expect(keptUntil.getTime(), `${cellId(row)} is kept past the instant its counts change`).toBeLessThanOrEqual(validUntil.getTime());
  }
}

import { encodeGlobalID } from '@pothos/plugin-relay';
import type { Database } from '../db/client.js';
import { rankGaps } from '../gaps/ranking.js';
import { contentMatrix, type MatrixCell } from '../matrix/analysis.js';
import type { NewEvent } from './outbox.js';

/**
 * The coverage of a whole workspace as webhooks see it: every journey's
 * matrix at `now`, its gaps as contentGaps ranks them, and when the first
 * count may change by time. A cell is open when it has a gap (MISSING,
 * PLANNED_ONLY, STALE, THIN or EXPIRING) and closed when it is COVERED or
 * not expected; the events tell moves between the two, not moves from one
 * gap kind to another. UNDERPERFORMING (how content performs, not whether
 * it is there) is no coverage gap: the matrix is made without interactions
 * and rankGaps leaves it out.
 */
export interface OpenGap {
  segmentId: string;
  phaseId: string;
  channelId: string;
  kind: string;
  severity: number;
  message: string;
}

export interface CoverageLook {
  gaps: (OpenGap & { event: Record<string, unknown> })[];
  /** Every cell by segment|phase|channel, to tell how a closed gap's cell stands now. */
  cells: Map<string, MatrixCell & { journey: { id: string; key: string } }>;
  changesAt: Date;
}

const cellKey = (c: { segmentId: string; phaseId: string; channelId: string }) => `${c.segmentId}|${c.phaseId}|${c.channelId}`;

export async function lookAtCoverage(database: Database, workspaceId: string, now: Date): Promise<CoverageLook> {
  const journeys = await database.prisma.journeyModel.findMany({ where: { workspaceId }, select: { key: true }, orderBy: { key: 'asc' } });
  const look: CoverageLook = { gaps: [], cells: new Map(), changesAt: new Date('9999-01-01T00:00:00.000Z') };
  for (const { key } of journeys) {
    const matrix = await contentMatrix(database, workspaceId, { journey: key, at: now });
    if (matrix.changesAt < look.changesAt) look.changesAt = matrix.changesAt;
    for (const cell of matrix.cells) look.cells.set(cellKey({ segmentId: cell.segment.id, phaseId: cell.phase.id, channelId: cell.channel.id }), { ...cell, journey: matrix.journey });
    for (const gap of rankGaps(matrix)) {
      const where = { segmentId: gap.cell.segment.id, phaseId: gap.cell.phase.id, channelId: gap.cell.channel.id };
      look.gaps.push({
        ...where,
        kind: gap.kind,
        severity: gap.severity,
        message: gap.message,
        event: { ...cellData({ ...gap.cell, journey: matrix.journey }), kind: gap.kind, severity: gap.severity, message: gap.message, suggestedFormats: gap.suggestedFormats },
      });
    }
  }
  return look;
}

/** gap_opened for gaps not announced yet; gap_closed, with the kind that was announced, for announced ones now closed. */
export function coverageEvents(announced: OpenGap[], look: CoverageLook): NewEvent[] {
  const known = new Set(announced.map(cellKey));
  const open = new Set(look.gaps.map(cellKey));
  const opened: NewEvent[] = look.gaps.filter((g) => !known.has(cellKey(g))).map((g) => ({ type: 'coverage.gap_opened', data: g.event }));
  const closed: NewEvent[] = announced
    .filter((g) => !open.has(cellKey(g)) && look.cells.has(cellKey(g)))
    .map((g) => ({ type: 'coverage.gap_closed', data: { ...cellData(look.cells.get(cellKey(g))!), kind: g.kind, severity: g.severity, message: g.message } }));
  return [...opened, ...closed];
}

function cellData(cell: MatrixCell & { journey: { id: string; key: string } }): Record<string, unknown> {
  return {
    object: 'ContentGap',
    journey: { id: encodeGlobalID('JourneyModel', cell.journey.id), key: cell.journey.key },
    segment: { id: encodeGlobalID('Segment', cell.segment.id), key: cell.segment.key },
    phase: { id: encodeGlobalID('Phase', cell.phase.id), key: cell.phase.key, scope: cell.phase.scope },
    channel: { id: encodeGlobalID('Channel', cell.channel.id), key: cell.channel.key },
    status: cell.status,
    live: cell.live,
    expectedMinimum: cell.expectedMinimum,
  };
}

/**
 * A cell's one status, from its expected minimum and its counts. The order
 * of the checks is the order of severity where two statuses could apply:
 * nothing live (MISSING, or PLANNED_ONLY with pieces in the pipeline), then
 * STALE (every live piece past review), then THIN (fewer live than
 * expected), then EXPIRING (covered today, not at the end of the look-ahead
 * window).
 */
export type CellStatus = 'NOT_EXPECTED' | 'COVERED' | 'THIN' | 'MISSING' | 'PLANNED_ONLY' | 'STALE' | 'EXPIRING';

export interface CellFacts {
  /** 0 when the cell is not expected. */
  expectedMinimum: number;
  live: number;
  /** Live pieces that are not stale. */
  liveFresh: number;
  /** Pieces live at the end of the look-ahead window (lasting live pieces and their replacements). */
  liveAtHorizon: number;
  /** Pieces in the pipeline: IDEA, DRAFT, IN_REVIEW, SCHEDULED. */
  planned: number;
}

export function cellStatus(cell: CellFacts): CellStatus {
  if (cell.expectedMinimum === 0) return 'NOT_EXPECTED';
  if (cell.live === 0) return cell.planned > 0 ? 'PLANNED_ONLY' : 'MISSING';
  if (cell.liveFresh === 0) return 'STALE';
  if (cell.live < cell.expectedMinimum) return 'THIN';
  if (cell.liveAtHorizon < cell.expectedMinimum) return 'EXPIRING';
  return 'COVERED';
}

/** Covered expected cells are the ones that meet their minimum today with fresh content: COVERED, and EXPIRING (covered today). */
export function isCovered(status: CellStatus): boolean {
  return status === 'COVERED' || status === 'EXPIRING';
}

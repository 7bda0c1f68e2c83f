import type { Matrix, MatrixCell } from '../matrix/analysis.js';
import type { CellInteractions } from '../matrix/frame.js';

/**
 * UNDERPERFORMING: content is live in a cell, but the cell converts (or,
 * where none of its phase's cells records conversions, is clicked) at less
 * than UNDERPERFORMING_SHARE of its phase's median. The median is taken over
 * every cell of the phase in the journey (all segments and channels, not
 * only those shown) with at least MIN_IMPRESSIONS impressions; a cell is
 * judged only with that many impressions itself, so a handful of views never
 * makes a gap. It is a gap kind of its own, not a coverage status: the
 * cell's status, the coverage summaries and coverage webhooks ignore it.
 */
export const UNDERPERFORMING_SHARE = 0.5;
export const MIN_IMPRESSIONS = 200;

export type PerformanceMeasure = 'conversions' | 'clicks';

export interface Underperformance {
  cell: MatrixCell;
  measure: PerformanceMeasure;
  rate: number;
  median: number;
  /** 1 − rate / median: how far below its phase the cell is, 0.5..1. */
  shortfall: number;
}

export function underperformingCells(matrix: Matrix): Underperformance[] {
  if (!matrix.interactions) return [];
  const benchmarks = phaseBenchmarks(matrix.interactions);
  const found: Underperformance[] = [];
  for (const cell of matrix.cells) {
    const benchmark = benchmarks.get(cell.phase.id);
    if (!benchmark || cell.live === 0 || cell.engagement.impressions < MIN_IMPRESSIONS || benchmark.median <= 0) continue;
    const rate = rateOf(cell.engagement, benchmark.measure);
    if (rate < UNDERPERFORMING_SHARE * benchmark.median) {
      found.push({ cell, measure: benchmark.measure, rate, median: benchmark.median, shortfall: 1 - rate / benchmark.median });
    }
  }
  return found;
}

/** Per phase id: what it is judged by, and the median rate of its cells with enough impressions. */
function phaseBenchmarks(interactions: Map<string, CellInteractions>): Map<string, { measure: PerformanceMeasure; median: number }> {
  const byPhase = new Map<string, CellInteractions[]>();
  for (const [key, counts] of interactions) {
    if (counts.impressions < MIN_IMPRESSIONS) continue;
    const phaseId = key.split('|')[1] as string;
    byPhase.set(phaseId, [...(byPhase.get(phaseId) ?? []), counts]);
  }
  const out = new Map<string, { measure: PerformanceMeasure; median: number }>();
  for (const [phaseId, cells] of byPhase) {
    const measure: PerformanceMeasure = cells.some((c) => c.conversions > 0) ? 'conversions' : 'clicks';
    out.set(phaseId, { measure, median: median(cells.map((c) => rateOf(c, measure))) });
  }
  return out;
}

function rateOf(counts: CellInteractions, measure: PerformanceMeasure): number {
  return counts.impressions > 0 ? counts[measure] / counts.impressions : 0;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

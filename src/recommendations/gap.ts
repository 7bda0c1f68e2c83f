import { expectedMinimum, type CoverageRuleFacts } from '../gaps/expectation.js';
import { gapSeverity, type CoverageGapKind } from '../gaps/severity.js';
import { cellKey, type Catalog, type CatalogTouchpoint } from '../workspaces/catalog.js';
import type { Cell } from './cell.js';

/** An expected cell with nothing live: what the integrator should alert on. */
export interface CellGap {
  kind: Extract<CoverageGapKind, 'MISSING' | 'PLANNED_ONLY'>;
  severity: number;
  expectedMinimum: number;
  /** Pieces in the pipeline (IDEA..SCHEDULED) for the cell. */
  planned: number;
  touchpoints: CatalogTouchpoint[];
}

/**
 * For a cell with nothing live: the touchpoints at the cell (for the segment
 * or for all segments) and the coverage rules that match it, from the
 * catalog. Null when the cell is not expected: then an empty answer is no gap.
 */
export function cellGap(catalog: Catalog, cell: Cell, planned: number): CellGap | null {
  const segment = cell.chain[0]?.id ?? '';
  const touchpoints = (catalog.touchpoints.get(cellKey(cell.phase.id, cell.channel.id)) ?? []).filter((t) => t.segmentId === null || t.segmentId === segment);
  const rules = cellRules(catalog, cell);
  const minimum = expectedMinimum(rules, touchpoints.length);
  if (minimum === 0) return null;
  const kind = planned > 0 ? 'PLANNED_ONLY' : 'MISSING';
  return { kind, severity: gapSeverity(kind, cell.phase.scope, touchpoints), expectedMinimum: minimum, planned, touchpoints };
}

/** The coverage rules that match the cell (for the segment itself or all segments); the most specific wins. */
export function cellRules(catalog: Catalog, cell: Cell): CoverageRuleFacts[] {
  const segment = cell.chain[0]?.id ?? '';
  return catalog.rules.filter(
    (r) => (r.segmentId === null || r.segmentId === segment) && (r.phaseId === null || r.phaseId === cell.phase.id) && (r.channelId === null || r.channelId === cell.channel.id),
  );
}

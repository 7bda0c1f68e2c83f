import type { Scope } from '../generated/sqlite/enums.js';

/**
 * How much a gap hurts, 0..100. The gap kind sets the base; touchpoints that
 * are sales opportunities or carry negative emotion raise it (fix the
 * painful moments first); earlier scopes weigh more, because a journey loses
 * most at its first broken step. An UNDERPERFORMING cell's base grows with
 * its shortfall against its phase's median: 20 + 20 × shortfall, so from 30
 * (at half the median, as much as THIN) to 40 (nothing at all, as much as
 * STALE).
 */
/** The kinds that follow from a cell's coverage status. */
export type CoverageGapKind = 'MISSING' | 'STALE' | 'THIN' | 'EXPIRING' | 'PLANNED_ONLY';
export type GapKind = CoverageGapKind | 'UNDERPERFORMING';

const KIND_BASE: Record<GapKind, number> = { MISSING: 50, STALE: 40, THIN: 30, EXPIRING: 25, PLANNED_ONLY: 20, UNDERPERFORMING: 20 };
/** Added to UNDERPERFORMING's base per unit of shortfall (1 − rate / median). */
const SHORTFALL_WEIGHT = 20;
const SCOPE_WEIGHT: Record<Scope, number> = { BECOME: 1.2, BE: 1.1, STAY: 1 };

export interface GapTouchpoint {
  emotion: number;
  salesOpportunity: boolean;
}

/** `shortfall`: for UNDERPERFORMING, 1 − the cell's rate / its phase's median (0..1). */
export function gapSeverity(kind: GapKind, scope: Scope, touchpoints: GapTouchpoint[], shortfall = 0): number {
  const sales = touchpoints.some((t) => t.salesOpportunity) ? 10 : 0;
  const worstEmotion = Math.min(0, ...touchpoints.map((t) => t.emotion));
  const pain = -worstEmotion * 7.5; // -2 → +15
  const base = KIND_BASE[kind] + (kind === 'UNDERPERFORMING' ? SHORTFALL_WEIGHT * Math.min(1, Math.max(0, shortfall)) : 0);
  const raw = (base + sales + pain) * SCOPE_WEIGHT[scope];
  return Math.round(Math.min(100, raw) * 10) / 10;
}

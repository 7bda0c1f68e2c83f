import type { Scope } from '../generated/sqlite/enums.js';

/**
 * How much a gap hurts, 0..100. The gap kind sets the base; touchpoints that
 * are sales opportunities or carry negative emotion raise it (fix the
 * painful moments first); earlier scopes weigh more, because a journey loses
 * most at its first broken step.
 */
export type GapKind = 'MISSING' | 'STALE' | 'THIN' | 'EXPIRING' | 'PLANNED_ONLY';

const KIND_BASE: Record<GapKind, number> = { MISSING: 50, STALE: 40, THIN: 30, EXPIRING: 25, PLANNED_ONLY: 20 };
const SCOPE_WEIGHT: Record<Scope, number> = { BECOME: 1.2, BE: 1.1, STAY: 1 };

export interface GapTouchpoint {
  emotion: number;
  salesOpportunity: boolean;
}

export function gapSeverity(kind: GapKind, scope: Scope, touchpoints: GapTouchpoint[]): number {
  const sales = touchpoints.some((t) => t.salesOpportunity) ? 10 : 0;
  const worstEmotion = Math.min(0, ...touchpoints.map((t) => t.emotion));
  const pain = -worstEmotion * 7.5; // -2 → +15
  const raw = (KIND_BASE[kind] + sales + pain) * SCOPE_WEIGHT[scope];
  return Math.round(Math.min(100, raw) * 10) / 10;
}

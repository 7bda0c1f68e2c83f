/**
 * Whether a cell of the content matrix is expected, and how many live pieces
 * it needs. A coverage rule names (segment or all, phase or all, channel or
 * all); the most specific matching rule wins, and between equally specific
 * rules segment beats phase beats channel. Without a rule, a touchpoint at
 * the cell expects one live piece.
 */
export interface CoverageRuleFacts {
  segmentId: string | null;
  phaseId: string | null;
  channelId: string | null;
  minLive: number | null;
  notExpected: boolean;
  /** Content of other journey models' phases (the crosswalk) counts in cells with nothing live of their own. */
  countCrosswalk: boolean;
}

export function winningRule<R extends CoverageRuleFacts>(rules: R[]): R | undefined {
  return [...rules].sort((a, b) => rank(b) - rank(a))[0];
}

/** The expected minimum of live pieces; 0 means not expected. */
export function expectedMinimum(rules: CoverageRuleFacts[], touchpointCount: number): number {
  const rule = winningRule(rules);
  if (rule) return rule.notExpected ? 0 : Math.max(1, rule.minLive ?? 1);
  return touchpointCount > 0 ? 1 : 0;
}

// Specificity first (dimensions named), then which dimensions: segment 4, phase 2, channel 1.
function rank(rule: CoverageRuleFacts): number {
  const named = [rule.segmentId, rule.phaseId, rule.channelId].filter((d) => d !== null).length;
  return named * 8 + (rule.segmentId ? 4 : 0) + (rule.phaseId ? 2 : 0) + (rule.channelId ? 1 : 0);
}

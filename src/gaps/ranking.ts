import type { ContentFormat, Scope } from '../generated/sqlite/enums.js';
import type { Matrix, MatrixCell } from '../matrix/analysis.js';
import { suggestedFormats } from './formats.js';
import { gapSeverity, type CoverageGapKind, type GapKind } from './severity.js';
import { UNDERPERFORMING_SHARE, underperformingCells, type Underperformance } from './underperforming.js';

/**
 * The cells of a matrix that need work, most severe first; equal severities
 * keep the matrix's order (segment, then phase, then channel), coverage gaps
 * before UNDERPERFORMING ones, so the ranking is stable between calls. A
 * cell has at most one coverage gap (from its status) and, with
 * `performance` and a matrix made with its interactions, may also be
 * UNDERPERFORMING: then it is listed twice, once per kind.
 */
export interface ContentGap {
  kind: GapKind;
  severity: number;
  message: string;
  suggestedFormats: ContentFormat[];
  cell: MatrixCell;
}

export function rankGaps(matrix: Matrix, kinds?: readonly GapKind[] | null, options: { performance?: boolean } = {}): ContentGap[] {
  const gaps: ContentGap[] = [];
  for (const cell of matrix.cells) {
    const kind = gapKindOf(cell);
    if (!kind || (kinds && !kinds.includes(kind))) continue;
    gaps.push({
      kind,
      severity: gapSeverity(kind, cell.phase.scope, cell.touchpoints),
      message: explainGap(kind, cell, matrix),
      suggestedFormats: suggestedFormats(cell.phase.archetype, cell.segment.market),
      cell,
    });
  }
  if (options.performance && (!kinds || kinds.includes('UNDERPERFORMING'))) {
    for (const found of underperformingCells(matrix)) {
      gaps.push({
        kind: 'UNDERPERFORMING',
        severity: gapSeverity('UNDERPERFORMING', found.cell.phase.scope, found.cell.touchpoints, found.shortfall),
        message: explainUnderperformance(found),
        suggestedFormats: suggestedFormats(found.cell.phase.archetype, found.cell.segment.market),
        cell: found.cell,
      });
    }
  }
  // Array.prototype.sort is stable: ties keep the matrix order.
  return gaps.sort((a, b) => b.severity - a.severity);
}

export function gapKindOf(cell: MatrixCell): CoverageGapKind | null {
  return cell.status === 'NOT_EXPECTED' || cell.status === 'COVERED' ? null : cell.status;
}

const SCOPE_WORDS: Record<Scope, string> = { BECOME: 'becoming a customer', BE: 'being a customer', STAY: 'staying a customer' };

/** One sentence (or two) for people: what is wrong, where, and who expects content there. */
export function explainGap(kind: CoverageGapKind, cell: MatrixCell, settings: { freshnessDays: number; expiryLookaheadDays: number }): string {
  // A status judged on crosswalk content says so (matrix/crosswalk.ts).
  const live = cell.countedCrosswalk ?? cell.live;
  const crosswalk = cell.countedCrosswalk === null ? '' : ' (content of other journey models, counted by the coverage rule)';
  const what: Record<CoverageGapKind, string> = {
    MISSING: 'Nothing is live or in the pipeline',
    PLANNED_ONLY: `Nothing is live yet (${plural(cell.planned, 'piece')} in the pipeline)`,
    THIN: `Only ${live} of ${plural(cell.expectedMinimum, 'expected live piece')} are live${crosswalk}`,
    STALE: `Every live piece (${live}) is past its review date or older than ${settings.freshnessDays} days${crosswalk}`,
    EXPIRING: `The live content${crosswalk} expires within ${settings.expiryLookaheadDays} days and nothing replaces it`,
  };
  return `${what[kind]} ${where(cell)}. ${expectedBy(cell)}`;
}

function where(cell: MatrixCell): string {
  return `for segment "${cell.segment.name}" in phase "${cell.phase.name}" (${cell.phase.scope}: ${SCOPE_WORDS[cell.phase.scope]}) on channel "${cell.channel.name}"`;
}

function explainUnderperformance({ cell, measure, rate, median }: Underperformance): string {
  const counted = measure === 'conversions' ? `${cell.engagement.conversions} conversions` : `${cell.engagement.clicks} clicks`;
  return (
    `Live content (${plural(cell.live, 'piece')}) ${measure === 'conversions' ? 'converts' : 'is clicked'} at ${percent(rate)} (${counted} from ${cell.engagement.impressions} impressions) ${where(cell)}, ` +
    `below ${UNDERPERFORMING_SHARE * 100}% of the phase's median of ${percent(median)}.`
  );
}

function percent(rate: number): string {
  return `${(rate * 100).toFixed(1)}%`;
}

function expectedBy(cell: MatrixCell): string {
  const minimum = plural(cell.expectedMinimum, 'live piece');
  const rule = cell.rule && !cell.rule.notExpected ? ruleWords(cell) : null;
  const moments = cell.touchpoints.map((t) => {
    const notes = [t.salesOpportunity ? 'a sales opportunity' : null, t.emotion !== 0 ? `emotion ${t.emotion > 0 ? '+' : ''}${t.emotion}` : null].filter(Boolean);
    return notes.length ? `"${t.name}" (${notes.join(', ')})` : `"${t.name}"`;
  });
  const touchpoints = moments.length ? `touchpoint${moments.length === 1 ? '' : 's'} ${moments.join(', ')}` : null;
  if (rule && touchpoints) return `A coverage rule for ${rule} expects ${minimum}, at ${touchpoints}.`;
  if (rule) return `A coverage rule for ${rule} expects ${minimum}.`;
  return `Expected by ${touchpoints}.`;
}

function ruleWords(cell: MatrixCell): string {
  const rule = cell.rule;
  const part = (named: boolean, word: string, name: string) => (named ? `${word} "${name}"` : `every ${word}`);
  return [
    part(rule?.segmentId != null, 'segment', cell.segment.name),
    part(rule?.phaseId != null, 'phase', cell.phase.name),
    part(rule?.channelId != null, 'channel', cell.channel.name),
  ].join(' × ');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

import type { ContentFormat, Scope } from '../generated/sqlite/enums.js';
import type { Matrix, MatrixCell } from '../matrix/analysis.js';
import { suggestedFormats } from './formats.js';
import { gapSeverity, type GapKind } from './severity.js';

/**
 * The cells of a matrix that need work, most severe first; equal severities
 * keep the matrix's order (segment, then phase, then channel), so the
 * ranking is stable between calls.
 */
export interface ContentGap {
  kind: GapKind;
  severity: number;
  message: string;
  suggestedFormats: ContentFormat[];
  cell: MatrixCell;
}

export function rankGaps(matrix: Matrix, kinds?: readonly GapKind[] | null): ContentGap[] {
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
  // Array.prototype.sort is stable: ties keep the matrix order.
  return gaps.sort((a, b) => b.severity - a.severity);
}

export function gapKindOf(cell: MatrixCell): GapKind | null {
  return cell.status === 'NOT_EXPECTED' || cell.status === 'COVERED' ? null : cell.status;
}

const SCOPE_WORDS: Record<Scope, string> = { BECOME: 'becoming a customer', BE: 'being a customer', STAY: 'staying a customer' };

/** One sentence (or two) for people: what is wrong, where, and who expects content there. */
export function explainGap(kind: GapKind, cell: MatrixCell, settings: { freshnessDays: number; expiryLookaheadDays: number }): string {
  // A status judged on crosswalk content says so (matrix/crosswalk.ts).
  const live = cell.countedCrosswalk ?? cell.live;
  const crosswalk = cell.countedCrosswalk === null ? '' : ' (content of other journey models, counted by the coverage rule)';
  const what: Record<GapKind, string> = {
    MISSING: 'Nothing is live or in the pipeline',
    PLANNED_ONLY: `Nothing is live yet (${plural(cell.planned, 'piece')} in the pipeline)`,
    THIN: `Only ${live} of ${plural(cell.expectedMinimum, 'expected live piece')} are live${crosswalk}`,
    STALE: `Every live piece (${live}) is past its review date or older than ${settings.freshnessDays} days${crosswalk}`,
    EXPIRING: `The live content${crosswalk} expires within ${settings.expiryLookaheadDays} days and nothing replaces it`,
  };
  const where = `for segment "${cell.segment.name}" in phase "${cell.phase.name}" (${cell.phase.scope}: ${SCOPE_WORDS[cell.phase.scope]}) on channel "${cell.channel.name}"`;
  return `${what[kind]} ${where}. ${expectedBy(cell)}`;
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

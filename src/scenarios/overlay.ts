import type { CountsOverlay } from '../matrix/analysis.js';
import { addPart, cellId, zeros, type CellCounts } from '../matrix/cells.js';
import type { WhatIf } from './what-if.js';

/**
 * The matrix as if a scenario were made: the frame's cell counts, read as
 * usual, minus the parts of the target rows its changes take away, plus the
 * parts of those they bring, each judged at the matrix's instant by the
 * rule the write-time rebuild uses (matrix/cells.ts addPart). A kept row's
 * counts hold for every instant it is usable at, and so does each of its
 * rows' part, so taking a part away at the matrix's instant is exact.
 * Nothing is read or written: the cost follows the scenario.
 */
export function scenarioOverlay(whatIf: WhatIf): CountsOverlay {
  return (frame, counts) => {
    const phases = new Set(frame.phases.map((p) => p.id));
    const channels = new Set(frame.channels.map((c) => c.id));
    const segments = new Set(['', ...frame.segments.map((s) => s.id)]);
    const settings = { freshnessDays: frame.freshnessDays, lookaheadDays: frame.expiryLookaheadDays };
    // Copies: the read rows may still be on their way to being kept for the next matrix.
    const rows = new Map<string, CellCounts>(counts.map((c) => [cellId(c), { ...c }]));
    const change = (target: WhatIf['added'][number], sign: 1 | -1) => {
      if (!phases.has(target.phaseId) || !channels.has(target.channelId) || !segments.has(target.segmentId)) return;
      let row = rows.get(cellId(target));
      if (!row) rows.set(cellId(target), (row = zeros(frame.workspaceId, target, frame.at, settings)));
      addPart(row, target, sign, frame.at);
    };
    for (const target of whatIf.removed) change(target, -1);
    for (const target of whatIf.added) change(target, 1);
    return [...rows.values()];
  };
}

import { readCells } from '../../src/matrix/cells.js';
import { body, type Scenario } from './scenarios.js';
import { BENCH_WORKSPACE_ID, type BenchShape } from './synthetic.js';
import type { Database } from '../../src/db/client.js';

/**
 * The full content matrix of the 7-phase journey 'b2b': all its segments ×
 * 7 phases × 8 channels, every cell with its counts and status, plus the
 * summaries. Beside it, the bare read of the journey's kept cell counts
 * (src/matrix/cells.ts) on the same database, at one connection so the two
 * p50s compare.
 */

/** What a heat map draws: every cell with its counts and status, plus the summaries. */
export const MATRIX_FIELDS = `
    segments { key } phases { key } channels { key }
    cells { status liveCount freshLiveCount plannedCount expectedMinimum counts { idea draft inReview scheduled published archived } }
    summary { overall { ratio } perSegment { key ratio } perPhase { key ratio } perScope { key ratio } perChannel { key ratio } }`;

export const MATRIX = `query ($journey: String!) {
  contentMatrix(journey: $journey) {${MATRIX_FIELDS}
  }
}`;

export const matrixScenario: Scenario = {
  name: 'matrix',
  connections: 1,
  bodies: () => [body(MATRIX, { journey: 'b2b' })],
  bareSql: keptCellsOfB2b,
};

/** The kept counts of the 7-phase journey's cells, as the matrix and gaps read them. */
export function keptCellsOfB2b({ reader: db }: Database, shape: BenchShape) {
  const journey = shape.journeys.find((j) => j.key === 'b2b');
  if (!journey) throw new Error('the benchmark workspace has no journey "b2b"');
  return readCells(db, BENCH_WORKSPACE_ID, journey.phases.map((p) => p.id), shape.channels.map((c) => c.id), journey.segments.map((s) => s.id));
}

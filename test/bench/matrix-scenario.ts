import { countTargets } from '../../src/matrix/counts.js';
import { body, type Scenario } from './scenarios.js';
import { BENCH_WORKSPACE_ID } from './synthetic.js';

/**
 * The full content matrix of the 7-phase journey 'b2b': all its segments ×
 * 7 phases × 8 channels, every cell with its counts and status, plus the
 * summaries. Beside it, the bare aggregate statement (src/matrix/counts.ts)
 * on the same database, at one connection so the two p50s compare.
 */
const DAY = 86_400_000;

/** What a heat map draws: every cell with its counts and status, plus the summaries. */
export const MATRIX_FIELDS = `
    segments { key } phases { key } channels { key }
    cells { status liveCount freshLiveCount plannedCount expectedMinimum counts { idea draft inReview scheduled published archived } }
    summary { overall { ratio } perSegment { key ratio } perPhase { key ratio } perScope { key ratio } perChannel { key ratio } }`;

const MATRIX = `query ($journey: String!) {
  contentMatrix(journey: $journey) {${MATRIX_FIELDS}
  }
}`;

export const matrixScenario: Scenario = {
  name: 'matrix',
  connections: 1,
  bodies: () => [body(MATRIX, { journey: 'b2b' })],
  bareSql: ({ reader: db }, shape) => {
    const journey = shape.journeys.find((j) => j.key === 'b2b');
    if (!journey) throw new Error('the benchmark workspace has no journey "b2b"');
    const at = new Date();
    return countTargets(db, {
      workspaceId: BENCH_WORKSPACE_ID,
      at,
      freshSince: new Date(at.getTime() - 365 * DAY),
      horizon: new Date(at.getTime() + 14 * DAY),
      segmentIds: journey.segments.map((s) => s.id),
      phaseIds: journey.phases.map((p) => p.id),
      channelIds: shape.channels.map((c) => c.id),
    });
  },
};

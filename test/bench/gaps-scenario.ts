import { keptCellsOfB2b } from './matrix-scenario.js';
import { body, type Scenario } from './scenarios.js';

/**
 * What a strategist opens first: the 20 worst gaps of the 7-phase journey
 * 'b2b' over all its segments and channels, each with its cell, severity,
 * message and suggested formats. The gaps come from the same matrix, so its
 * bare SQL is the same read of kept cell counts.
 */
const GAPS = `query ($journey: String!) {
  contentGaps(journey: $journey, first: 20) {
    totalCount
    edges { node { kind severity message suggestedFormats segment { key } phase { key } channel { key } cell { liveCount expectedMinimum } } }
  }
}`;

export const gapsScenario: Scenario = {
  name: 'gaps',
  connections: 1,
  bodies: () => [body(GAPS, { journey: 'b2b' })],
  bareSql: keptCellsOfB2b,
};

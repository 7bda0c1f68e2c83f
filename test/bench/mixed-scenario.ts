import { OVERVIEW, variables, year } from './calendar-scenario.js';
import { recommendations } from './delivery-scenarios.js';
import { MATRIX } from './matrix-scenario.js';
import { body, type Scenario } from './scenarios.js';

/**
 * A website and a strategy team on one server: uncached recommendations
 * (the response cache off, as recommend-uncached, which runs on the same
 * server just before, for the same figures without the heavy clients) at
 * the run's concurrency, while 4 clients loop on the full matrix of the
 * 7-phase journey and 1 on the year calendar overview.
 */
export const mixedScenario: Scenario = {
  name: 'mixed',
  role: 'DELIVERY',
  env: { RESPONSE_CACHE_SIZE: '0' },
  bodies: recommendations,
  background: [
    { name: 'matrix', connections: 4, bodies: () => [body(MATRIX, { journey: 'b2b' })] },
    { name: 'calendar-overview', connections: 1, bodies: () => [body(OVERVIEW, variables(year()))] },
  ],
};

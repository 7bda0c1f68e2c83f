import { keptCellsOfB2b } from './matrix-scenario.js';
import { body, type Scenario } from './scenarios.js';

/**
 * The heat map of the 7-phase journey 'b2b' (all segments) as an SVG, by
 * its report link: the same matrix as the matrix scenario, drawn, with every
 * square's tooltip and gap sentence. Compare its p50 with the matrix's (the
 * target: at most 50 ms more). Its statements are counted on the GraphQL
 * matrix it draws; the link adds the token's lookup.
 */
export const heatMapScenario: Scenario = {
  name: 'heat-map',
  connections: 1,
  bodies: () => [body('query ($journey: String!) { contentMatrix(journey: $journey) { cells { status } } }', { journey: 'b2b' })],
  async requests({ base, key }) {
    const created = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: body('mutation { createReportToken(input: { name: "bench" }) { token } }'),
    });
    const token = ((await created.json()) as { data?: { createReportToken: { token: string } } }).data?.createReportToken.token;
    if (!token) throw new Error('no report token for the heat map');
    const path = `/reports/matrix.svg?${new URLSearchParams({ token, journey: 'b2b' })}`;
    const first = await fetch(`${base}${path}`);
    if (first.status !== 200) throw new Error(`heat map: ${first.status} ${await first.text()}`);
    return [{ method: 'GET', path, headers: {} }];
  },
  bareSql: keptCellsOfB2b,
};

import { MATRIX_FIELDS } from './matrix-scenario.js';
import { body, type LoadRequest, type Scenario } from './scenarios.js';

/**
 * The matrix of the 7-phase journey 'b2b' with a what-if scenario of 50
 * planned pieces, beside the same matrix without it, in one run on one
 * server (the machine is shared: compare the ratio, not the figures). The
 * target: the scenario adds at most 25 % to the matrix's p50.
 */
const MATRIX_WITH = `query ($journey: String!, $scenario: ID) {
  contentMatrix(journey: $journey, scenario: $scenario) {${MATRIX_FIELDS}
  }
}`;

const PLANNED = 50;

export const whatIfScenario: Scenario = {
  name: 'matrix-what-if',
  connections: 1,
  bodies: () => [body(MATRIX_WITH, { journey: 'b2b' })],
  async measure({ bases, keys, shape, duration, load }) {
    const base = bases[0] as string;
    const gql = async (query: string, variables: Record<string, unknown>) => {
      const response = await fetch(`${base}/graphql`, { method: 'POST', headers: { authorization: `Bearer ${keys.ADMIN}`, 'content-type': 'application/json' }, body: body(query, variables) });
      return ((await response.json()) as { data?: Record<string, any> }).data;
    };
    const created = await gql('mutation ($name: String!) { createScenario(input: { name: $name }) { scenario { id } } }', { name: `bench ${Date.now()}` });
    const scenario = created?.createScenario.scenario.id as string;
    const journey = shape.journeys.find((j) => j.key === 'b2b');
    if (!scenario || !journey) throw new Error('no scenario or journey for the what-if benchmark');
    for (let i = 0; i < PLANNED; i++) {
      const input = {
        scenario, title: `planned ${i}`, format: 'ARTICLE', locale: 'nl-NL',
        phases: [{ journey: 'b2b', phase: journey.phases[i % journey.phases.length]!.key }],
        channels: [shape.channels[i % shape.channels.length]!.key],
        segments: i % 3 ? [journey.segments[i % journey.segments.length]!.key] : [],
      };
      const added = await gql('mutation ($input: AddScenarioPieceInput!) { addScenarioPiece(input: $input) { userErrors { message } } }', { input });
      if (added?.addScenarioPiece.userErrors.length) throw new Error(JSON.stringify(added.addScenarioPiece.userErrors));
    }
    const post = (variables: Record<string, unknown>): LoadRequest[] => [
      { method: 'POST', path: '/graphql', headers: { authorization: `Bearer ${keys.ADMIN}`, 'content-type': 'application/json' }, body: body(MATRIX_WITH, variables) },
    ];
    await load(post({ journey: 'b2b' }), 2, 1);
    const plain = await load(post({ journey: 'b2b' }), duration, 1);
    await load(post({ journey: 'b2b', scenario }), 2, 1);
    const withScenario = await load(post({ journey: 'b2b', scenario }), duration, 1);
    return { ...withScenario, plainMatrix: plain, plannedPieces: PLANNED, p50Ratio: Math.round((withScenario.latencyMs.p50 / plain.latencyMs.p50) * 1000) / 1000 };
  },
};

import { encodeGlobalID } from '@pothos/plugin-relay';
import { MATRIX_FIELDS } from './matrix-scenario.js';
import { body, type Scenario } from './scenarios.js';

/**
 * What a cheap request waits behind the worst that passes the query limits:
 * ten clients loop on the heaviest requests the limits let through, while
 * one client loops on `{ __typename }`; the figures are that one client's.
 * The heavy requests: 100 content pieces by id with their relations (the
 * whole id budget, just under the cost limit), two title searches that match
 * nothing (each reads every piece for its page and again for its count), and
 * two full matrices of the 7-phase journey (two is the cap on expensive
 * fields).
 */
const segmentChain = (depth: number): string =>
  depth === 0 ? 'key name' : `key name description market parent { ${segmentChain(depth - 1)} } journey { key name phases { key name archetype scope } }`;

const NODES = `query ($ids: [ID!]!) {
  nodes(ids: $ids) {
    id
    ... on ContentPiece { title summary url format status locale channels { key name kind } phases { key name journey { key name } } segments { ${segmentChain(3)} } }
  }
}`;

const SEARCH = `query ($filter: ContentPieceFilter) {
  a: contentPieces(first: 100, filter: $filter) { totalCount edges { node { id title channels { key } segments { key } } } }
  b: contentPieces(first: 100, filter: $filter, orderBy: TITLE_ASC) { totalCount edges { node { id title channels { key } segments { key } } } }
}`;

const TWO_MATRICES = `query ($journey: String!) {
  a: contentMatrix(journey: $journey) {${MATRIX_FIELDS}
  }
  b: contentMatrix(journey: $journey) {${MATRIX_FIELDS}
  }
}`;

export const contentionScenario: Scenario = {
  name: 'contention',
  connections: 1,
  bodies: () => [body('{ __typename }')],
  background: [
    {
      name: 'worst-case',
      connections: 10,
      bodies: () => [
        body(NODES, { ids: Array.from({ length: 100 }, (_, i) => encodeGlobalID('ContentPiece', `bench-${i * 7}`)) }),
        body(SEARCH, { filter: { search: 'no such title' } }),
        body(TWO_MATRICES, { journey: 'b2b' }),
      ],
    },
  ],
};

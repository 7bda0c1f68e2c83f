import type { Db } from '../../src/db/client.js';
import { calendarScenario } from './calendar-scenario.js';
import { contentionScenario } from './contention-scenario.js';
import { matrixScenario } from './matrix-scenario.js';
import type { BenchShape } from './synthetic.js';

/** What the benchmark sends: each scenario cycles through these request bodies. */
export interface Scenario {
  name: string;
  bodies(shape: BenchShape): string[];
  /**
   * The same answer's core SQL, run directly on the database: the benchmark
   * times it in the same run and reports it beside the HTTP figures.
   */
  bareSql?(db: Db, shape: BenchShape): Promise<unknown>;
  /** Concurrency for this scenario, when it is not the run's (e.g. 1, to compare with bare SQL). */
  connections?: number;
  /** Load sent at the same time by other clients; the scenario's figures are measured behind it. */
  background?: { connections: number; bodies(shape: BenchShape): string[] };
}

export const body = (query: string, variables: Record<string, unknown> = {}) => JSON.stringify({ query, variables });

const RECOMMEND = `query ($segment: String!, $phase: String!, $channel: String!, $locale: Locale) {
  recommendedContent(segment: $segment, phase: $phase, channel: $channel, locale: $locale, first: 10) {
    totalCount gap { severity } edges { score reason { code message } node { id title url publishAt } }
  }
}`;

export const scenarios: Scenario[] = [
  { name: 'typename', bodies: () => [body('{ __typename }')] },
  {
    name: 'recommend',
    // 60 different cells, across both journeys, all tree depths and channels; a third asks for a locale.
    bodies: (shape) =>
      Array.from({ length: 60 }, (_, i) => {
        const journey = shape.journeys[i % shape.journeys.length]!;
        return body(RECOMMEND, {
          segment: journey.segments[(i * 7) % journey.segments.length]!.key,
          phase: journey.phases[i % journey.phases.length]!.key,
          channel: shape.channels[i % shape.channels.length]!.key,
          locale: i % 3 === 0 ? 'en-GB' : null,
        });
      }),
  },
  ...[matrixScenario, calendarScenario, contentionScenario].filter((s): s is Scenario => s !== null),
];

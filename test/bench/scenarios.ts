import type { Database } from '../../src/db/client.js';
import type { DatabaseConfig } from '../../src/db/config.js';
import type { Role } from '../../src/generated/sqlite/enums.js';
import { calendarMonthScenario, calendarOverviewScenario, calendarScenario } from './calendar-scenario.js';
import { contentionScenario } from './contention-scenario.js';
import { deliveryScenarios } from './delivery-scenarios.js';
import { engagementScenario } from './engagement-scenario.js';
import { gapsScenario } from './gaps-scenario.js';
import { interactionsAtScaleScenario } from './interactions-at-scale-scenario.js';
import { interactionsIngestScenario } from './interactions-scenario.js';
import { heatMapScenario } from './heat-map-scenario.js';
import { matrixScenario } from './matrix-scenario.js';
import { mixedScenario } from './mixed-scenario.js';
import type { BenchShape } from './synthetic.js';
import { webhooksScenario } from './webhooks-scenario.js';
import { replicaScenarios } from './replica-scenarios.js';
import { whatIfScenario } from './what-if-scenario.js';

/** One request autocannon sends. */
export interface LoadRequest {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** What a load prints: throughput, latency and how the answers went. */
export interface Figures {
  requestsPerSecond: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  requests: number;
  statuses: Record<string, number>;
  errors: number;
}

export interface MeasureContext {
  /** The running servers' base URLs (the scenario's `instances` of them). */
  bases: string[];
  keys: Record<Role, string>;
  shape: BenchShape;
  duration: number;
  connections: number;
  /** The database the servers run on, for a scenario that changes its data between loads. */
  config: DatabaseConfig;
  /** Loads the first server with these requests. */
  load(requests: LoadRequest[], seconds: number, clients: number): Promise<Figures>;
}

/** Clients sending heavy requests while a scenario is measured (with an ADMIN key). */
export interface Background {
  /** What the figures call this group. */
  name: string;
  connections: number;
  bodies(shape: BenchShape): string[];
}

/** What the benchmark sends: each scenario cycles through its requests. */
export interface Scenario {
  name: string;
  /** The key's role (default ADMIN). */
  role?: Role;
  /** Server settings (environment) the scenario needs; each set gets its own server and { __typename } baseline. */
  env?: Record<string, string>;
  /** Server processes on the one database (default 1). */
  instances?: number;
  /** POST bodies; also what the statements per request are counted on. */
  bodies(shape: BenchShape): string[];
  /** Requests made once the server runs (GETs, revalidations), instead of POSTing the bodies. */
  requests?(context: { base: string; key: string; shape: BenchShape }): Promise<LoadRequest[]>;
  /** A measurement of its own, instead of a plain load: its figures, and whatever else it checked. */
  measure?(context: MeasureContext): Promise<Figures & Record<string, unknown>>;
  /**
   * The same answer's core SQL, run directly on the database: the benchmark
   * times it in the same run and reports it beside the HTTP figures.
   */
  bareSql?(database: Database, shape: BenchShape): Promise<unknown>;
  /** Concurrency for this scenario, when it is not the run's (e.g. 1, to compare with bare SQL). */
  connections?: number;
  /** Load sent at the same time by other clients (groups of them, each on its own requests); the scenario's figures are measured behind it. */
  background?: Background[];
}

export const body = (query: string, variables: Record<string, unknown> = {}) => JSON.stringify({ query, variables });

export const scenarios: Scenario[] = [...deliveryScenarios, engagementScenario, ...[matrixScenario, whatIfScenario, heatMapScenario, gapsScenario, calendarOverviewScenario, calendarMonthScenario, calendarScenario, contentionScenario, mixedScenario, webhooksScenario, interactionsIngestScenario, interactionsAtScaleScenario].filter((s): s is Scenario => s !== null), ...replicaScenarios];

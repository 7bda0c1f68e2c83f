import { createHash, timingSafeEqual } from 'node:crypto';
import { createHistogram, usePrometheus, type FillLabelsFnParams } from '@graphql-yoga/plugin-prometheus';
import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Database, DatabaseUsage, FileUsage, PoolUsage } from '../db/client.js';
import type { ReplicaSet } from '../db/replicas.js';
import type { RequestLine } from './request-log.js';
import { webhookGauges } from '../webhooks/metrics.js';
import { FEED_PATH } from '../calendar/tokens.js';
import { REPORTS_PATH } from '../reports/tokens.js';
import { BEACON_PATH } from '../interactions/beacon.js';
import { GRAPHQL_PATH } from './routes.js';

export const METRICS_PATH = '/metrics';

/**
 * Prometheus metrics, served at /metrics to a scraper that sends the
 * METRICS_TOKEN as a bearer token (no token configured: no /metrics at all).
 *
 * Every label has a bounded set of values, and none names a workspace, a
 * key or a client: operation names are the one value clients choose, so
 * only the first MAX_OPERATION_LABELS distinct ones get their own series
 * and later ones count as "other".
 *
 * The GraphQL phases (parse, validate, execute) are measured by The Guild's
 * Prometheus plugin. The request duration is measured here, around the
 * whole request, because the plugin's own HTTP histogram only sees requests
 * that were parsed, and most DELIVERY answers come from the cache unparsed.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly operations = new OperationLabels();
  private readonly duration: Histogram<'route' | 'operation'>;
  private readonly responses: Counter<'route' | 'status'>;
  private readonly errors: Counter<'code'>;
  private readonly refusals: Counter<'budget'>;
  private readonly cache: Counter<'result'>;
  private readonly notModifiedAnswers: Counter;

  constructor(
    database: Database,
    private readonly token: string,
  ) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.duration = new Histogram({
      name: 'content_planning_request_duration_seconds',
      help: 'Time from a request\'s arrival to its response, by route (graphql, calendar_feed, reports, interactions, other) and GraphQL operation name',
      labelNames: ['route', 'operation'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.responses = new Counter({ name: 'content_planning_responses_total', help: 'Responses by route and HTTP status', labelNames: ['route', 'status'], registers });
    this.errors = new Counter({ name: 'content_planning_errors_total', help: 'Errors answered, by extensions.code (one per error in an answer)', labelNames: ['code'], registers });
    this.refusals = new Counter({ name: 'content_planning_rate_limited_total', help: 'Requests refused with 429, by the budget that was spent (address, key, token)', labelNames: ['budget'], registers });
    this.cache = new Counter({ name: 'content_planning_delivery_cache_total', help: 'Successful DELIVERY answers: served from the response cache (hit) or computed (miss)', labelNames: ['result'], registers });
    this.notModifiedAnswers = new Counter({ name: 'content_planning_delivery_not_modified_total', help: 'DELIVERY requests answered 304 Not Modified (a matching If-None-Match)', registers });
    databaseGauges(database, registers);
    webhookGauges(database, registers);
  }

  /** Before the rate limits: a scraper is never throttled (the token is long; see config.ts). */
  plugins(): Plugin[] {
    return [
      {
        onRequest: ({ request, url, endResponse }) => {
          if (url.pathname !== METRICS_PATH) return;
          if (!this.authorized(request.headers.get('authorization'))) {
            endResponse(new Response('Send the metrics token: Authorization: Bearer <METRICS_TOKEN>.\n', { status: 401, headers: { 'www-authenticate': 'Bearer', 'content-type': 'text/plain; charset=utf-8' } }));
            return;
          }
          return this.registry.metrics().then((body) => endResponse(new Response(body, { headers: { 'content-type': this.registry.contentType, 'cache-control': 'no-store' } })));
        },
      },
      usePrometheus({
        registry: this.registry,
        endpoint: false,
        skipIntrospection: true,
        metrics: {
          graphql_envelop_phase_parse: this.phase('graphql_envelop_phase_parse', 'Time spent parsing GraphQL documents', 'parse'),
          graphql_envelop_phase_validate: this.phase('graphql_envelop_phase_validate', 'Time spent validating GraphQL documents', 'validate'),
          graphql_envelop_phase_execute: this.phase('graphql_envelop_phase_execute', 'Time spent executing GraphQL operations (resolvers and SQL)', 'execute'),
          // Measured per request above, or by code below, with bounded labels.
          graphql_yoga_http_duration: false,
          graphql_envelop_request: false,
          graphql_envelop_request_duration: false,
          graphql_envelop_request_time_summary: false,
          graphql_envelop_error_result: false,
          graphql_envelop_phase_context: false,
          graphql_envelop_phase_subscribe: false,
          graphql_envelop_deprecated_field: false,
          graphql_envelop_schema_change: false,
        },
      }),
    ];
  }

  requestFinished(line: RequestLine): void {
    const route = routeOf(line.path);
    const operation = route === 'graphql' ? this.operations.of(line.operation) : 'none';
    this.duration.observe({ route, operation }, line.durationMs / 1000);
    this.responses.inc({ route, status: String(line.status) });
    for (const code of line.errorCodes) this.errors.inc({ code });
  }

  rateLimited(budget: 'address' | 'key' | 'token'): void {
    this.refusals.inc({ budget });
  }

  deliveryAnswered(fromCache: boolean): void {
    this.cache.inc({ result: fromCache ? 'hit' : 'miss' });
  }

  notModified(): void {
    this.notModifiedAnswers.inc();
  }

  private phase<Phase extends 'parse' | 'validate' | 'execute'>(name: string, help: string, phase: Phase) {
    return createHistogram({
      registry: this.registry,
      histogram: { name, help, labelNames: ['operationType', 'operationName'] as const },
      // The name as the document has it: the operationName parameter is the client's to fill.
      fillLabelsFn: (params: FillLabelsFnParams) => ({
        operationType: params.operationType ?? 'unknown',
        operationName: this.operations.of(params.document && getOperationAST(params.document, params.operationName)?.name?.value),
      }),
      phases: [phase],
    });
  }

  /** Compared as SHA-256 digests: equal lengths, in constant time. */
  private authorized(header: string | null): boolean {
    const sent = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '')?.[1];
    return sent !== undefined && timingSafeEqual(digest(sent), digest(this.token));
  }
}

/** The first this many distinct operation names get their own series; later ones count as "other". */
export const MAX_OPERATION_LABELS = 100;

const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,99}$/;

class OperationLabels {
  private readonly seen = new Set<string>();

  of(name: string | null | undefined): string {
    if (!name) return 'anonymous';
    if (this.seen.has(name)) return name;
    if (this.seen.size >= MAX_OPERATION_LABELS || !GRAPHQL_NAME.test(name)) return 'other';
    this.seen.add(name);
    return name;
  }
}

function routeOf(path: string): 'graphql' | 'calendar_feed' | 'reports' | 'interactions' | 'other' {
  if (path === GRAPHQL_PATH) return 'graphql';
  if (path === FEED_PATH) return 'calendar_feed';
  if (path.startsWith(REPORTS_PATH)) return 'reports';
  if (path === BEACON_PATH) return 'interactions';
  return 'other';
}

/** Read when scraped. */
function databaseGauges(database: Database, registers: Registry[]): void {
  const gauge = (name: string, help: string, read: (usage: DatabaseUsage) => number) =>
    new Gauge({
      name,
      help,
      registers,
      collect() {
        this.set(read(database.usage()));
      },
    });
  const pool = (pick: (usage: PoolUsage) => number) => (usage: DatabaseUsage) => (usage.provider === 'postgresql' ? pick(usage) : 0);
  const files = (pick: (usage: FileUsage) => number) => (usage: DatabaseUsage) => (usage.provider === 'sqlite' ? pick(usage) : 0);
  if (database.provider === 'postgresql') {
    gauge('content_planning_database_pool_connections', 'PostgreSQL connections the pool holds open, busy or idle', pool((u) => u.connections));
    gauge('content_planning_database_pool_idle_connections', 'PostgreSQL connections open and free', pool((u) => u.idle));
    gauge('content_planning_database_pool_waiting', 'Queries waiting for a free PostgreSQL connection (the pool is exhausted while above 0)', pool((u) => u.waiting));
    gauge('content_planning_database_pool_max_connections', 'The pool\'s size (DATABASE_POOL_SIZE)', pool((u) => u.max));
    if (database.replicas) replicaGauges(database.replicas, registers);
  } else {
    gauge('content_planning_sqlite_database_bytes', 'Size of the SQLite database file', files((u) => u.fileBytes));
    gauge('content_planning_sqlite_wal_bytes', 'Size of the SQLite write-ahead log (growing without end: checkpoints cannot finish)', files((u) => u.walBytes));
    gauge('content_planning_sqlite_writes_waiting', 'Write transactions of this process waiting for their turn at the SQLite file (one writes at a time; staying above 0: writes queue up)', files((u) => u.writesWaiting));
  }
}

/** Per replica (numbered as in DATABASE_REPLICA_URLS, never by host): usable or not, and its lag at the last check. */
function replicaGauges(replicas: ReplicaSet, registers: Registry[]): void {
  new Gauge({
    name: 'content_planning_replica_usable',
    help: 'Whether reads go to this replica (1): it answers and lags no more than REPLICA_MAX_LAG_MS; 0: skipped, its reads go to the primary',
    labelNames: ['replica'],
    registers,
    collect() {
      for (const status of replicas.status()) this.set({ replica: String(status.replica) }, status.state === 'ok' ? 1 : 0);
    },
  });
  new Gauge({
    name: 'content_planning_replica_lag_seconds',
    help: 'How far the replica was behind the primary at its last check (WAL replayed), in seconds; -1 when it could not be measured (down)',
    labelNames: ['replica'],
    registers,
    collect() {
      for (const status of replicas.status()) this.set({ replica: String(status.replica) }, status.lagMs === null ? -1 : status.lagMs / 1000);
    },
  });
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

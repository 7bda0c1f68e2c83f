import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import { offloadPlugin } from './analysis/offload.js';
import type { AnalysisThreads } from './analysis/threads.js';
import { KeyCache } from './auth/key-cache.js';
import { calendarFeedHandler, isFeedRequest } from './calendar/feed.js';
import type { Context } from './context.js';
import type { Database } from './db/client.js';
import { DEFAULT_MAX_BODY_BYTES } from './config.js';
import { createAdmission } from './http/admission.js';
import { METRICS_PATH, Metrics } from './http/metrics.js';
import { GRAPHQL_PATH, READ_METHODS, routesPlugin, type Route } from './http/routes.js';
import { observability } from './http/observability.js';
import { silentLogger, yogaLogger, type Logger } from './http/request-log.js';
import { corsPolicy } from './http/cors.js';
import { disableIntrospectionPlugin, errorCodesPlugin, hideSuggestionsPlugin } from './http/error-codes.js';
import { graphiqlOptions, graphiqlRenderer } from './http/graphiql.js';
import { LIVENESS_PATH, READINESS_PATH, readinessPlugin, type Readiness } from './http/health.js';
import { DEFAULT_QUERY_LIMITS, queryLimitPlugins, type QueryLimits } from './http/limits.js';
import { DEFAULT_RATE_LIMITS, RateLimiter, type RateLimiterStore, type RateLimits } from './http/rate-limit.js';
import { stringArgumentsPlugin } from './http/string-arguments.js';
import { isReportRequest, reportsHandler } from './reports/routes.js';
import { schema } from './schema.js';
import { Catalogs } from './workspaces/catalog.js';
import { persistedOperationPlugins } from './delivery/persisted-operations.js';
import { DEFAULT_DELIVERY_CACHE, deliveryCache, type DeliveryCacheOptions } from './delivery/response-cache.js';
import { CURSOR_SECRET, rememberedSecret } from './db/server-secrets.js';
import { mayKeep, primaryForMutations, readsFor } from './db/read-routing.js';
import type { WebhookSettings } from './webhooks/settings.js';
import { DEFAULT_INTERACTION_RETENTION_DAYS } from './interactions/retention.js';
import { InteractionSecrets } from './interactions/secrets.js';
import { BEACON_PATH, beaconHandler, isBeaconRequest } from './interactions/beacon.js';
import { FEED_PATH } from './calendar/tokens.js';
import { REPORTS_PATH } from './reports/tokens.js';
import type { InteractionSettings } from './interactions/settings.js';

export interface ServerOptions {
  database: Database;
  mode: 'development' | 'production';
  /** How long a valid key is remembered; 0 looks every key up on every request. */
  keyCacheSeconds?: number;
  /** Default: on in development only. */
  graphiql?: boolean;
  /** The key GraphiQL's Headers tab starts with (main.ts passes the demo DELIVERY key); a placeholder when absent. */
  graphiqlKey?: string;
  /** Default: on in development only. */
  introspection?: boolean;
  queryLimits?: QueryLimits;
  maxBodyBytes?: number;
  /** Origins browsers may call from; null or absent: any. */
  corsOrigins?: readonly string[] | null;
  rateLimits?: RateLimits;
  /** Where rate-limit counters live; in memory by default. */
  rateLimitStore?: RateLimiterStore;
  /** Shared with main.ts, which marks the server as draining on SIGTERM. */
  readiness?: Readiness;
  /** The key that signs paging cursors; read from (or made in) the database on first use when absent. */
  cursorKey?: Buffer;
  /** The DELIVERY answers' cache and their HTTP caching; on by default. */
  deliveryCache?: DeliveryCacheOptions;
  /** Where request lines and errors go; silent when absent. */
  logger?: Logger;
  /** The bearer token for /metrics; absent: no metrics are kept and /metrics is not served. */
  metricsToken?: string | null;
  /** The server's public origin for absolute URLs in answers; absent: each request's own origin. */
  publicUrl?: string | null;
  /** Where heavy queries execute (analysis/offload.ts); absent: on the main thread with the rest. */
  analysisThreads?: AnalysisThreads | null;
  /** How webhook endpoints are checked and their secrets sealed; absent: endpoints cannot be made (no key). The dispatcher runs beside the server (main.ts). */
  webhooks?: WebhookSettings;
  /** Days raw interactions are kept; events older are refused. Default 90. */
  interactionRetentionDays?: number;
}

/**
 * The GraphQL server, without a port: tests call `yoga.fetch(...)`, main.ts
 * wraps it in node:http.
 */
export function createServer(options: ServerOptions): YogaServerInstance<Record<string, unknown>, Context> {
  const { database, mode, keyCacheSeconds = 10 } = options;
  const development = mode === 'development';
  const keyCache = new KeyCache(keyCacheSeconds * 1000, database.versions);
  const feed = calendarFeedHandler(database);
  const reports = reportsHandler(database);
  const catalogs = new Catalogs(database);
  const interactions: InteractionSettings = { retentionDays: options.interactionRetentionDays ?? DEFAULT_INTERACTION_RETENTION_DAYS, secrets: new InteractionSecrets(database.prisma) };
  const cursorKey = options.cursorKey ? async () => options.cursorKey as Buffer : rememberedSecret(database.prisma, CURSOR_SECRET);
  const metrics = options.metricsToken ? new Metrics(database, options.metricsToken) : null;
  // Asks the admission (made next) for a request's viewer only once requests arrive.
  const observed = observability({ logger: options.logger ?? silentLogger(), metrics, viewerOf: (request) => admission.admittedViewer(request) });
  const limiter = new RateLimiter(options.rateLimits ?? DEFAULT_RATE_LIMITS, options.rateLimitStore);
  const admission = createAdmission(database.reader, database.versions, keyCache, limiter, observed.admission);
  const beacon = beaconHandler({ database, catalogs, settings: interactions, keyCache, limiter });
  const delivery = deliveryCache(database, admission.admittedViewer, options.deliveryCache ?? DEFAULT_DELIVERY_CACHE, observed.delivery);
  return createYoga<Record<string, unknown>, Context>({
    plugins: [
      // Health first: probes are never rate-limited.
      readinessPlugin(database, options.readiness ?? { draining: false }),
      // The scraper's endpoint is not rate-limited either; the GraphQL phases are timed from here on.
      ...(metrics?.plugins() ?? []),
      // Rate limits and the API key, from one parse of the Authorization header.
      admission.plugin,
      // A clear 404 or 405 for what nothing below answers, once the request paid its rate limit.
      routesPlugin(routesOf(metrics !== null), GRAPHQL_PATH),
      {
        // The iCalendar feed and the reports live beside GraphQL: calendar programs and browsers only do plain GETs.
        onRequest({ request, url, endResponse }) {
          if (isFeedRequest(request, url)) return feed(request).then(endResponse, (error: unknown) => endResponse(unexpectedFeedFailure(observed.logger(), error, 'Calendar feed')));
          if (isReportRequest(request, url)) return reports(request).then(endResponse, (error: unknown) => endResponse(unexpectedFeedFailure(observed.logger(), error, 'Report')));
          // The beacon (navigator.sendBeacon) carries its key in the body: see interactions/beacon.ts.
          if (isBeaconRequest(request, url)) return beacon(request).then(endResponse, (error: unknown) => endResponse(unexpectedFeedFailure(observed.logger(), error, 'Interaction beacon')));
        },
      },
      // Hash-only requests get their text first; then DELIVERY answers come from the cache before any parsing.
      ...persistedOperationPlugins(),
      ...delivery.plugins,
      ...queryLimitPlugins(options.queryLimits ?? DEFAULT_QUERY_LIMITS),
      stringArgumentsPlugin(),
      // Suggestions name the schema's fields: they go with introspection.
      ...((options.introspection ?? development) ? [] : [disableIntrospectionPlugin(), hideSuggestionsPlugin()]),
      // After every limit: a refused request never takes an analysis thread.
      ...(options.analysisThreads ? [offloadPlugin(options.analysisThreads)] : []),
      primaryForMutations(database),
      errorCodesPlugin(),
      // Last: the request's id, log line and metrics see the final response.
      observed.plugin,
    ],
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    healthCheckEndpoint: LIVENESS_PATH,
    maxRequestBodySize: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    cors: corsPolicy(options.corsOrigins ?? null),
    graphiql: (options.graphiql ?? development) ? graphiqlOptions(options.graphiqlKey) : false,
    renderGraphiQL: graphiqlRenderer(),
    landingPage: false,
    // An unexpected error reads "Unexpected error." with no stack, SQL or path, in development too:
    // the detail goes to the log, under the request's id.
    maskedErrors: { isDev: false },
    logging: yogaLogger(observed.logger),
    context: async ({ request }) => {
      const viewer = admission.viewerOf(request);
      // Reads on a replica or the primary (db/read-routing.ts); mutations move to the primary once parsed.
      const reads = readsFor(database, viewer?.apiKeyId ?? null);
      const freshness = delivery.freshnessOf(request);
      if (viewer && !mayKeep(reads, viewer.workspaceId)) freshness.limit(new Date());
      return {
        prisma: reads.reader,
        provider: database.provider,
        database: reads,
        viewer,
        keyCache,
        catalogs,
        freshness,
        cursorKey: await cursorKey(),
        publicUrl: options.publicUrl ?? new URL(request.url).origin,
        webhooks: options.webhooks ?? { key: null, policy: { httpsOnly: !development, allowPrivate: false }, retrySchedule: [] },
        interactions,
      };
    },
  });
}

/**
 * A feed or report request that fails unexpectedly (the database is down)
 * answers a plain 500: thrown from here, the error would reach the HTTP
 * layer, which answers with its stack. The detail goes to the log only.
 */

/** Every path the server answers: GraphQL and Yoga's probes answer a wrong method themselves, the metrics (answered before the rate limits) any method. */
function routesOf(withMetrics: boolean): Route[] {
  return [
    { path: GRAPHQL_PATH },
    { path: LIVENESS_PATH },
    { path: READINESS_PATH },
    ...(withMetrics ? [{ path: METRICS_PATH }] : []),
    { path: FEED_PATH, methods: READ_METHODS },
    { path: REPORTS_PATH, prefix: true, methods: READ_METHODS },
    { path: BEACON_PATH, methods: ['POST'] },
  ];
}

function unexpectedFeedFailure(logger: Logger, error: unknown, what: string): Response {
  logger.error({ err: error }, `${what} failed`);
  return new Response('Unexpected error.\n', { status: 500, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}

import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import { KeyCache } from './auth/key-cache.js';
import { authenticate } from './auth/keys.js';
import { calendarFeedHandler } from './calendar/feed.js';
import type { Context } from './context.js';
import type { Database } from './db/client.js';
import { unauthenticated } from './errors.js';
import { DEFAULT_MAX_BODY_BYTES } from './config.js';
import { corsPolicy } from './http/cors.js';
import { disableIntrospectionPlugin, errorCodesPlugin, hideSuggestionsPlugin } from './http/error-codes.js';
import { LIVENESS_PATH, readinessPlugin, type Readiness } from './http/health.js';
import { DEFAULT_QUERY_LIMITS, queryLimitPlugins, type QueryLimits } from './http/limits.js';
import { DEFAULT_RATE_LIMITS, rateLimitPlugin, type RateLimiterStore, type RateLimits } from './http/rate-limit.js';
import { schema } from './schema.js';

export interface ServerOptions {
  database: Database;
  mode: 'development' | 'production';
  /** How long a valid key is remembered; 0 looks every key up on every request. */
  keyCacheSeconds?: number;
  /** Default: on in development only. */
  graphiql?: boolean;
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
}

/**
 * The GraphQL server, without a port: tests call `yoga.fetch(...)`, main.ts
 * wraps it in node:http.
 */
export function createServer(options: ServerOptions): YogaServerInstance<Record<string, unknown>, Context> {
  const { database, mode, keyCacheSeconds = 10 } = options;
  const development = mode === 'development';
  const keyCache = new KeyCache(keyCacheSeconds * 1000);
  const feed = calendarFeedHandler(database);
  return createYoga<Record<string, unknown>, Context>({
    plugins: [
      // Health first: probes are never rate-limited.
      readinessPlugin(database, options.readiness ?? { draining: false }),
      rateLimitPlugin(options.rateLimits ?? DEFAULT_RATE_LIMITS, options.rateLimitStore),
      {
        // The iCalendar feed lives beside GraphQL: calendar programs only do plain GETs.
        onRequest({ request, url, endResponse }) {
          if (url.pathname === '/calendar.ics' && request.method === 'GET') return feed(request).then(endResponse);
        },
      },
      ...queryLimitPlugins(options.queryLimits ?? DEFAULT_QUERY_LIMITS),
      // Suggestions name the schema's fields: they go with introspection.
      ...((options.introspection ?? development) ? [] : [disableIntrospectionPlugin(), hideSuggestionsPlugin()]),
      errorCodesPlugin(),
    ],
    schema,
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: LIVENESS_PATH,
    maxRequestBodySize: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    cors: corsPolicy(options.corsOrigins ?? null),
    graphiql: (options.graphiql ?? development) ? { title: 'Content-planning API', headers: '{\n  "Authorization": "Bearer <your key>"\n}' } : false,
    landingPage: false,
    // Outside development an unexpected error reads "Unexpected error." with no stack, SQL or path.
    maskedErrors: { isDev: development },
    logging: development ? 'info' : 'warn',
    context: async ({ request }) => ({
      prisma: database.prisma,
      provider: database.provider,
      database,
      viewer: await viewerOf(database, keyCache, request.headers.get('authorization')),
      keyCache,
    }),
  });
}

async function viewerOf(database: Database, keyCache: KeyCache, header: string | null) {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) throw unauthenticated('The Authorization header must read "Bearer <key>".');
  const viewer = await authenticate(database.prisma, match[1], keyCache);
  if (!viewer) throw unauthenticated('This API key is unknown or revoked.');
  return viewer;
}

import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import { KeyCache } from './auth/key-cache.js';
import { authenticate } from './auth/keys.js';
import { calendarFeedHandler } from './calendar/feed.js';
import type { Context } from './context.js';
import type { Database } from './db/client.js';
import { unauthenticated } from './errors.js';
import { schema } from './schema.js';

export interface ServerOptions {
  database: Database;
  mode: 'development' | 'production';
  /** How long a valid key is remembered; 0 looks every key up on every request. */
  keyCacheSeconds?: number;
}

/**
 * The GraphQL server, without a port: tests call `yoga.fetch(...)`, main.ts
 * wraps it in node:http.
 */
export function createServer({ database, mode, keyCacheSeconds = 10 }: ServerOptions): YogaServerInstance<Record<string, unknown>, Context> {
  const development = mode === 'development';
  const keyCache = new KeyCache(keyCacheSeconds * 1000);
  const feed = calendarFeedHandler(database);
  return createYoga<Record<string, unknown>, Context>({
    plugins: [
      {
        // The iCalendar feed lives beside GraphQL: calendar programs only do plain GETs.
        onRequest({ request, url, endResponse }) {
          if (url.pathname === '/calendar.ics' && request.method === 'GET') return feed(request).then(endResponse);
        },
      },
    ],
    schema,
    graphqlEndpoint: '/graphql',
    graphiql: development ? { title: 'Content-planning API', headers: '{\n  "Authorization": "Bearer <your key>"\n}' } : false,
    landingPage: false,
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

import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import { authenticate } from './auth/keys.js';
import type { Context } from './context.js';
import type { Database } from './db/client.js';
import { unauthenticated } from './errors.js';
import { schema } from './schema.js';

export interface ServerOptions {
  database: Database;
  mode: 'development' | 'production';
}

/**
 * The GraphQL server, without a port: tests call `yoga.fetch(...)`, main.ts
 * wraps it in node:http.
 */
export function createServer({ database, mode }: ServerOptions): YogaServerInstance<Record<string, unknown>, Context> {
  const development = mode === 'development';
  return createYoga<Record<string, unknown>, Context>({
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
      viewer: await viewerOf(database, request.headers.get('authorization')),
    }),
  });
}

async function viewerOf(database: Database, header: string | null) {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) throw unauthenticated('The Authorization header must read "Bearer <key>".');
  const viewer = await authenticate(database.prisma, match[1]);
  if (!viewer) throw unauthenticated('This API key is unknown or revoked.');
  return viewer;
}

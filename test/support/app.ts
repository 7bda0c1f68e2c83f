import { createApiKey } from '../../src/auth/keys.js';
import { openDatabase, type Database } from '../../src/db/client.js';
import type { DatabaseConfig } from '../../src/db/config.js';
import type { Role } from '../../src/generated/sqlite/enums.js';
import { CURSOR_SECRET, serverSecret } from '../../src/db/server-secrets.js';
import { createServer } from '../../src/server.js';
import { freshDatabase } from './databases.js';
import { webhookKey } from '../../src/webhooks/secrets.js';
import type { WebhookSettings } from '../../src/webhooks/settings.js';

/** The webhook settings test servers run with, as production would (https only, no private targets), with a key. */
export const TEST_WEBHOOKS: WebhookSettings = {
  key: webhookKey('a webhook key for tests, 32 characters or more'),
  policy: { httpsOnly: true, allowPrivate: false },
  retrySchedule: [50, 100, 200],
};

export interface GraphQLResponse<T = Record<string, any>> {
  status: number;
  // Response bodies are whatever the query asked for; tests read them loosely.
  data?: T;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

export interface WorkspaceKeys {
  workspaceId: string;
  ADMIN: string;
  EDITOR: string;
  DELIVERY: string;
}

export interface TestApp {
  database: Database;
  /** Where `database` lives: for a second handle on the same data. */
  config: DatabaseConfig;
  /** Sends a GraphQL request over the server's HTTP interface (in process). */
  gql<T = Record<string, any>>(key: string | null, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
  /** Any HTTP request to the server (in process), e.g. a GET. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** Makes a workspace with one key per role. */
  workspace(name?: string): Promise<WorkspaceKeys>;
  /** Runs `work` and answers how many SQL statements it sent. */
  countStatements(work: () => Promise<unknown>): Promise<number>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** The address requests are sent to, and so the origin of URLs the server answers (feedUrl). */
  origin?: string;
  webhooks?: WebhookSettings;
}

export async function startTestApp({ origin = 'http://test', webhooks = TEST_WEBHOOKS }: TestAppOptions = {}): Promise<TestApp> {
  const config = await freshDatabase();
  const database = openDatabase(config);
  await database.ready;
  // The cursor key is read before the first request, so statement counts never include it.
  const yoga = createServer({ database, mode: 'production', cursorKey: await serverSecret(database.prisma, CURSOR_SECRET), webhooks });
  return {
    database: { ...database, prisma: noticedWrites(database) },
    config,
    async gql(key, query, variables) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (key) headers.authorization = `Bearer ${key}`;
      const response = await yoga.fetch(`${origin}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
      return { status: response.status, ...((await response.json()) as object) };
    },
    fetch: async (path, init) => yoga.fetch(`${origin}${path}`, init ?? {}),
    async workspace(name = 'Test workspace') {
      const ws = await database.prisma.workspace.create({ data: { name } });
      const keys = { workspaceId: ws.id } as WorkspaceKeys;
      for (const role of ['ADMIN', 'EDITOR', 'DELIVERY'] as Role[]) {
        keys[role] = (await createApiKey(database.prisma, ws.id, `${role.toLowerCase()} key`, role)).secret;
      }
      return keys;
    },
    async countStatements(work) {
      const before = database.statements.count;
      await work();
      return database.statements.count - before;
    },
    async close() {
      await yoga.dispose();
      await database.disconnect();
    },
  };
}

const WRITES = /^(create|update|delete|upsert)/;

/**
 * The client tests write fixtures with, straight into the database: like a
 * write by another process, each one moves every workspace's version, so
 * nothing the server keeps per version (catalogs, cached answers) outlives
 * it. The server itself writes through its own client, which moves only
 * the workspace it wrote to; tests of that precision go through the API.
 */
function noticedWrites(database: Database): Database['prisma'] {
  return database.prisma.$extends({
    query: {
      $allModels: {
        async $allOperations({ operation, args, query }) {
          const result = await query(args);
          if (WRITES.test(operation)) database.versions.allMoved();
          return result;
        },
      },
    },
  }) as unknown as Database['prisma'];
}

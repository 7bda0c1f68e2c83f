import { DEFAULT_INTERACTION_RETENTION_DAYS } from '../interactions/retention.js';
import { InteractionSecrets } from '../interactions/secrets.js';
import type { InteractionSettings } from '../interactions/settings.js';
import { parentPort, workerData } from 'node:worker_threads';
import { execute, GraphQLError, parse, type DocumentNode } from 'graphql';
import { KeyCache } from '../auth/key-cache.js';
import type { Context } from '../context.js';
import { openDatabase } from '../db/client.js';
import { Freshness } from '../delivery/freshness.js';
import { schema } from '../schema.js';
import { Catalogs } from '../workspaces/catalog.js';
import type { CarriedError, OperationReply, OperationTask, ThreadData } from './operation.js';

/**
 * An analysis thread: executes the operations the main thread hands over
 * (analysis/threads.ts) on connections of its own, so a matrix, a calendar
 * or a large lookup never holds the main thread's event loop. Its heavy
 * statements run inline: this thread is already off the main one.
 */
const { database: config } = workerData as ThreadData;
const database = openDatabase(config, { inlineAnalysis: true });
const keyCache = new KeyCache(0, database.versions);
const catalogs = new Catalogs(database);
// Mutations never run here: the settings only complete the context.
const interactions: InteractionSettings = { retentionDays: DEFAULT_INTERACTION_RETENTION_DAYS, secrets: new InteractionSecrets(database.prisma) };
const documents = new Map<string, DocumentNode>();
/** Per workspace, the main thread's version at this thread's last operation there. */
const mainVersions = new Map<string, string>();

parentPort?.on('message', (task: OperationTask) => {
  run(task).then(
    (reply) => parentPort?.postMessage(reply),
    (error: unknown) => parentPort?.postMessage({ id: task.id, failure: error instanceof Error ? error.message : String(error) } satisfies OperationReply),
  );
});

async function run(task: OperationTask): Promise<OperationReply> {
  await database.ready;
  if (task.viewer && task.mainVersion !== null) {
    const workspaceId = task.viewer.workspaceId;
    if (mainVersions.has(workspaceId) && mainVersions.get(workspaceId) !== task.mainVersion) database.versions.moved(workspaceId);
    mainVersions.set(workspaceId, task.mainVersion);
  }
  const freshness = new Freshness();
  const reads = readsOf(task.replica);
  const context: Context = {
    prisma: reads.reader,
    provider: database.provider,
    database: reads,
    viewer: task.viewer,
    keyCache,
    catalogs,
    freshness,
    cursorKey: Buffer.from(task.cursorKey),
    publicUrl: task.publicUrl,
    // Mutations never run here.
    webhooks: null,
    interactions,
  };
  const result = await execute({ schema, document: documentOf(task.source), variableValues: task.variables, operationName: task.operationName, contextValue: context });
  return {
    id: task.id,
    result: { ...('data' in result ? { data: result.data ?? null } : {}), ...(result.errors ? { errors: result.errors.map(carried) } : {}) },
    freshUntil: freshness.until,
  };
}

/**
 * The handle reading where the main thread chose. The main thread checks the
 * replicas; one this thread found down (a failed connection, its reads went
 * to the primary) is tried again once the main thread chooses it again.
 */
function readsOf(replica: number | null) {
  const health = replica === null ? undefined : database.replicas?.health[replica];
  if (health) health.state = 'ok';
  return database.readingFrom(replica);
}

/** Documents by their text: a front end sends the same few again and again. */
function documentOf(source: string): DocumentNode {
  let document = documents.get(source);
  if (!document) {
    if (documents.size >= 500) documents.clear();
    documents.set(source, (document = parse(source)));
  }
  return document;
}

/** An error as the main thread rebuilds it; one a resolver did not mean (no GraphQLError) keeps its cause for masking and the log. */
function carried(error: GraphQLError): CarriedError {
  const original = error.originalError;
  const unexpected = original && !(original instanceof GraphQLError) ? { message: original.message, ...(original.stack ? { stack: original.stack } : {}) } : undefined;
  return { ...error.toJSON(), ...(unexpected ? { unexpected } : {}) };
}

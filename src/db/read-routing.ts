import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Context } from '../context.js';
import type { Database } from './client.js';

/**
 * Where one request reads (DATABASE_REPLICA_URLS, see replicas.ts): a key
 * that wrote in the last REPLICA_READ_YOUR_WRITES_MS, through any instance
 * (the write's notification names the key, versions.ts), reads from the
 * primary, so it always sees its own writes; every other read goes to a
 * usable replica in turn, or to the primary when none is.
 */
export function readsFor(database: Database, apiKeyId: string | null): Database {
  const replicas = database.replicas;
  if (!replicas) return database;
  if (apiKeyId && database.versions.wroteWithin(apiKeyId, replicas.settings.readYourWritesMs)) return database;
  return database.readingFrom(replicas.pick());
}

/**
 * Whether an answer read through `reads` may be kept (response cache) under
 * the workspace's version: not when it came from a replica while the
 * workspace moved within the longest a usable replica may lag (plus a
 * check), since the replica may not have replayed that move yet and the
 * answer would be kept, stale, under the version that names it.
 */
export function mayKeep(reads: Database, workspaceId: string): boolean {
  const settings = reads.replicas?.settings;
  if (reads.replica === null || !settings) return true;
  return !reads.versions.movedWithin(workspaceId, settings.maxLagMs + 2 * settings.checkIntervalMs);
}

/** Mutations read and write on the primary only: their answers show what they wrote. */
export function primaryForMutations(database: Database): Plugin<Context> {
  return {
    onExecute({ args }) {
      if (!database.replicas || getOperationAST(args.document, args.operationName)?.operation !== 'mutation') return;
      const ctx = args.contextValue as Context;
      ctx.database = database;
      ctx.prisma = database.reader;
    },
  };
}

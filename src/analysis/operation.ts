import type { GraphQLFormattedError } from 'graphql';
import type { Viewer } from '../auth/viewer.js';
import type { DatabaseConfig } from '../db/config.js';

/**
 * What crosses between the main thread and an analysis thread: plain data,
 * copied by postMessage. The main thread has parsed, validated, limited and
 * authenticated the operation; the thread only executes it.
 */
export interface OperationTask {
  id: number;
  source: string;
  operationName: string | null;
  variables: Record<string, unknown>;
  viewer: Viewer | null;
  /**
   * The viewer's workspace version as the main thread knows it: when it
   * moved since the thread's last operation there, the thread's catalogs
   * move too, so a query sees every write the main thread has seen (its own
   * at once, where a PostgreSQL notification would come a moment later).
   */
  mainVersion: string | null;
  cursorKey: Uint8Array;
  publicUrl: string;
  /** The replica the main thread chose for this operation's reads (db/read-routing.ts); null: the primary. */
  replica: number | null;
}

/** An error of the result, with the cause of an unexpected one for the main thread's masking and log. */
export interface CarriedError extends GraphQLFormattedError {
  unexpected?: { message: string; stack?: string };
}

export interface OperationReply {
  id: number;
  result?: { data?: Record<string, unknown> | null; errors?: CarriedError[] };
  /** The instant the answer stops being true by the clock (Freshness.until). */
  freshUntil?: number;
  /** The thread itself failed (never a resolver's error: those are in `result`). */
  failure?: string;
}

export interface ThreadData {
  database: DatabaseConfig;
}

import { createHash } from 'node:crypto';
import { createInMemoryCache, useResponseCache, type Cache } from '@graphql-yoga/plugin-response-cache';
import { Kind, getOperationAST, type DocumentNode, type ExecutionResult } from 'graphql';
import type { Plugin, YogaInitialContext } from 'graphql-yoga';
import type { Viewer } from '../auth/viewer.js';
import type { Context } from '../context.js';
import type { Database } from '../db/client.js';
import { ContentClock, Freshness } from './freshness.js';

/**
 * Delivery at the speed of a cache, never stale. The answers of DELIVERY
 * keys (what public websites embed) are kept in memory by The Guild's
 * response cache, under the key and its workspace's version (db/versions.ts):
 * any write to the workspace, in this process or another, moves the version,
 * so the next request computes afresh. An answer is kept no longer than it
 * stays true by the clock (freshness.ts) and `maxAgeSeconds`.
 *
 * Over HTTP, every answer says how it may be cached: DELIVERY answers get an
 * ETag (a hash of the body, so an unchanged answer keeps it across writes),
 * 304 to a matching If-None-Match, and `Cache-Control: public` with a
 * max-age no longer than the answer stays true (and `httpMaxAgeSeconds`;
 * 0 makes caches revalidate every time); every other answer is `no-store`.
 */
export interface DeliveryCacheOptions {
  /** Answers kept; 0 keeps none. */
  size: number;
  /** The longest an answer is kept, in seconds. */
  maxAgeSeconds: number;
  /** The longest max-age sent to browsers and CDNs, in seconds; 0: `no-cache` (always revalidate). */
  httpMaxAgeSeconds: number;
}

export const DEFAULT_DELIVERY_CACHE: DeliveryCacheOptions = { size: 10_000, maxAgeSeconds: 300, httpMaxAgeSeconds: 0 };

/**
 * The plugin's key, made cheaply: it is made for every request before the
 * operation is known (a batch of interactions carries a hundred kilobytes of
 * variables), and its default orders every object's keys and hashes
 * asynchronously. Variables are taken in the order sent: a website repeats its
 * request with the same text, and a request reordered is merely computed anew.
 */
function responseCacheKey(params: { documentString: string; variableValues?: Record<string, unknown> | null; operationName?: string | null; sessionId?: string | null }): string {
  return createHash('sha256')
    .update(`${params.documentString}|${params.operationName ?? ''}|${JSON.stringify(params.variableValues ?? {})}|${params.sessionId ?? ''}`)
    .digest('base64url');
}

type ResultProcessorInput = Parameters<NonNullable<Plugin['onResultProcess']>>[0]['result'];

/** Root fields whose answers never depend on the clock; any other makes the workspace's next content change the limit. */
const TIMELESS_FIELDS = new Set(['__typename', 'viewer', 'journeys', 'journey', 'journeyTemplates', 'segments', 'segment', 'channels', 'channel']);

/** Root fields that narrow the freshness themselves (their resolvers know which content they read). */
const SELF_TIMED_FIELDS = new Set(['recommendedContent']);

/** Told about each successful DELIVERY answer and each 304, for the metrics and the request log. */
export interface DeliveryObserver {
  answered(request: Request, fromCache: boolean): void;
  notModified(request: Request): void;
}

/** The response cache plugin marks the answers it serves from memory with this symbol. */
const SERVED_FROM_CACHE = Symbol.for('servedFromResponseCache');

export interface DeliveryCache {
  plugins: Plugin[];
  /** The freshness a request's resolvers narrow down (context.freshness). */
  freshnessOf(request: Request): Freshness;
}

export function deliveryCache(database: Database, viewerOf: (request: Request) => Viewer | null, options: DeliveryCacheOptions, observer?: DeliveryObserver): DeliveryCache {
  const freshness = new WeakMap<Request, Freshness>();
  const clock = new ContentClock(database);
  const delivery = (request: Request) => viewerOf(request)?.role === 'DELIVERY';
  const freshnessOf = (request: Request) => {
    let found = freshness.get(request);
    if (!found) freshness.set(request, (found = new Freshness()));
    return found;
  };

  // Requests whose operation is a mutation (a DELIVERY key records interactions): never kept, never
  // served from memory, never given a tag. The plugin would keep any operation's answer, and a batch sent
  // again would be told what the first one did without being recorded.
  const writes = new WeakSet<Request>();
  const writesPlugin: Plugin = {
    onExecute({ args }) {
      if (getOperationAST(args.document, args.operationName)?.operation === 'mutation') writes.add((args.contextValue as unknown as YogaInitialContext).request);
    },
  };
  const answers = (request: Request) => delivery(request) && !writes.has(request);

  const cachePlugin = useResponseCache({
    enabled: (request) => options.size > 0 && answers(request),
    // Per key (its workspace and role with it) and per version of the workspace's data.
    session: (request) => {
      const viewer = viewerOf(request);
      return viewer ? `${viewer.apiKeyId}:${database.versions.of(viewer.workspaceId)}` : null;
    },
    cache: markingEntries(createInMemoryCache({ max: Math.max(1, options.size) })),
    ttl: options.maxAgeSeconds * 1000,
    onTtl: ({ ttl, context }) => Math.min(ttl, (context as Context).freshness.remaining()),
    invalidateViaMutation: false,
    includeExtensionMetadata: false,
    buildResponseCacheKey: responseCacheKey,
  });

  const clockPlugin: Plugin = {
    // Answers that read content without knowing which are true until the workspace's next content
    // change, looked up once the answer is known to be a success (a refusal costs no SQL for it).
    // A mutation's answer is never kept, so it needs no such instant (recordInteractions is a DELIVERY key's).
    onExecute({ args, executeFn, setExecuteFn }) {
      const context = args.contextValue as unknown as Context;
      if (!context.viewer || context.viewer.role !== 'DELIVERY' || !readsContent(args.document, args.operationName)) return;
      const workspaceId = context.viewer.workspaceId;
      setExecuteFn(async (executeArgs) => {
        const result = await executeFn(executeArgs);
        if (!(Symbol.asyncIterator in result) && !result.errors?.length) context.freshness.limit(await clock.nextChange(workspaceId));
        return result;
      });
    },
  };

  const results = new WeakMap<Request, ResultProcessorInput>();
  const httpPlugin: Plugin = {
    onResultProcess({ request, result }) {
      results.set(request, result);
    },
    async onResponse({ request, response, setResponse, fetchAPI }) {
      // The answer depends on the key and on content negotiation; CORS headers on the origin.
      response.headers.set('vary', 'Authorization, Accept, Origin');
      const result = results.get(request);
      if (!result || !answers(request) || !cacheable(result, response)) {
        response.headers.set('cache-control', 'no-store');
        return;
      }
      observer?.answered(request, SERVED_FROM_CACHE in (result as object));
      const entry = (result as Entry)[ENTRY];
      const { body, etag } = await bodyAndTag(entry, response);
      const left = entry ? Math.max(0, entry.expiresAt - Date.now()) : freshnessOf(request).remaining();
      const seconds = Math.floor(Math.min(left, options.httpMaxAgeSeconds * 1000) / 1000);
      const headers = new fetchAPI.Headers(response.headers);
      headers.set('etag', etag);
      headers.set('cache-control', seconds > 0 ? `public, max-age=${seconds}` : 'public, no-cache');
      headers.delete('last-modified');
      if (matches(request.headers.get('if-none-match'), etag)) {
        headers.delete('content-type');
        headers.delete('content-length');
        observer?.notModified(request);
        setResponse(new fetchAPI.Response(null, { status: 304, headers }));
      } else {
        setResponse(new fetchAPI.Response(body, { status: response.status, headers }));
      }
    },
  };

  return { plugins: [writesPlugin, clockPlugin, cachePlugin, httpPlugin], freshnessOf };
}

/**
 * What the cache notes on each answer it keeps, under a symbol: the plugin
 * serves a hit as a copy of the kept object, and a copy carries symbol keys
 * along, while JSON leaves them out. The body and tag are worked out once.
 */
const ENTRY = Symbol('delivery cache entry');
interface CacheEntry {
  expiresAt: number;
  body?: string;
  etag?: string;
}
type Entry = { [ENTRY]?: CacheEntry };

function markingEntries(cache: Cache): Cache {
  return {
    get: (key) => cache.get(key),
    invalidate: (entities) => cache.invalidate(entities),
    set(key, result, entities, ttl) {
      const entry: CacheEntry = { expiresAt: Date.now() + ttl };
      (result as Entry)[ENTRY] = entry;
      // Yoga serialises a result with its own stringify when it has one: a hit then reuses the body.
      (result as ExecutionResult & { stringify?: (r: unknown) => string }).stringify = (r) => entry.body ?? JSON.stringify(r);
      return cache.set(key, result, entities, ttl);
    },
  };
}

async function bodyAndTag(entry: CacheEntry | undefined, response: Response): Promise<{ body: string; etag: string }> {
  if (entry?.body !== undefined && entry.etag !== undefined) return { body: entry.body, etag: entry.etag };
  const body = await response.text();
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  if (entry) Object.assign(entry, { body, etag });
  return { body, etag };
}

/** Whether the operation is a query with a root field that may read live content without timing itself. */
function readsContent(document: DocumentNode, operationName: string | null | undefined): boolean {
  const operation = getOperationAST(document, operationName);
  if (operation?.operation !== 'query') return false;
  const fields = operation.selectionSet.selections;
  return fields.some((s) => s.kind !== Kind.FIELD || (!TIMELESS_FIELDS.has(s.name.value) && !SELF_TIMED_FIELDS.has(s.name.value)));
}

/** A single successful answer: batches, streams and errors are never cached. */
function cacheable(input: ResultProcessorInput, response: Response): boolean {
  if (response.status !== 200 || Array.isArray(input) || Symbol.asyncIterator in (input as object)) return false;
  return !(input as ExecutionResult).errors?.length;
}

/** If-None-Match: `*`, or a list of tags, weak or strong (RFC 9110's weak comparison). */
function matches(header: string | null, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { getOperationAST, type DocumentNode, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Viewer } from '../auth/viewer.js';
import type { DeliveryObserver } from '../delivery/response-cache.js';
import type { AdmissionObserver } from './admission.js';
import { LIVENESS_PATH, READINESS_PATH } from './health.js';
import { METRICS_PATH, type Metrics } from './metrics.js';
import { logRequest, type Logger, type RequestLine } from './request-log.js';

export const REQUEST_ID_HEADER = 'x-request-id';

/**
 * An incoming X-Request-Id is kept (so one id follows a request through a
 * proxy and this server) when it looks like an id: up to 128 letters, digits
 * and `-_.:@+=/`. Anything else gets a fresh UUID.
 */
const SANE_REQUEST_ID = /^[\w.:@+=/-]{1,128}$/;

/** Probes and scrapes come every few seconds: they get an id but no log line. */
const QUIET_PATHS = new Set([LIVENESS_PATH, READINESS_PATH, METRICS_PATH]);

/**
 * What the server tells about each request: an id (echoed in X-Request-Id),
 * one log line when it is answered (src/http/request-log.ts), and the
 * request metrics (src/http/metrics.ts). Other parts report what only they
 * know through the observers: the admission its 429s and failures, the
 * delivery cache its hits and 304s.
 */
export interface Observability {
  /** Last in the plugin list, so it sees the final response. */
  plugin: Plugin;
  /** The logger for what runs now: inside a request, its lines carry the request's id. */
  logger(): Logger;
  admission: AdmissionObserver;
  delivery: DeliveryObserver;
}

interface Tracked {
  id: string;
  started: number;
  /** The operationName parameter: it only picks the operation, and is logged only once the document has it. */
  requested: string | null;
  /** The name of the operation in the document. */
  operation: string | null;
  operationType: string | null;
  errorCodes: string[];
  cache: 'hit' | 'miss' | null;
  logger?: Logger;
}

export function observability(options: { logger: Logger; metrics: Metrics | null; viewerOf(request: Request): Viewer | null }): Observability {
  const { logger, metrics, viewerOf } = options;
  const tracked = new WeakMap<Request, Tracked>();
  const current = new AsyncLocalStorage<Tracked>();
  const operations = new OperationMemory();
  const requestLogger = (request: Tracked) => (request.logger ??= logger.child({ requestId: request.id }));

  const plugin: Plugin = {
    instrumentation: {
      // Around everything the server does for the request, so every line logged meanwhile knows its id.
      request({ request }, handle) {
        const incoming = request.headers.get(REQUEST_ID_HEADER);
        const record: Tracked = {
          id: incoming && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID(),
          started: performance.now(),
          requested: null,
          operation: null,
          operationType: null,
          errorCodes: [],
          cache: null,
        };
        tracked.set(request, record);
        return current.run(record, handle);
      },
    },
    onParams({ params, request }) {
      const record = tracked.get(request);
      if (!record) return;
      // Any JSON may arrive here (Yoga refuses wrong types later, with 400).
      const { query, operationName } = params as { query?: unknown; operationName?: unknown };
      record.requested = typeof operationName === 'string' ? operationName : null;
      // A cached answer skips parsing: its operation is known from when its text was first parsed.
      const known = typeof query === 'string' ? operations.of(query, record.requested) : undefined;
      record.operation = known?.name ?? null;
      record.operationType = known?.type ?? null;
    },
    onParse({ context, params }) {
      const { request } = context as { request?: Request };
      const record = request && tracked.get(request);
      if (!record) return;
      return ({ result }) => {
        if (!result || result instanceof Error) return;
        const operation = getOperationAST(result as DocumentNode, record.requested);
        if (!operation) return;
        record.operation = operation.name?.value ?? null;
        record.operationType = operation.operation;
        if (typeof params.source === 'string') operations.remember(params.source, record.requested, { name: record.operation, type: operation.operation });
      };
    },
    onResultProcess({ request, result }) {
      const record = tracked.get(request);
      if (!record || Array.isArray(result) || Symbol.asyncIterator in result) return;
      for (const error of (result as ExecutionResult).errors ?? []) record.errorCodes.push(String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
    },
    onResponse({ request, response }) {
      const record = tracked.get(request);
      if (!record) return;
      response.headers.set(REQUEST_ID_HEADER, record.id);
      const path = new URL(request.url).pathname;
      if (QUIET_PATHS.has(path)) return;
      const viewer = viewerOf(request);
      const line: RequestLine = {
        requestId: record.id,
        method: request.method,
        path,
        status: response.status,
        durationMs: performance.now() - record.started,
        operation: record.operation,
        operationType: record.operationType,
        workspaceId: viewer?.workspaceId ?? null,
        role: viewer?.role ?? null,
        errorCodes: record.errorCodes,
        cache: record.cache,
      };
      logRequest(logger, line);
      metrics?.requestFinished(line);
    },
  };

  return {
    plugin,
    logger() {
      const record = current.getStore();
      return record ? requestLogger(record) : logger;
    },
    admission: {
      refused(request, budget) {
        tracked.get(request)?.errorCodes.push('RATE_LIMITED');
        metrics?.rateLimited(budget);
      },
      failed(request, error) {
        const record = tracked.get(request);
        (record ? requestLogger(record) : logger).error({ err: error }, 'Admission failed');
        record?.errorCodes.push('INTERNAL_SERVER_ERROR');
      },
    },
    delivery: {
      answered(request, fromCache) {
        const record = tracked.get(request);
        if (record) record.cache = fromCache ? 'hit' : 'miss';
        metrics?.deliveryAnswered(fromCache);
      },
      notModified() {
        metrics?.notModified();
      },
    },
  };
}

interface KnownOperation {
  name: string | null;
  type: string;
}

/**
 * Operations by query text and operationName, learnt when a text is parsed,
 * for answers served without parsing. Bounded: it starts over when full.
 */
class OperationMemory {
  private static readonly MAX_ENTRIES = 1000;
  private static readonly MAX_TEXT_LENGTH = 10_000;
  private readonly known = new Map<string, KnownOperation>();

  of(query: string, operationName: string | null): KnownOperation | undefined {
    return this.known.get(key(query, operationName));
  }

  remember(query: string, operationName: string | null, operation: KnownOperation): void {
    if (query.length > OperationMemory.MAX_TEXT_LENGTH || this.known.has(key(query, operationName))) return;
    if (this.known.size >= OperationMemory.MAX_ENTRIES) this.known.clear();
    this.known.set(key(query, operationName), operation);
  }
}

/** A GraphQL name holds no line break. */
function key(query: string, operationName: string | null): string {
  return `${operationName ?? ''}\n${query}`;
}

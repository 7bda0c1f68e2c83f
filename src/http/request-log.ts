import { inspect } from 'node:util';
import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * The server's log: one JSON object per line (pino), on stdout unless told
 * otherwise. Request lines are written by src/http/observability.ts; the
 * lines written while a request is handled carry its id. Nothing here ever
 * logs a header, a query string or a body: that is where keys, calendar
 * tokens and new secrets travel.
 */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type { Logger };

export function createLogger(level: LogLevel = 'info', destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      // Readable by people and by log pipelines alike: "level":"info" and an ISO time.
      formatters: { level: (label) => ({ level: label }) },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

/** A logger that writes nothing: the default for servers built without one (tests, embedding). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

/** What the request line says about one request. */
export interface RequestLine {
  requestId: string;
  method: string;
  /** The path only: a query string may hold a calendar token. */
  path: string;
  status: number;
  durationMs: number;
  /** The GraphQL operation's name, as the document or the request gave it. */
  operation: string | null;
  operationType: string | null;
  workspaceId: string | null;
  role: string | null;
  /** extensions.code of each error answered. */
  errorCodes: string[];
  /** DELIVERY answers: served from the cache, or computed. */
  cache: 'hit' | 'miss' | null;
}

/** Longest operation name written: a client chooses it. */
const MAX_OPERATION_LENGTH = 100;

export function logRequest(logger: Logger, line: RequestLine): void {
  const fields = {
    ...line,
    operation: line.operation && line.operation.slice(0, MAX_OPERATION_LENGTH),
    durationMs: Math.round(line.durationMs * 10) / 10,
  };
  const message = `${line.method} ${line.path} ${line.status}`;
  if (line.status >= 500) logger.error(fields, message);
  else logger.info(fields, message);
}

type YogaLogger = Record<'debug' | 'info' | 'warn' | 'error', (...args: unknown[]) => void>;

/**
 * Yoga's own messages through the server's log. Yoga logs an unexpected
 * error (the one it masks as "Unexpected error.") with its stack: here it
 * becomes an `err` field of a line that carries the request's id.
 */
export function yogaLogger(current: () => Logger): YogaLogger {
  const write = (level: 'debug' | 'info' | 'warn' | 'error') => (...args: unknown[]) => {
    const [first] = args;
    if (first instanceof Error) current()[level]({ err: first }, first.message);
    else current()[level](args.map((arg) => (typeof arg === 'string' ? arg : inspect(arg))).join(' '));
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

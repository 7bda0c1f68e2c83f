import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { guardedLookup } from './target-url.js';

/**
 * One POST of a signed body to an endpoint. The receiver has 15 seconds to
 * answer (the whole exchange); its body is read and dropped, up to a limit.
 * Redirects are not followed: the answer is the status.
 */
export const SEND_TIMEOUT_MS = 15_000;
const MAX_ANSWER_BYTES = 64 * 1024;

export interface SendResult {
  /** Null when no answer came. */
  statusCode: number | null;
  durationMs: number;
  /** A few words on what went wrong; null for a 2xx. */
  error: string | null;
}

export interface Signed {
  url: string;
  body: string;
  headers: Record<string, string>;
}

export function send(message: Signed, options: { allowPrivate: boolean; timeoutMs?: number }): Promise<SendResult> {
  const started = performance.now();
  const timeoutMs = options.timeoutMs ?? SEND_TIMEOUT_MS;
  const url = new URL(message.url);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const elapsed = () => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    let settled = false;
    const finish = (statusCode: number | null, error: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ statusCode, durationMs: elapsed(), error });
    };
    const req = request(
      url,
      {
        method: 'POST',
        headers: { ...message.headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(message.body)), 'user-agent': 'content-planning-webhooks/1' },
        lookup: guardedLookup(options.allowPrivate),
      },
      (response) => {
        let read = 0;
        response.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_ANSWER_BYTES) response.destroy();
        });
        const status = response.statusCode ?? 0;
        const done = () => finish(status, status >= 200 && status < 300 ? null : `HTTP ${status}`);
        response.on('end', done);
        response.on('close', done);
        response.on('error', done);
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      finish(null, `No answer within ${timeoutMs >= 1000 ? `${timeoutMs / 1000} s` : `${timeoutMs} ms`}`);
    }, timeoutMs);
    req.on('error', (error: NodeJS.ErrnoException) => finish(null, describe(error)));
    req.end(message.body);
  });
}

/** The cause in words a log can show: no stack, no internals. */
function describe(error: NodeJS.ErrnoException): string {
  if (error.code === 'EPRIVATETARGET') return error.message;
  if (error.code === 'ECONNREFUSED') return 'Connection refused';
  if (error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN') return 'Host name not found';
  if (error.code === 'ECONNRESET') return 'Connection reset';
  if (error.code?.startsWith('ERR_TLS') || error.code?.includes('CERT')) return `TLS error (${error.code})`;
  return error.code ? `Network error (${error.code})` : 'Network error';
}

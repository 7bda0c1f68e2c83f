import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Plugin } from 'graphql-yoga';

export interface RateLimits {
  /** Requests one API key may send per window; 0 turns the limit off. */
  perKey: number;
  /** Requests one IP address may send per window without an Authorization header; 0: off. */
  perIp: number;
  windowSeconds: number;
  /** Take the client address from the last X-Forwarded-For entry (the one our load balancer added). */
  trustProxy: boolean;
}

/**
 * Generous: one key of a busy website (or the benchmark, thousands of
 * requests a second) is never throttled; production sets its own numbers.
 */
export const DEFAULT_RATE_LIMITS: RateLimits = { perKey: 10_000, perIp: 1_000, windowSeconds: 1, trustProxy: false };

/**
 * Where the counters live. In memory by default (each instance counts
 * alone); several instances share a store, e.g. rate-limiter-flexible's
 * RateLimiterRedis or RateLimiterPostgres with the same points and duration.
 */
export type RateLimiterStore = (options: { keyPrefix: string; points: number; duration: number }) => RateLimiterAbstract;

export const memoryStore: RateLimiterStore = (options) => new RateLimiterMemory(options);

/**
 * Counts each request against its API key, or against its IP address when
 * it has no key (the login-less calendar feed, probes, scripts without a
 * key), and answers 429 with Retry-After and a GraphQL error body
 * (extensions.code RATE_LIMITED) once the window's budget is spent. It runs
 * before anything else, so a throttled request costs no SQL.
 */
export function rateLimitPlugin(limits: RateLimits, store: RateLimiterStore = memoryStore): Plugin {
  const duration = Math.max(1, limits.windowSeconds);
  const perKey = limits.perKey > 0 ? store({ keyPrefix: 'key', points: limits.perKey, duration }) : null;
  const perIp = limits.perIp > 0 ? store({ keyPrefix: 'ip', points: limits.perIp, duration }) : null;
  return {
    async onRequest({ request, serverContext, endResponse }) {
      const token = bearerToken(request.headers.get('authorization'));
      const [limiter, id] = token ? [perKey, fingerprint(token)] : [perIp, clientAddress(request, serverContext as { req?: IncomingMessage }, limits.trustProxy)];
      if (!limiter) return;
      try {
        await limiter.consume(id);
      } catch (refusal) {
        if (!(refusal instanceof RateLimiterRes)) throw refusal;
        endResponse(tooManyRequests(refusal, token ? 'this API key' : 'this address'));
      }
    },
  };
}

function bearerToken(header: string | null): string | null {
  return header ? header.trim() || null : null;
}

/** Counters are kept per hash: a shared store never holds a secret. */
function fingerprint(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

function clientAddress(request: Request, serverContext: { req?: IncomingMessage }, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = request.headers.get('x-forwarded-for')?.split(',').pop()?.trim();
    if (forwarded) return forwarded;
  }
  // In-process requests (tests calling yoga.fetch) have no socket: one shared bucket.
  return serverContext.req?.socket.remoteAddress ?? 'local';
}

function tooManyRequests(refusal: RateLimiterRes, who: string): Response {
  const seconds = Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
  const body = { errors: [{ message: `Too many requests from ${who}; retry in ${seconds} s.`, extensions: { code: 'RATE_LIMITED', retryAfterSeconds: seconds } }] };
  return new Response(JSON.stringify(body), { status: 429, headers: { 'content-type': 'application/json; charset=utf-8', 'retry-after': String(seconds) } });
}

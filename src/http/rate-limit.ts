import type { IncomingMessage } from 'node:http';
import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

export interface RateLimits {
  /** Requests one API key (or calendar token) may send per window; 0 turns the limit off. */
  perKey: number;
  /** Requests one IP address may send per window that no known key pays for; 0: off. */
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

/** What the Node adapter puts in Yoga's server context; in-process requests (yoga.fetch) have none. */
export interface ServerContext {
  req?: IncomingMessage;
}

/**
 * The budgets: per client address, per API key and per calendar token.
 * Each count answers the 429 to send (Retry-After, and a GraphQL error body
 * with extensions.code RATE_LIMITED) once the window's budget is spent, or
 * null. Which budgets a request pays into is decided by the admission
 * (src/http/admission.ts). Keys and tokens are counted by their SHA-256: a
 * shared store never holds a secret.
 */
export class RateLimiter {
  private readonly perIp: RateLimiterAbstract | null;
  private readonly perKey: RateLimiterAbstract | null;
  private readonly perToken: RateLimiterAbstract | null;

  constructor(
    private readonly limits: RateLimits,
    store: RateLimiterStore = memoryStore,
  ) {
    const duration = Math.max(1, limits.windowSeconds);
    this.perIp = limits.perIp > 0 ? store({ keyPrefix: 'ip', points: limits.perIp, duration }) : null;
    this.perKey = limits.perKey > 0 ? store({ keyPrefix: 'key', points: limits.perKey, duration }) : null;
    this.perToken = limits.perKey > 0 ? store({ keyPrefix: 'token', points: limits.perKey, duration }) : null;
  }

  address(request: Request, serverContext: ServerContext): Promise<Charge | null> {
    return this.consume(this.perIp, clientAddress(request, serverContext, this.limits.trustProxy), 'address', this.limits.perIp, 'this address');
  }

  key(secretHash: string): Promise<Charge | null> {
    return this.consume(this.perKey, secretHash, 'key', this.limits.perKey, 'this API key');
  }

  /** A calendar or report token's requests: `noun` names it in the 429. */
  linkToken(tokenHash: string, noun: string): Promise<Charge | null> {
    return this.consume(this.perToken, tokenHash, 'token', this.limits.perKey, `this ${noun}`);
  }

  private async consume(limiter: RateLimiterAbstract | null, id: string, policy: Charge['policy'], quota: number, who: string): Promise<Charge | null> {
    if (!limiter) return null;
    const windowSeconds = Math.max(1, this.limits.windowSeconds);
    try {
      const state = await limiter.consume(id);
      return { policy, quota, windowSeconds, remaining: state.remainingPoints, resetSeconds: seconds(state.msBeforeNext), refused: null };
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      return { policy, quota, windowSeconds, remaining: 0, resetSeconds: seconds(refusal.msBeforeNext), refused: tooManyRequests(refusal, who) };
    }
  }
}

/** What one request paid into a budget: the state the RateLimit headers tell, and the 429 when it is spent. */
export interface Charge {
  policy: 'address' | 'key' | 'token';
  quota: number;
  windowSeconds: number;
  remaining: number;
  resetSeconds: number;
  refused: Response | null;
}

/**
 * The RateLimit-Policy and RateLimit fields of the IETF draft
 * (draft-ietf-httpapi-ratelimit-headers): the budget's quota and window,
 * and what is left of it and when it refills, in seconds.
 */
export function rateLimitHeaders(charge: Charge): Record<string, string> {
  return {
    'ratelimit-policy': `"${charge.policy}";q=${charge.quota};w=${charge.windowSeconds}`,
    ratelimit: `"${charge.policy}";r=${charge.remaining};t=${charge.resetSeconds}`,
  };
}

function seconds(ms: number): number {
  return Math.max(0, Math.ceil(ms / 1000));
}

function clientAddress(request: Request, serverContext: ServerContext, trustProxy: boolean): string {
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

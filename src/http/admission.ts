import type { Plugin } from 'graphql-yoga';
import { parseAuthorization, type Credential } from '../auth/authorization.js';
import type { KeyCache } from '../auth/key-cache.js';
import { findKey, hashSecret } from '../auth/keys.js';
import { Refusals } from '../auth/refusals.js';
import type { Viewer } from '../auth/viewer.js';
import { isFeedRequest } from '../calendar/feed.js';
import { isReportRequest } from '../reports/routes.js';
import type { Db } from '../db/client.js';
import type { WorkspaceVersions } from '../db/versions.js';
import { unauthenticated } from '../errors.js';
import { rateLimitHeaders, type Charge, type RateLimiter, type ServerContext } from './rate-limit.js';

/**
 * The first stop of every request (after the health probes): it decides
 * which rate-limit budgets the request pays into and which key, if any,
 * authenticates it, from one parse of the Authorization header.
 *
 * - A key this server knows to be valid (in the key cache) pays into its
 *   key's budget only.
 * - Anything else (no key, a malformed header, a key not known yet) pays
 *   into its client address's budget first, before any lookup; then a
 *   key is looked up once. A valid one is cached and pays into its key's
 *   budget too; an unknown or revoked one is remembered (src/auth/refusals.ts),
 *   so sending it again costs no SQL and keeps paying into the address.
 * - The calendar feed and the reports authenticate by their token, not by
 *   headers: every such request pays into its address and its token's budget.
 *
 * The outcome is kept per request for the GraphQL context (`viewerOf`).
 */
export interface Admission {
  plugin: Plugin;
  /** The request's viewer (null without a key); throws UNAUTHENTICATED for a malformed, unknown or revoked key. */
  viewerOf(request: Request): Viewer | null;
  /** The same, null for anything but an admitted key. */
  admittedViewer(request: Request): Viewer | null;
}

/** Told about each 429 and each request the admission could not judge (for the metrics and the log). */
export interface AdmissionObserver {
  refused(request: Request, budget: Charge['policy']): void;
  failed(request: Request, error: unknown): void;
}

/** Pays one charge into a budget: the 429 to answer when it is spent, or null. */
type Pay = (charging: Promise<Charge | null>) => Promise<Response | null>;

/** A lookup that failed (e.g. the database is down) is thrown from the context, where Yoga masks it. */
type Outcome = { viewer: Viewer | null } | { error: unknown };

export function createAdmission(db: Db, versions: WorkspaceVersions, keyCache: KeyCache, limiter: RateLimiter, observer: AdmissionObserver): Admission {
  const refusals = new Refusals();
  const outcomes = new WeakMap<Request, Outcome>();
  const charges = new WeakMap<Request, Charge>();

  async function admit(credential: Credential, pay: Pay, payByAddress: () => Promise<Response | null>): Promise<Outcome | Response> {
    if (credential.kind === 'key') {
      const known = keyCache.get(credential.hash);
      if (known) return (await pay(limiter.key(credential.hash))) ?? { viewer: known };
    }
    const throttled = await payByAddress();
    if (throttled) return throttled;
    if (credential.kind === 'none') return { viewer: null };
    if (credential.kind === 'malformed') return { error: unauthenticated('The Authorization header must read "Bearer <key>".') };
    if (refusals.has(credential.hash)) return unknownKey();
    let viewer: Viewer | null;
    const stamp = versions.stamp();
    try {
      viewer = await findKey(db, credential.hash);
    } catch (error) {
      return { error };
    }
    if (!viewer) {
      refusals.add(credential.hash);
      return unknownKey();
    }
    keyCache.set(credential.hash, viewer, stamp);
    return (await pay(limiter.key(credential.hash))) ?? { viewer };
  }

  return {
    plugin: {
      async onRequest({ request, url, serverContext, endResponse }) {
        try {
          // The budget paid into last is the one the answer's RateLimit headers describe.
          const pay: Pay = async (charging) => {
            const charge = await charging;
            if (charge) charges.set(request, charge);
            if (charge?.refused) observer.refused(request, charge.policy);
            return charge?.refused ?? null;
          };
          const payByAddress = () => pay(limiter.address(request, serverContext as ServerContext));
          const linked = isFeedRequest(request, url) ? 'calendar token' : isReportRequest(request, url) ? 'report token' : null;
          if (linked) {
            const token = url.searchParams.get('token');
            const throttled = (await payByAddress()) ?? (token ? await pay(limiter.linkToken(hashSecret(token), linked)) : null);
            if (throttled) endResponse(throttled);
            return;
          }
          const outcome = await admit(parseAuthorization(request.headers.get('authorization')), pay, payByAddress);
          if (outcome instanceof Response) endResponse(outcome);
          else outcomes.set(request, outcome);
        } catch (error) {
          // A shared rate-limit store that is down: thrown from here, the HTTP layer would answer with the stack.
          observer.failed(request, error);
          endResponse(unexpectedFailure());
        }
      },
      onResponse({ request, response }) {
        const charge = charges.get(request);
        if (charge) for (const [name, value] of Object.entries(rateLimitHeaders(charge))) response.headers.set(name, value);
      },
    },
    admittedViewer(request) {
      const outcome = outcomes.get(request);
      return outcome && 'viewer' in outcome ? outcome.viewer : null;
    },
    viewerOf(request) {
      const outcome = outcomes.get(request);
      if (!outcome) throw new Error('The request did not pass the admission plugin.');
      if ('error' in outcome) throw outcome.error;
      return outcome.viewer;
    },
  };
}

function unexpectedFailure(): Response {
  const body = { errors: [{ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] };
  return new Response(JSON.stringify(body), { status: 500, headers: { 'content-type': 'application/json; charset=utf-8' } });
}

function unknownKey(): Outcome {
  return { error: unauthenticated('This API key is unknown or revoked.') };
}

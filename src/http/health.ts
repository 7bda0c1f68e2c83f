import { useReadinessCheck, type Plugin } from 'graphql-yoga';
import type { Database } from '../db/client.js';

/** Yoga's built-in liveness endpoint answers here: 200 while the process runs. */
export const LIVENESS_PATH = '/healthz';
export const READINESS_PATH = '/readyz';

/** Set when the server starts draining, so load balancers stop sending it requests. */
export interface Readiness {
  draining: boolean;
}

/**
 * /readyz: 200 when the database answers `SELECT 1` within the timeout,
 * 503 when it does not or the server is draining. The body says which,
 * never the driver's message (it may name hosts or users).
 */
export function readinessPlugin(database: Database, readiness: Readiness, timeoutMs = 2000): Plugin {
  return useReadinessCheck({
    endpoint: READINESS_PATH,
    async check() {
      if (readiness.draining) return unready('draining');
      const reachable = await Promise.race([
        database.prisma.$queryRaw`SELECT 1`.then(
          () => true,
          () => false,
        ),
        new Promise<false>((resolve) => setTimeout(resolve, timeoutMs, false).unref()),
      ]);
      return reachable ? new Response(JSON.stringify({ status: 'ready' }), { status: 200, headers: { 'content-type': 'application/json' } }) : unready('database unreachable');
    },
  });
}

function unready(reason: string): Response {
  return new Response(JSON.stringify({ status: 'unready', reason }), { status: 503, headers: { 'content-type': 'application/json' } });
}

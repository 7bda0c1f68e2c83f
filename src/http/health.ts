import { useReadinessCheck, type Plugin } from 'graphql-yoga';
import type { Database } from '../db/client.js';
import type { ReplicaStatus } from '../db/replicas.js';

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
 * never the driver's message (it may name hosts or users). Only the primary
 * decides: a replica that is down or lagging is a warning in the body (its
 * reads go to the primary meanwhile), never an outage.
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
      if (!reachable) return unready('database unreachable');
      const warnings = (database.replicas?.status() ?? []).filter((replica) => replica.state !== 'ok').map(replicaWarning);
      return new Response(JSON.stringify({ status: 'ready', ...(database.replicas ? { replicas: database.replicas.status() } : {}), ...(warnings.length ? { warnings } : {}) }), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      });
    },
  });
}

function replicaWarning({ replica, state, lagMs }: ReplicaStatus): string {
  return state === 'down' ? `replica ${replica} is unreachable: its reads go to the primary` : `replica ${replica} lags ${lagMs} ms behind the primary: its reads go to the primary`;
}

function unready(reason: string): Response {
  return new Response(JSON.stringify({ status: 'unready', reason }), { status: 503, headers: { 'content-type': 'application/json' } });
}

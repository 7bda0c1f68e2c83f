import pg from 'pg';
import { walPosition } from '../../src/db/replicas.js';
import { deliveryScenarios } from './delivery-scenarios.js';
import { matrixScenario } from './matrix-scenario.js';
import type { Scenario } from './scenarios.js';

/**
 * With BENCH_REPLICA_URLS (streaming replicas of DATABASE_URL, e.g. from
 * test/support/replica.sh): recommendations (uncached) and the matrix again
 * with DATABASE_REPLICA_URLS set, so the same run shows their reads on the
 * replica beside their reads on the primary.
 */
export const BENCH_REPLICA_URLS = process.env.BENCH_REPLICA_URLS ?? '';

const onReplica = (scenario: Scenario): Scenario => ({ ...scenario, name: `${scenario.name}-on-replica`, env: { ...scenario.env, DATABASE_REPLICA_URLS: BENCH_REPLICA_URLS } });

const uncached = deliveryScenarios.find((s) => s.name === 'recommend-uncached');

export const replicaScenarios: Scenario[] = BENCH_REPLICA_URLS && uncached ? [onReplica(uncached), onReplica(matrixScenario)] : [];

/** Waits until every replica replayed what the primary holds now (the synthetic workspace just written), at most a minute. */
export async function replicasCaughtUp(primaryUrl: string, log: (line: string) => void): Promise<void> {
  if (!BENCH_REPLICA_URLS) return;
  const ask = async (url: string, sql: string) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return String((await client.query(sql)).rows[0]?.lsn);
    } finally {
      await client.end();
    }
  };
  const target = walPosition(await ask(primaryUrl, 'SELECT pg_current_wal_lsn()::text AS lsn'));
  for (const url of BENCH_REPLICA_URLS.split(',').map((u) => u.trim())) {
    const deadline = Date.now() + 60_000;
    while (walPosition(await ask(url, 'SELECT pg_last_wal_replay_lsn()::text AS lsn')) < target) {
      if (Date.now() > deadline) throw new Error('a replica did not catch up with the primary within a minute');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  log('replicas caught up with the primary');
}

import { body, type Figures, type MeasureContext, type Scenario } from './scenarios.js';
import type { BenchShape } from './synthetic.js';

/**
 * Ingest through recordInteractions: batches of 500 new events (unique
 * clientEventIds, made before the clock starts), sent by `connections`
 * clients for `duration` seconds; the figure that counts is events stored
 * per second. A third of the events happen at one of two touchpoints the
 * scenario makes (and deletes afterwards), in sessions of about five
 * events, so the session steps are part of the cost.
 */
export const BATCH = 500;
export const RECORD = 'mutation ($events: [InteractionEventInput!]!) { recordInteractions(input: { events: $events }) { accepted duplicates refused { index code } } }';

export const interactionsIngestScenario: Scenario = {
  name: 'interactions-ingest',
  role: 'DELIVERY',
  // What the statement count is taken on (sent twice: the second time every event is a duplicate).
  bodies: (shape) => [body(RECORD, { events: batch(shape, 'count', 0, []) })],
  measure: measureIngest,
};

export type Touchpoint = { id: string; segment: string; phase: string; channel: string };

export function batch(shape: BenchShape, run: string, n: number, touchpoints: Touchpoint[]): Record<string, unknown>[] {
  const journey = shape.journeys[0]!;
  const now = Date.now();
  return Array.from({ length: BATCH }, (_, i) => {
    const seq = n * BATCH + i;
    const at = touchpoints.length > 0 && seq % 3 === 0 ? touchpoints[seq % touchpoints.length] : null;
    return {
      clientEventId: `${run}-${seq}`,
      type: ['IMPRESSION', 'IMPRESSION', 'IMPRESSION', 'VIEW', 'CLICK', 'CONVERSION'][seq % 6],
      // Real-time traffic: 200 pieces, each served in its own cell, events of the last ten minutes.
      externalId: `ext-${(seq * 7919) % 200}`,
      segment: at?.segment ?? journey.segments[((seq * 7919) % 200) % journey.segments.length]!.key,
      phase: at?.phase ?? journey.phases[((seq * 7919) % 200) % journey.phases.length]!.key,
      channel: at?.channel ?? shape.channels[((seq * 7919) % 200) % shape.channels.length]!.key,
      ...(at ? { touchpointId: at.id } : {}),
      device: seq % 2 ? 'mobile' : 'desktop',
      occurredAt: new Date(now - ((seq * 37) % 600) * 1000).toISOString(),
      visitorId: `v-${run}-${Math.floor(seq / 20)}`,
      sessionId: `s-${run}-${Math.floor(seq / 5)}`,
    };
  });
}

async function measureIngest(context: MeasureContext): Promise<Figures & Record<string, unknown>> {
  const base = context.bases[0]!;
  const gql = async (key: string, query: string, variables: Record<string, unknown> = {}) => {
    const response = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: body(query, variables) });
    const json = (await response.json()) as { data?: Record<string, any>; errors?: unknown[] };
    if (json.errors) throw new Error(JSON.stringify(json.errors));
    return json.data!;
  };
  const journey = context.shape.journeys[0]!;
  const run = `bench-${Date.now().toString(36)}`;
  const touchpoints: Touchpoint[] = [];
  for (const [i, phase] of journey.phases.slice(0, 2).entries()) {
    const made = await gql(context.keys.EDITOR, 'mutation ($input: CreateTouchpointInput!) { createTouchpoint(input: $input) { touchpoint { id } userErrors { message } } }', {
      input: { name: `${run} touchpoint ${i}`, phase: { journey: journey.key, phase: phase.key }, channel: context.shape.channels[0]!.key },
    });
    touchpoints.push({ id: made.createTouchpoint.touchpoint.id, segment: journey.segments[0]!.key, phase: phase.key, channel: context.shape.channels[0]!.key });
  }
  try {
    // Enough batches for 40,000 events a second, made before the clock starts.
    const bodies = Array.from({ length: Math.ceil((40_000 * (context.duration + 2)) / BATCH) }, (_, n) => body(RECORD, { events: batch(context.shape, run, n, touchpoints) }));
    let next = 0;
    const send = async (measured: number[] | null, until: number, statuses: Record<string, number>) => {
      let accepted = 0;
      while (performance.now() < until && next < bodies.length) {
        const started = performance.now();
        const response = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${context.keys.DELIVERY}` }, body: bodies[next++] });
        const json = (await response.json()) as { data?: { recordInteractions: { accepted: number; refused: unknown[] } }; errors?: unknown[] };
        statuses[response.status] = (statuses[response.status] ?? 0) + 1;
        if (json.errors || json.data?.recordInteractions.refused.length) throw new Error(`ingest failed: ${JSON.stringify(json).slice(0, 500)}`);
        accepted += json.data?.recordInteractions.accepted ?? 0;
        measured?.push(performance.now() - started);
      }
      return accepted;
    };
    const clients = context.connections;
    // Warm-up: two seconds.
    await Promise.all(Array.from({ length: clients }, () => send(null, performance.now() + 2000, {})));
    const latencies: number[] = [];
    const statuses: Record<string, number> = {};
    const started = performance.now();
    const accepted = (await Promise.all(Array.from({ length: clients }, () => send(latencies, started + context.duration * 1000, statuses)))).reduce((a, b) => a + b, 0);
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const at = (q: number) => Math.round((latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0) * 100) / 100;
    return {
      requestsPerSecond: Math.round((latencies.length / seconds) * 100) / 100,
      latencyMs: { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: at(1) },
      requests: latencies.length,
      statuses,
      errors: 0,
      eventsPerSecond: Math.round(accepted / seconds),
      batchSize: BATCH,
      ranOutOfBatches: next >= bodies.length,
    };
  } finally {
    for (const touchpoint of touchpoints) await gql(context.keys.EDITOR, 'mutation ($id: ID!) { deleteTouchpoint(input: { id: $id }) { deletedId } }', { id: touchpoint.id });
  }
}

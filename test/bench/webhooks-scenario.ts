import { contentEvents } from '../../src/webhooks/content-events.js';
import { recordEvents } from '../../src/webhooks/outbox.js';
import { startReceiver } from '../support/webhook-receiver.js';
import { body, type Figures, type MeasureContext, type Scenario } from './scenarios.js';
import { BENCH_WORKSPACE_ID, type BenchShape } from './synthetic.js';

/**
 * Webhooks' two targets. What the outbox adds to a 1,000-row importContent:
 * the scenario's figures are the import's own (10 imports of 1,000 new
 * pieces, each deleted again), and its bare SQL is the outbox's INSERT of
 * those 1,000 events alone (in a transaction rolled back), so the outbox's
 * share is bare / (import − bare). And from a write's commit to its
 * delivery: 200 single-row imports, 25 ms apart, to a loopback receiver that
 * verifies each signature; the delay runs from sending the write (before its
 * commit) to the receiver having it.
 */
const IMPORTS = 10;
const ROWS = 1000;
const WRITES = 200;
const GAP_MS = 25;
const IMPORT = 'mutation ($input: ImportContentInput!) { importContent(input: $input) { created userErrors { message } } }';

export const webhooksScenario: Scenario = {
  name: 'webhooks',
  // Development mode: production takes https endpoints only, and the receiver is plain http on loopback.
  env: { NODE_ENV: 'development', WEBHOOK_SECRET_KEY: 'the benchmark\'s webhook key, at least 32 characters', WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' },
  connections: 1,
  bodies: () => [body('{ webhookEndpoints(first: 1) { totalCount } }')],
  measure: measureWebhooks,
  async bareSql(database) {
    const events = Array.from({ length: ROWS }, (_, i) =>
      contentEvents({ id: `bench-outbox-${i}`, externalId: `bench-outbox-${i}`, source: null, before: null, after: 'DRAFT', edited: true }),
    ).flat();
    await database.prisma
      .$transaction(async (tx) => {
        await recordEvents(tx, BENCH_WORKSPACE_ID, events);
        throw new RolledBack();
      })
      .catch((error: unknown) => {
        if (!(error instanceof RolledBack)) throw error;
      });
  },
};

class RolledBack extends Error {}

function rows(shape: BenchShape, prefix: string, count: number) {
  const journey = shape.journeys[0]!;
  return Array.from({ length: count }, (_, i) => ({
    externalId: `${prefix}-${i}`,
    title: `Webhook bench ${prefix} ${i}`,
    format: 'ARTICLE',
    status: 'DRAFT',
    locale: 'nl-NL',
    phases: [{ journey: journey.key, phase: journey.phases[i % journey.phases.length]!.key }],
    channels: [shape.channels[i % shape.channels.length]!.key],
  }));
}

async function measureWebhooks(context: MeasureContext): Promise<Figures & Record<string, unknown>> {
  const base = context.bases[0]!;
  const gql = async (key: string, query: string, variables: Record<string, unknown> = {}) => {
    const response = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: body(query, variables) });
    const json = (await response.json()) as { data?: Record<string, any>; errors?: unknown[] };
    if (json.errors) throw new Error(JSON.stringify(json.errors));
    return json.data!;
  };
  const remove = async (externalIds: string[]) => {
    for (let i = 0; i < externalIds.length; i += 1000) await gql(context.keys.EDITOR, 'mutation ($ids: [String!]!) { deleteContent(input: { externalIds: $ids }) { deleted } }', { ids: externalIds.slice(i, i + 1000) });
  };
  const run = Date.now().toString(36);

  // The import, with its outbox INSERT (no endpoint: the events are written all the same).
  const importMs: number[] = [];
  for (let n = 0; n < IMPORTS + 1; n++) {
    const batch = rows(context.shape, `wh-${run}-${n}`, ROWS);
    const started = performance.now();
    const answer = await gql(context.keys.EDITOR, IMPORT, { input: { pieces: batch } });
    if (n > 0) importMs.push(performance.now() - started); // the first warms up
    if (answer.importContent.created !== ROWS) throw new Error(`import: ${JSON.stringify(answer)}`);
    await remove(batch.map((r) => r.externalId));
  }

  // Commit to delivery.
  const receiver = await startReceiver();
  const created = await gql(context.keys.ADMIN, 'mutation ($url: String!) { createWebhookEndpoint(input: { url: $url, eventTypes: [CONTENT_CREATED] }) { secret webhookEndpoint { id } userErrors { message } } }', { url: receiver.url });
  if (!created.createWebhookEndpoint.secret) throw new Error(`no endpoint: ${JSON.stringify(created)}`);
  receiver.secrets.push(created.createWebhookEndpoint.secret);
  const sentAt = new Map<string, number>();
  const singles = rows(context.shape, `wh1-${run}`, WRITES);
  for (const row of singles) {
    sentAt.set(row.externalId, Date.now());
    await gql(context.keys.EDITOR, IMPORT, { input: { pieces: [row] } });
    await new Promise((resolve) => setTimeout(resolve, GAP_MS));
  }
  await receiver.waitFor(WRITES, 'content.created', 60_000);
  const deliveryMs = receiver.received.map((r) => r.receivedAt - sentAt.get(r.payload.data.externalId as string)!);
  await receiver.close();
  await gql(context.keys.ADMIN, 'mutation ($id: ID!) { deleteWebhookEndpoint(input: { id: $id }) { deletedId } }', { id: created.createWebhookEndpoint.webhookEndpoint.id });
  await remove(singles.map((r) => r.externalId));

  const importFigures = percentiles(importMs);
  return {
    requestsPerSecond: round(1000 / importFigures.p50),
    latencyMs: importFigures,
    requests: importMs.length,
    statuses: { 200: importMs.length },
    errors: 0,
    importRows: ROWS,
    deliveries: { count: deliveryMs.length, rejected: receiver.rejected.length, commitToDeliveryMs: percentiles(deliveryMs) },
  };
}

function percentiles(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: round(sorted.at(-1) ?? 0) };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase, type Database } from '../src/db/client.js';
import type { DatabaseConfig } from '../src/db/config.js';
import { emptyDatabase } from './support/databases.js';
import { startServerProcess, type ServerProcess } from './support/process.js';
import { startReceiver, type Receiver } from './support/webhook-receiver.js';

/**
 * The outbox against a real crash: the server process is killed with
 * SIGKILL in the middle of a burst of 1,000 changes, after some commits and
 * before their deliveries. After a restart every committed event arrives
 * (at least once), none is lost, and a resent event keeps its webhook-id
 * and body. An instance with WEBHOOK_DISPATCH=false sends nothing. On both
 * databases.
 */
const ENV = { DEMO_DATA: 'true', WEBHOOK_SECRET_KEY: 'a webhook key for the crash test, 32+ characters', WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true', WEBHOOK_RETRY_SCHEDULE: '200ms,400ms,800ms' };
const BATCHES = 10;
const ROWS = 100;

let config: DatabaseConfig;
let url: string;
let server: ServerProcess | null = null;
let receiver: Receiver;
let database: Database;

beforeAll(async () => {
  config = await emptyDatabase();
  url = config.provider === 'sqlite' ? `file:${config.url}` : config.url;
  receiver = await startReceiver();
}, 60_000);
afterAll(async () => {
  await server?.stop();
  await receiver.close();
  await database?.disconnect();
});

async function gql(key: string, query: string, variables: Record<string, unknown> = {}) {
  const response = await fetch(`${server!.base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ query, variables }) });
  return (await response.json()) as { data?: Record<string, any>; errors?: unknown[] };
}

async function importBatch(batch: number) {
  const pieces = Array.from({ length: ROWS }, (_, i) => ({
    externalId: `burst-${batch}-${i}`,
    title: `Burst ${batch}.${i}`,
    format: 'ARTICLE',
    status: 'DRAFT',
    locale: 'nl-NL',
    phases: [{ journey: 'consument', phase: 'attention' }],
    channels: ['social'],
  }));
  const res = await gql('cpk_demo_editor', 'mutation ($input: ImportContentInput!) { importContent(input: $input) { created userErrors { message } } }', { input: { pieces } });
  expect(res.data?.importContent).toEqual({ created: ROWS, userErrors: [] });
}

it('delivers every committed event after a SIGKILL and a restart, with stable ids; WEBHOOK_DISPATCH=false sends nothing', async () => {
  server = await startServerProcess(url, ENV);
  database = openDatabase(config);
  const created = await gql('cpk_demo_admin', 'mutation { createWebhookEndpoint(input: { url: "' + receiver.url + '", eventTypes: [CONTENT_CREATED] }) { secret userErrors { message } } }');
  expect(created.data?.createWebhookEndpoint.userErrors).toEqual([]);
  receiver.secrets.push(created.data!.createWebhookEndpoint.secret);
  // A slow receiver: deliveries lag the burst, so the kill lands between commits and their deliveries.
  receiver.delayMs = 40;

  for (let batch = 0; batch < BATCHES / 2; batch++) await importBatch(batch);
  server.child.kill('SIGKILL');
  await new Promise((resolve) => server!.child.once('exit', resolve));
  const beforeCrash = receiver.received.length;
  expect(beforeCrash).toBeLessThan((BATCHES / 2) * ROWS);

  // Without the dispatcher, writes are taken and their events wait.
  server = await startServerProcess(url, { ...ENV, WEBHOOK_DISPATCH: 'false' });
  for (let batch = BATCHES / 2; batch < BATCHES; batch++) await importBatch(batch);
  const held = receiver.received.length;
  await new Promise((resolve) => setTimeout(resolve, 2000));
  expect(receiver.received.length).toBe(held);
  expect(receiver.received.filter((r) => r.payload.data.externalId.startsWith(`burst-${BATCHES / 2}-`))).toEqual([]);
  await server.stop();

  server = await startServerProcess(url, ENV);
  receiver.delayMs = 0;
  const outbox = await database.prisma.webhookEvent.findMany({ where: { type: 'content.created' }, select: { id: true, body: true } });
  expect(outbox).toHaveLength(BATCHES * ROWS);
  // Claims of the killed process run out after the send timeout; then their deliveries are taken again.
  const deadline = Date.now() + 60_000;
  const ids = () => new Set(receiver.received.map((r) => r.id));
  while (ids().size < outbox.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
  expect(outbox.filter((event) => !ids().has(event.id))).toEqual([]);
  const bodyOf = new Map(outbox.map((e) => [e.id, e.body]));
  for (const r of receiver.received) expect(r.body).toBe(bodyOf.get(r.id));
  expect(new Set(receiver.received.map((r) => r.payload.data.externalId)).size).toBe(BATCHES * ROWS);
  expect(receiver.rejected).toEqual([]);
}, 180_000);

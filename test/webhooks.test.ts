import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { silentLogger } from '../src/http/request-log.js';
import { EventClock } from '../src/webhooks/clock.js';
import { Dispatcher } from '../src/webhooks/dispatcher.js';
import { MAX_BODY_BYTES } from '../src/webhooks/outbox.js';
import { openSecret } from '../src/webhooks/secrets.js';
import { startTestApp, TEST_WEBHOOKS, type TestApp, type WorkspaceKeys } from './support/app.js';
import { Fixture } from './support/fixtures.js';
import { startReceiver, type Receiver } from './support/webhook-receiver.js';

/**
 * Webhooks as a receiver sees them: a real HTTP receiver on loopback
 * verifies every delivery with the standardwebhooks package; the server's
 * dispatcher runs beside the app, as main.ts runs it.
 */
const SETTINGS = { ...TEST_WEBHOOKS, policy: { httpsOnly: false, allowPrivate: true }, retrySchedule: [100, 200, 400, 800], sendTimeoutMs: 2000 };
const CREATE = `mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret webhookEndpoint { id url eventTypes enabled } userErrors { field code message } } }`;
const UPDATE = `mutation ($input: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(input: $input) { webhookEndpoint { id enabled disabledReason eventTypes } userErrors { field code message } } }`;
const ROTATE = `mutation ($input: RotateWebhookEndpointSecretInput!) { rotateWebhookEndpointSecret(input: $input) { secret webhookEndpoint { previousSecretExpiresAt } userErrors { field code message } } }`;
const LOG = `query ($id: ID!) { node(id: $id) { ... on WebhookEndpoint { deliveries(first: 50) { totalCount edges { node { id status attemptCount nextAttemptAt event { webhookId type body } attempts { statusCode durationMs error } } } } } } }`;
const IMPORT = 'mutation ($input: ImportContentInput!) { importContent(input: $input) { created updated userErrors { field code message } } }';
const STATUS = 'mutation ($input: SetContentStatusInput!) { setContentStatus(input: $input) { userErrors { code message } } }';

let app: TestApp;
let ws: WorkspaceKeys;
let fixture: Fixture;
let dispatcher: Dispatcher;
let receiver: Receiver;
const endpoints: string[] = [];

beforeAll(async () => {
  app = await startTestApp({ webhooks: SETTINGS });
  ws = await app.workspace('Hooks');
  fixture = new Fixture(app.database.prisma, ws.workspaceId);
  await fixture.journey('b2c', [['attention', 'BECOME'], ['always', 'STAY']]);
  await fixture.segment('gezinnen');
  await fixture.channel('web');
  await fixture.touchpoint('Homepage', 'attention', 'web');
  dispatcher = new Dispatcher(app.database, SETTINGS, new EventClock(app.database), silentLogger());
  app.database.versions.onMove(() => dispatcher.nudge());
  dispatcher.start();
});

afterAll(async () => {
  await dispatcher.stop();
  await app.close();
});

afterEach(async () => {
  // Each test listens with its own receiver and endpoint.
  for (const id of endpoints.splice(0)) await app.gql(ws.ADMIN, `mutation ($id: ID!) { deleteWebhookEndpoint(input: { id: $id }) { deletedId } }`, { id });
  await receiver?.close();
});

async function listen(eventTypes?: string[]): Promise<{ id: string; secret: string }> {
  receiver = await startReceiver();
  const res = await app.gql(ws.ADMIN, CREATE, { input: { url: receiver.url, description: 'Test receiver', eventTypes } });
  expect(res.data?.createWebhookEndpoint.userErrors).toEqual([]);
  const { secret, webhookEndpoint } = res.data!.createWebhookEndpoint;
  receiver.secrets.push(secret);
  endpoints.push(webhookEndpoint.id);
  return { id: webhookEndpoint.id, secret };
}

function row(externalId: string, extra: Record<string, unknown> = {}) {
  return { externalId, title: `Piece ${externalId}`, format: 'ARTICLE', status: 'PUBLISHED', locale: 'nl-NL', phases: [{ journey: 'b2c', phase: 'attention' }], channels: ['web'], ...extra };
}

async function importRows(rows: Record<string, unknown>[]) {
  const res = await app.gql(ws.EDITOR, IMPORT, { input: { pieces: rows } });
  expect(res.errors).toBeUndefined();
  return res.data!.importContent;
}

async function pieceId(externalId: string): Promise<string> {
  const piece = await app.database.prisma.contentPiece.findFirstOrThrow({ where: { workspaceId: ws.workspaceId, externalId } });
  return encodeGlobalID('ContentPiece', piece.id);
}

async function deliveryLog(endpointId: string) {
  const res = await app.gql(ws.ADMIN, LOG, { id: endpointId });
  expect(res.errors).toBeUndefined();
  return res.data!.node.deliveries.edges.map((e: { node: any }) => e.node);
}

/** Straight in the database, as another process would: the clock does not see it as a write. */
async function removeAllContent() {
  const where = { where: { workspaceId: ws.workspaceId } };
  await app.database.prisma.contentPiece.deleteMany(where);
  await app.database.prisma.contentTarget.deleteMany(where);
  await app.database.prisma.contentCell.deleteMany(where);
}

async function until<T>(what: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await what();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('content events', () => {
  it('sends created, updated, status_changed, archived and deleted, each signed and verified, with a body that names the piece', async () => {
    await listen(['CONTENT_CREATED', 'CONTENT_UPDATED', 'CONTENT_STATUS_CHANGED', 'CONTENT_ARCHIVED', 'CONTENT_DELETED']);
    expect((await importRows([row('c-1', { status: 'DRAFT' })])).created).toBe(1);
    const id = await pieceId('c-1');
    expect((await importRows([row('c-1', { status: 'DRAFT', title: 'Renamed' })])).updated).toBe(1);
    await app.gql(ws.EDITOR, STATUS, { input: { id, status: 'IN_REVIEW' } });
    await app.gql(ws.EDITOR, `mutation { archiveContent(input: { externalIds: ["c-1"] }) { archived } }`);
    await app.gql(ws.EDITOR, `mutation { deleteContent(input: { externalIds: ["c-1"] }) { deleted } }`);
    const received = await receiver.waitFor(6);
    const types = received.map((r) => r.payload.type);
    expect(types.sort()).toEqual(['content.archived', 'content.created', 'content.deleted', 'content.status_changed', 'content.status_changed', 'content.updated'].sort());
    for (const r of received) {
      expect(r.payload.workspace.id).toBe(encodeGlobalID('Workspace', ws.workspaceId));
      expect(r.payload.data).toMatchObject({ object: 'ContentPiece', id, externalId: 'c-1' });
      expect(Buffer.byteLength(r.body)).toBeLessThan(MAX_BODY_BYTES);
      expect(r.id).toMatch(/^msg_/);
      expect(Math.abs(r.timestamp * 1000 - Date.now())).toBeLessThan(60_000);
    }
    const changed = received.filter((r) => r.payload.type === 'content.status_changed').map((r) => [r.payload.data.previousStatus, r.payload.data.status]);
    expect(changed.sort()).toEqual([['DRAFT', 'IN_REVIEW'], ['IN_REVIEW', 'ARCHIVED']]);
    expect(new Set(received.map((r) => r.id)).size).toBe(6);
    expect(receiver.rejected).toEqual([]);
  });

  it('sends only the types an endpoint asked for, and nothing for a refused write', async () => {
    await listen(['CONTENT_DELETED']);
    await importRows([row('s-1')]);
    // A refused import (one bad row) writes nothing, so it tells nothing.
    const refused = await importRows([row('s-2'), row('s-3', { channels: ['nowhere'] })]);
    expect(refused.userErrors.length).toBeGreaterThan(0);
    await app.gql(ws.EDITOR, `mutation { deleteContent(input: { externalIds: ["s-1"] }) { deleted } }`);
    await receiver.waitFor(1, 'content.deleted');
    await new Promise((r) => setTimeout(r, 500));
    expect(receiver.received.map((r) => r.payload.type)).toEqual(['content.deleted']);
    const outbox = await app.database.prisma.webhookEvent.findMany({ where: { workspaceId: ws.workspaceId } });
    expect(outbox.map((e) => JSON.parse(e.body).data.externalId)).not.toContain('s-2');
  });
});

describe('delivery', () => {
  it('retries a receiver that is down, with the same webhook-id, until it comes back; the log shows every attempt', async () => {
    const { id } = await listen(['CONTENT_CREATED']);
    receiver.answer = (_r, attempt) => (attempt <= 2 ? 503 : 200);
    await importRows([row('r-1')]);
    const [received] = await receiver.waitFor(1);
    const log = await until(() => deliveryLog(id), (l) => l[0]?.status === 'SUCCEEDED');
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ status: 'SUCCEEDED', attemptCount: 3, nextAttemptAt: null, event: { webhookId: received!.id, type: 'content.created', body: received!.body } });
    expect(log[0].attempts.map((a: { statusCode: number }) => a.statusCode)).toEqual([503, 503, 200]);
    expect(log[0].attempts[0].error).toBe('HTTP 503');
  });

  it('retries a receiver that is not listening at all until it listens', async () => {
    const { id } = await listen(['CONTENT_CREATED']);
    const port = new URL(receiver.url).port;
    await receiver.close();
    await importRows([row('down-1')]);
    const refused = await until(() => deliveryLog(id), (l) => l[0]?.attempts.length >= 2);
    expect(refused[0].attempts[0]).toMatchObject({ statusCode: null, error: 'Connection refused' });
    expect(refused[0].status).toBe('PENDING');
    const secrets = receiver.secrets;
    receiver = await startReceiver('/hooks', Number(port));
    receiver.secrets.push(...secrets);
    const [received] = await receiver.waitFor(1);
    expect(received!.payload.data.externalId).toBe('down-1');
    expect((await until(() => deliveryLog(id), (l) => l[0]?.status === 'SUCCEEDED'))[0].event.webhookId).toBe(received!.id);
  });

  it('counts a receiver that takes longer than the timeout as failed, and tries again', async () => {
    const { id } = await listen(['CONTENT_CREATED']);
    receiver.delayMs = 3500;
    receiver.answer = (_r, attempt) => (attempt === 1 ? 200 : 204);
    await importRows([row('slow-1')]);
    const log = await until(() => deliveryLog(id), (l) => l[0]?.attempts.length >= 1, 8000);
    expect(log[0].attempts[0]).toMatchObject({ statusCode: null, error: 'No answer within 2 s' });
    expect(log[0].attempts[0].durationMs).toBeGreaterThanOrEqual(1990);
    expect(log[0].attempts[0].durationMs).toBeLessThan(3500);
    receiver.delayMs = 0;
    const done = await until(() => deliveryLog(id), (l) => l[0]?.status === 'SUCCEEDED', 8000);
    expect(done[0].attempts.at(-1).statusCode).toBe(204);
  });

  it('gives up after the last retry, and redeliverWebhook sends the same event again', async () => {
    const { id } = await listen(['CONTENT_CREATED']);
    receiver.answer = () => 500;
    await importRows([row('f-1')]);
    const log = await until(() => deliveryLog(id), (l) => l[0]?.status === 'FAILED');
    expect(log[0]).toMatchObject({ status: 'FAILED', attemptCount: SETTINGS.retrySchedule.length + 1, nextAttemptAt: null });
    receiver.answer = () => 200;
    const res = await app.gql(ws.ADMIN, `mutation ($id: ID!) { redeliverWebhook(input: { deliveryId: $id }) { delivery { status } userErrors { code } } }`, { id: log[0].id });
    expect(res.data?.redeliverWebhook).toEqual({ delivery: { status: 'PENDING' }, userErrors: [] });
    const [again] = await receiver.waitFor(1);
    expect(again!.id).toBe(log[0].event.webhookId);
  });

  it('turns the endpoint off when the receiver answers 410, and sends it nothing more', async () => {
    const { id } = await listen(['CONTENT_CREATED']);
    receiver.answer = () => 410;
    await importRows([row('g-1')]);
    const log = await until(() => deliveryLog(id), (l) => l[0]?.status === 'FAILED');
    expect(log[0].attemptCount).toBe(1);
    const endpoint = await app.gql(ws.ADMIN, `query ($id: ID!) { node(id: $id) { ... on WebhookEndpoint { enabled disabledReason } } }`, { id });
    expect(endpoint.data?.node).toEqual({ enabled: false, disabledReason: 'The receiver answered 410 Gone.' });
    await importRows([row('g-2')]);
    await new Promise((r) => setTimeout(r, 600));
    expect((await deliveryLog(id)).length).toBe(1);
    // Turned on again, it receives what happens next.
    receiver.answer = () => 200;
    const on = await app.gql(ws.ADMIN, UPDATE, { input: { id, enabled: true } });
    expect(on.data?.updateWebhookEndpoint.webhookEndpoint).toMatchObject({ enabled: true, disabledReason: null });
    await importRows([row('g-3')]);
    const [next] = await receiver.waitFor(1);
    expect(next!.payload.data.externalId).toBe('g-3');
  });

  it('signs with both secrets for 24 hours after a rotation, then with the new one only', async () => {
    const { id, secret: old } = await listen(['CONTENT_CREATED']);
    const rotated = await app.gql(ws.ADMIN, ROTATE, { input: { id } });
    const fresh = rotated.data!.rotateWebhookEndpointSecret.secret as string;
    expect(fresh).toMatch(/^whsec_/);
    expect(fresh).not.toBe(old);
    const until24h = new Date(rotated.data!.rotateWebhookEndpointSecret.webhookEndpoint.previousSecretExpiresAt).getTime() - Date.now();
    expect(until24h).toBeGreaterThan(23.9 * 3_600_000);
    receiver.secrets.push(fresh);
    await importRows([row('k-1')]);
    const [both] = await receiver.waitFor(1);
    expect(both!.signature.split(' ')).toHaveLength(2);
    expect(both!.verifiedWith.sort()).toEqual([old, fresh].sort());
    // A day later the old secret no longer signs.
    const row24 = await app.database.prisma.webhookEndpoint.findFirstOrThrow({ where: { workspaceId: ws.workspaceId, url: receiver.url } });
    await app.database.prisma.webhookEndpoint.update({ where: { id: row24.id }, data: { previousSecretUntil: new Date(Date.now() - 1000) } });
    await importRows([row('k-2')]);
    const [, after] = await receiver.waitFor(2);
    expect(after!.signature.split(' ')).toHaveLength(1);
    expect(after!.verifiedWith).toEqual([fresh]);
    expect(() => new Webhook(old).verify(after!.body, { 'webhook-id': after!.id, 'webhook-timestamp': String(after!.timestamp), 'webhook-signature': after!.signature })).toThrow();
  });

  it('keeps secrets sealed: the database holds no secret, and the key is needed to open it', async () => {
    const { secret } = await listen();
    const stored = await app.database.prisma.webhookEndpoint.findFirstOrThrow({ where: { workspaceId: ws.workspaceId, url: receiver.url } });
    expect(JSON.stringify(stored)).not.toContain(secret.slice('whsec_'.length, 20));
    expect(openSecret(SETTINGS.key!, ws.workspaceId, stored.secret)).toBe(secret);
    expect(() => openSecret(Buffer.alloc(32, 7), ws.workspaceId, stored.secret)).toThrow();
    // Bound to its workspace: the same ciphertext does not open as another workspace's.
    expect(() => openSecret(SETTINGS.key!, 'another-workspace', stored.secret)).toThrow();
  });

  it('two dispatchers on one database never send the same attempt twice', async () => {
    await listen(['CONTENT_CREATED']);
    // Two of their own, with the full timeout: a retry after a timeout is a new attempt, which would blur the count.
    await dispatcher.stop();
    const patient = { ...SETTINGS, sendTimeoutMs: undefined };
    const pair = [0, 1].map(() => new Dispatcher(app.database, patient, new EventClock(app.database), silentLogger()));
    for (const one of pair) one.start();
    try {
      await importRows(Array.from({ length: 150 }, (_, i) => row(`two-${i}`)));
      for (const one of pair) one.nudge();
      await receiver.waitFor(150);
      await new Promise((r) => setTimeout(r, 800));
      const ids = receiver.received.map((r) => r.id);
      expect(ids).toHaveLength(150);
      expect(new Set(ids).size).toBe(150);
    } finally {
      for (const one of pair) await one.stop();
      dispatcher.start();
    }
  });
});

describe('moments and coverage', () => {
  it('sends content.live and content.expired at the instants a published piece goes live and expires', async () => {
    await listen(['CONTENT_LIVE', 'CONTENT_EXPIRED']);
    // The clock starts watching with the first turn after the endpoint exists.
    await new Promise((r) => setTimeout(r, 1200));
    const publishAt = new Date(Date.now() + 1500);
    const expiresAt = new Date(publishAt.getTime() + 1500);
    await importRows([row('t-1', { publishAt: publishAt.toISOString(), expiresAt: expiresAt.toISOString() })]);
    const [live] = await receiver.waitFor(1, 'content.live');
    expect(live!.payload.data).toMatchObject({ externalId: 't-1', at: publishAt.toISOString() });
    expect(live!.receivedAt).toBeGreaterThanOrEqual(publishAt.getTime());
    expect(live!.receivedAt - publishAt.getTime()).toBeLessThan(3000);
    const [expired] = await receiver.waitFor(1, 'content.expired');
    expect(expired!.payload.data).toMatchObject({ externalId: 't-1', at: expiresAt.toISOString() });
    expect(expired!.receivedAt).toBeGreaterThanOrEqual(expiresAt.getTime());
    // Each moment once.
    await new Promise((r) => setTimeout(r, 1200));
    expect(receiver.received.map((r) => r.payload.type).sort()).toEqual(['content.expired', 'content.live']);
  });

  it('sends gap_closed and gap_opened when writes cover and uncover a cell, with the gap as contentGaps tells it', async () => {
    await removeAllContent();
    await listen(['COVERAGE_GAP_OPENED', 'COVERAGE_GAP_CLOSED']);
    // The first look remembers the open gaps and announces nothing.
    await new Promise((r) => setTimeout(r, 1500));
    expect(receiver.received).toEqual([]);
    const gaps = await app.gql(ws.EDITOR, `{ contentGaps(journey: "b2c", first: 10) { edges { node { kind severity message segment { key } phase { key } channel { key } } } } }`);
    const gap = gaps.data!.contentGaps.edges.map((e: { node: any }) => e.node).find((g: any) => g.segment.key === 'gezinnen' && g.phase.key === 'attention');
    expect(gap.kind).toBe('MISSING');
    await importRows([row('cov-1', { segments: ['gezinnen'] })]);
    const [closed] = await receiver.waitFor(1, 'coverage.gap_closed');
    expect(closed!.payload.data).toMatchObject({ object: 'ContentGap', segment: { key: 'gezinnen' }, phase: { key: 'attention' }, channel: { key: 'web' }, status: 'COVERED', kind: 'MISSING', severity: gap.severity, message: gap.message });
    await app.gql(ws.EDITOR, `mutation { archiveContent(input: { externalIds: ["cov-1"] }) { archived } }`);
    const [opened] = await receiver.waitFor(1, 'coverage.gap_opened');
    expect(opened!.payload.data).toMatchObject({ segment: { key: 'gezinnen' }, phase: { key: 'attention' }, channel: { key: 'web' }, kind: 'MISSING', status: 'MISSING', severity: gap.severity, message: gap.message });
    expect(opened!.payload.data.suggestedFormats.length).toBeGreaterThan(0);
  });

  it('sends gap_opened when time alone uncovers a cell, and gap_closed when time covers it', async () => {
    await removeAllContent();
    await listen(['COVERAGE_GAP_OPENED', 'COVERAGE_GAP_CLOSED']);
    const now = Date.now();
    // Goes live in 2 s: the cell is MISSING until then, covered after.
    await importRows([row('time-1', { segments: ['gezinnen'], publishAt: new Date(now + 2000).toISOString() })]);
    await new Promise((r) => setTimeout(r, 1200));
    expect(receiver.received).toEqual([]);
    const [closed] = await receiver.waitFor(1, 'coverage.gap_closed');
    expect(closed!.payload.data).toMatchObject({ segment: { key: 'gezinnen' }, phase: { key: 'attention' }, status: 'COVERED', kind: 'MISSING' });
    expect(closed!.receivedAt).toBeGreaterThanOrEqual(now + 2000);
    // It expires 14 days and 2 s from now: covered until the 14-day look-ahead reaches that, EXPIRING (a gap) from then.
    const lookahead = 14 * 86_400_000;
    const expiresAt = Date.now() + lookahead + 2000;
    await importRows([row('time-1', { segments: ['gezinnen'], publishAt: new Date(now + 2000).toISOString(), expiresAt: new Date(expiresAt).toISOString() })]);
    const [expiring] = await receiver.waitFor(1, 'coverage.gap_opened');
    expect(expiring!.payload.data).toMatchObject({ segment: { key: 'gezinnen' }, phase: { key: 'attention' }, kind: 'EXPIRING', status: 'EXPIRING' });
    expect(expiring!.receivedAt).toBeGreaterThanOrEqual(expiresAt - lookahead);
    expect(expiring!.receivedAt - (expiresAt - lookahead)).toBeLessThan(3000);
  });
});

describe('the README\'s receiver', () => {
  it('runs as shown, verifies a real delivery and answers 204', async () => {
    const code = /<!-- receiver-example -->\s*```js\n([\s\S]*?)```/.exec(readFileSync('README.md', 'utf8'))?.[1];
    expect(code).toBeTruthy();
    mkdirSync('.tmp/test', { recursive: true });
    const file = resolve(`.tmp/test/receiver-${process.pid}.mjs`);
    writeFileSync(file, code!);
    const port = 20000 + Math.floor(Math.random() * 9000);
    const res = await app.gql(ws.ADMIN, CREATE, { input: { url: `http://127.0.0.1:${port}/`, eventTypes: ['CONTENT_CREATED'] } });
    const { secret, webhookEndpoint } = res.data!.createWebhookEndpoint;
    endpoints.push(webhookEndpoint.id);
    const child = spawn(process.execPath, [file], { env: { ...process.env, PORT: String(port), WEBHOOK_SECRET: secret }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    try {
      await importRows([row('readme-1')]);
      const log = await until(() => deliveryLog(webhookEndpoint.id), (l) => l[0]?.status === 'SUCCEEDED');
      expect(log[0].attempts.at(-1).statusCode).toBe(204);
      await until(async () => output, (o) => o.includes('readme-1'));
      expect(output.trim()).toBe(`${log[0].event.webhookId} content.created readme-1`);
    } finally {
      child.kill();
      rmSync(file);
    }
  });
});

describe('managing endpoints', () => {
  it('is ADMIN only; other workspaces cannot see or change an endpoint', async () => {
    const { id } = await listen();
    const editor = await app.gql(ws.EDITOR, CREATE, { input: { url: 'https://hooks.example.com/x' } });
    expect(editor.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const other = await app.workspace('Other');
    const seen = await app.gql(other.ADMIN, `query ($id: ID!) { node(id: $id) { id } }`, { id });
    expect(seen.data?.node).toBeNull();
    const changed = await app.gql(other.ADMIN, UPDATE, { input: { id, enabled: false } });
    expect(changed.data?.updateWebhookEndpoint.userErrors[0]).toMatchObject({ field: ['input', 'id'], code: 'NOT_FOUND' });
    const list = await app.gql(other.ADMIN, `{ webhookEndpoints(first: 10) { totalCount } }`);
    expect(list.data?.webhookEndpoints.totalCount).toBe(0);
  });

  it('refuses http in production and addresses on private networks, naming the URL; without a key, NOT_CONFIGURED', async () => {
    const strict = await startTestApp();
    const keyless = await startTestApp({ webhooks: { ...TEST_WEBHOOKS, key: null } });
    try {
      const keys = await strict.workspace('Strict');
      const refusals: [string, RegExp][] = [
        ['http://hooks.example.com/x', /must use https/],
        ['https://127.0.0.1/x', /private, loopback or reserved address \(127\.0\.0\.1\)/],
        ['https://10.1.2.3/x', /private/],
        ['https://169.254.169.254/latest/meta-data', /private/],
        ['https://[::1]/x', /private/],
        ['https://[::ffff:192.168.0.1]/x', /private/],
        ['https://localhost/x', /resolves to a private, loopback or reserved address/],
        ['https://user:pass@hooks.example.com/x', /user name or password/],
        ['not a url', /absolute http or https URL/],
        ['ftp://hooks.example.com/x', /absolute http or https URL/],
      ];
      for (const [url, message] of refusals) {
        const res = await strict.gql(keys.ADMIN, CREATE, { input: { url } });
        expect(res.data?.createWebhookEndpoint.userErrors, url).toEqual([{ field: ['input', 'url'], code: 'INVALID', message: expect.stringMatching(message) }]);
      }
      expect(await strict.database.prisma.webhookEndpoint.count()).toBe(0);
      const other = await keyless.workspace('Keyless');
      const res = await keyless.gql(other.ADMIN, CREATE, { input: { url: 'https://93.184.215.14/x' } });
      expect(res.data?.createWebhookEndpoint.userErrors).toEqual([{ field: ['input'], code: 'NOT_CONFIGURED', message: expect.stringContaining('WEBHOOK_SECRET_KEY') }]);
    } finally {
      await strict.close();
      await keyless.close();
    }
  });
});

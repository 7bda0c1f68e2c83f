import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KNOWN_OPERATIONS, operationHash } from '../src/delivery/persisted-operations.js';
import { createServer } from '../src/server.js';
import { startTestApp, type TestApp, type WorkspaceKeys } from './support/app.js';
import { Fixture } from './support/fixtures.js';

/**
 * Serving websites: DELIVERY answers come from a cache that is never wrong
 * (every write and the clock invalidate it), and every answer tells HTTP
 * caches what they may do with it.
 */
let app: TestApp;
let ws: WorkspaceKeys;
let other: WorkspaceKeys;
let f: Fixture;
let yoga: ReturnType<typeof createServer>;

const RECOMMEND = 'query ($channel: String! = "web") { recommendedContent(segment: "gezinnen", phase: "attention", channel: $channel) { totalCount edges { node { title } } } }';
const PIECES = '{ contentPieces(first: 50, orderBy: TITLE_ASC) { edges { node { title } } } }';

beforeAll(async () => {
  app = await startTestApp();
  ws = await app.workspace('Delivered');
  other = await app.workspace('Other');
  for (const [keys, title] of [[ws, 'Ons eerste artikel'], [other, 'Their first piece']] as const) {
    const g = new Fixture(app.database.prisma, keys.workspaceId);
    await g.journey('b2c', [['attention', 'BECOME']]);
    await g.segment('gezinnen');
    await g.channel('web');
    await g.piece({ title, phases: ['attention'], channels: ['web'], externalId: 'first' });
    if (keys === ws) f = g;
  }
  // A server of its own, with max-age allowed up to a minute, to see it follow the clock.
  yoga = createServer({ database: app.database, mode: 'production', deliveryCache: { size: 1000, maxAgeSeconds: 300, httpMaxAgeSeconds: 60 } });
});
afterAll(async () => {
  await yoga.dispose();
  await app.close();
});

async function ask(key: string, query: string, init: { headers?: Record<string, string>; variables?: Record<string, unknown>; server?: ReturnType<typeof createServer> } = {}) {
  let response: Response | undefined;
  const statements = await app.countStatements(async () => {
    response = await (init.server ?? yoga).fetch('http://test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, ...init.headers },
      body: JSON.stringify({ query, variables: init.variables }),
    });
  });
  const text = await response!.text();
  return { response: response!, statements, text, json: text ? (JSON.parse(text) as { data?: Record<string, any>; errors?: { extensions?: Record<string, unknown> }[] }) : null };
}
const titles = (json: { data?: Record<string, any> } | null) => json?.data?.recommendedContent.edges.map((e: { node: { title: string } }) => e.node.title);

describe('the DELIVERY response cache', () => {
  it('answers a repeated request from memory: no SQL, the same answer', async () => {
    const first = await ask(ws.DELIVERY, RECOMMEND);
    expect(first.json?.errors).toBeUndefined();
    expect(first.statements).toBeGreaterThan(0);
    const again = await ask(ws.DELIVERY, RECOMMEND);
    expect(again.statements).toBe(0);
    expect(again.text).toBe(first.text);
  });

  it('never shares an answer across keys, workspaces or roles', async () => {
    await ask(ws.DELIVERY, PIECES);
    const theirs = await ask(other.DELIVERY, PIECES);
    expect(JSON.stringify(theirs.json)).toContain('Their first piece');
    expect(JSON.stringify(theirs.json)).not.toContain('Ons eerste artikel');
    expect(theirs.statements).toBeGreaterThan(0);
    // EDITOR answers are never kept: drafts must not reach a DELIVERY answer, nor stale ones an editor.
    await f.piece({ title: 'Concept in progress', phases: ['attention'], channels: ['web'], status: 'DRAFT' });
    const editor = await ask(ws.EDITOR, PIECES);
    expect(JSON.stringify(editor.json)).toContain('Concept in progress');
    expect((await ask(ws.EDITOR, PIECES)).statements).toBeGreaterThan(0);
    const delivery = await ask(ws.DELIVERY, PIECES);
    expect(JSON.stringify(delivery.json)).not.toContain('Concept in progress');
  });

  it('forgets a workspace\'s answers on any write through the API, before the write\'s answer returns', async () => {
    await ask(ws.DELIVERY, RECOMMEND);
    expect((await ask(ws.DELIVERY, RECOMMEND)).statements).toBe(0);
    const created = await app.gql(ws.EDITOR, `mutation { createContentPiece(input: { title: "Nieuw verhaal", format: ARTICLE, status: PUBLISHED, locale: "nl-NL", phases: [{ journey: "b2c", phase: "attention" }], channels: ["web"] }) { userErrors { code } } }`);
    expect(created.data?.createContentPiece.userErrors).toEqual([]);
    const after = await ask(ws.DELIVERY, RECOMMEND);
    expect(titles(after.json)).toContain('Nieuw verhaal');
    // Another workspace's answers stay.
    await ask(other.DELIVERY, RECOMMEND);
    await app.gql(ws.EDITOR, 'mutation { importContent(input: { pieces: [{ externalId: "imp-1", title: "Geimporteerd", format: ARTICLE, status: PUBLISHED, locale: "nl-NL", phases: [{ journey: "b2c", phase: "attention" }], channels: ["web"] }] }) { created } }');
    expect(titles((await ask(ws.DELIVERY, RECOMMEND)).json)).toContain('Geimporteerd');
    expect((await ask(other.DELIVERY, RECOMMEND)).statements).toBe(0);
  });

  it('drops a piece from a kept answer at its expiry, and adds one at its publishAt, with no write in between', async () => {
    const soon = (ms: number) => new Date(Date.now() + ms);
    await f.channel('flash');
    await f.piece({ title: 'Expires in a moment', phases: ['attention'], channels: ['flash'], expiresAt: soon(1200) });
    await f.piece({ title: 'Goes live in a moment', phases: ['attention'], channels: ['flash'], publishAt: soon(1200) });
    const variables = { channel: 'flash' };
    const before = await ask(ws.DELIVERY, RECOMMEND, { variables });
    expect(titles(before.json)).toEqual(['Expires in a moment']);
    const kept = await ask(ws.DELIVERY, RECOMMEND, { variables });
    expect(kept.statements).toBe(0);
    // max-age never outlives the answer.
    const maxAge = Number(/max-age=(\d+)/.exec(kept.response.headers.get('cache-control') ?? '')?.[1] ?? 0);
    expect(maxAge).toBeLessThanOrEqual(1);
    await new Promise((resolve) => setTimeout(resolve, 1300));
    const after = await ask(ws.DELIVERY, RECOMMEND, { variables });
    expect(titles(after.json)).toEqual(['Goes live in a moment']);
  });
});

describe('HTTP caching', () => {
  it('gives DELIVERY answers an ETag and public caching, and answers 304 to a matching If-None-Match', async () => {
    const first = await ask(ws.DELIVERY, RECOMMEND);
    const etag = first.response.headers.get('etag');
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(first.response.headers.get('cache-control')).toMatch(/^public, (max-age=\d+|no-cache)$/);
    expect(first.response.headers.get('vary')).toMatch(/Authorization/);
    const revalidated = await ask(ws.DELIVERY, RECOMMEND, { headers: { 'if-none-match': etag! } });
    expect(revalidated.response.status).toBe(304);
    expect(revalidated.text).toBe('');
    expect(revalidated.response.headers.get('etag')).toBe(etag);
    expect(revalidated.statements).toBe(0);
  });

  it('keeps the ETag through a write that does not change the answer, and changes it with one that does', async () => {
    const first = await ask(ws.DELIVERY, RECOMMEND);
    const etag = first.response.headers.get('etag')!;
    await app.gql(ws.ADMIN, 'mutation { createChannel(input: { key: "unrelated", name: "Unrelated", kind: OTHER }) { userErrors { code } } }');
    const unchanged = await ask(ws.DELIVERY, RECOMMEND, { headers: { 'if-none-match': etag } });
    expect(unchanged.statements).toBeGreaterThan(0); // computed afresh after the write...
    expect(unchanged.response.status).toBe(304); // ...and still the same answer
    await app.gql(ws.EDITOR, `mutation { createContentPiece(input: { title: "Nog een verhaal", format: ARTICLE, status: PUBLISHED, locale: "nl-NL", phases: [{ journey: "b2c", phase: "attention" }], channels: ["web"] }) { userErrors { code } } }`);
    const changed = await ask(ws.DELIVERY, RECOMMEND, { headers: { 'if-none-match': etag } });
    expect(changed.response.status).toBe(200);
    expect(changed.response.headers.get('etag')).not.toBe(etag);
    expect(titles(changed.json)).toContain('Nog een verhaal');
  });

  it('marks EDITOR and ADMIN answers, errors and refusals no-store, without an ETag', async () => {
    for (const [key, query] of [[ws.EDITOR, RECOMMEND], [ws.ADMIN, PIECES], [ws.DELIVERY, '{ recommendedContent(segment: "nobody", phase: "x", channel: "y") { totalCount } }'], ['cpk_unknown', RECOMMEND]] as const) {
      const answer = await ask(key, query);
      expect(answer.response.headers.get('cache-control'), query).toBe('no-store');
      expect(answer.response.headers.get('etag')).toBeNull();
    }
  });

  it('tells every answer its rate limit (IETF RateLimit fields)', async () => {
    const answer = await ask(ws.DELIVERY, RECOMMEND);
    expect(answer.response.headers.get('ratelimit-policy')).toMatch(/^"key";q=\d+;w=\d+$/);
    expect(answer.response.headers.get('ratelimit')).toMatch(/^"key";r=\d+;t=\d+$/);
    const limited = createServer({ database: app.database, mode: 'production', rateLimits: { perKey: 1, perIp: 5, windowSeconds: 60, trustProxy: false } });
    try {
      await ask(ws.DELIVERY, RECOMMEND, { server: limited });
      const refused = await ask(ws.DELIVERY, RECOMMEND, { server: limited });
      expect(refused.response.status).toBe(429);
      expect(refused.response.headers.get('ratelimit')).toMatch(/^"key";r=0;t=\d+$/);
      expect(refused.response.headers.get('ratelimit-policy')).toBe('"key";q=1;w=60');
      const unknown = await ask('cpk_unknown', RECOMMEND, { server: limited });
      expect(unknown.response.headers.get('ratelimit-policy')).toBe('"address";q=5;w=60');
    } finally {
      await limited.dispose();
    }
  });
});

describe('persisted operations and GET', () => {
  const get = (key: string, params: Record<string, unknown>, headers: Record<string, string> = {}) =>
    yoga.fetch(`http://test/graphql?${new URLSearchParams(Object.entries(params).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]))}`, {
      headers: { authorization: `Bearer ${key}`, ...headers },
    });

  it('runs a known operation from its hash alone, as a GET a CDN can cache', async () => {
    const hash = operationHash(KNOWN_OPERATIONS.RecommendedContent!);
    const response = await get(ws.DELIVERY, { extensions: { persistedQuery: { version: 1, sha256Hash: hash } }, variables: { segment: 'gezinnen', phase: 'attention', channel: 'web' } });
    expect(response.status).toBe(200);
    const json = (await response.json()) as { data?: Record<string, any> };
    expect(json.data?.recommendedContent.totalCount).toBeGreaterThan(0);
    const etag = response.headers.get('etag')!;
    const again = await get(ws.DELIVERY, { extensions: { persistedQuery: { version: 1, sha256Hash: hash } }, variables: { segment: 'gezinnen', phase: 'attention', channel: 'web' } }, { 'if-none-match': etag });
    expect(again.status).toBe(304);
  });

  it('registers an unknown operation the APQ way: hash alone is not found, text and hash register it, then the hash works', async () => {
    const text = '{ channels(first: 5) { edges { node { key } } } }';
    const hash = operationHash(text);
    const unknown = await get(ws.DELIVERY, { extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });
    expect(((await unknown.json()) as { errors: { message: string; extensions: { code: string } }[] }).errors[0]).toMatchObject({ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } });
    const registered = await get(ws.DELIVERY, { query: text, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });
    expect(registered.status).toBe(200);
    const known = await get(ws.DELIVERY, { extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });
    expect(((await known.json()) as { data: { channels: { edges: unknown[] } } }).data.channels.edges.length).toBeGreaterThan(0);
    const wrong = await get(ws.DELIVERY, { query: text, extensions: { persistedQuery: { version: 1, sha256Hash: operationHash('{ __typename }') } } });
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe('PERSISTED_QUERY_HASH_MISMATCH');
  });

  it('keeps mutations POST-only', async () => {
    const response = await get(ws.EDITOR, { query: 'mutation { createChannel(input: { key: "by-get", name: "By GET", kind: OTHER }) { userErrors { code } } }' });
    expect(response.status).toBe(405);
    expect(await app.database.prisma.channel.count({ where: { workspaceId: ws.workspaceId, key: 'by-get' } })).toBe(0);
  });
});

type Step = [string, Record<string, unknown>];

/** A delivery of the endpoint, as the dispatcher would have made one (straight in the database: another process's write). */
async function aDelivery(endpointGlobalId: string): Promise<string> {
  const endpoint = await app.database.prisma.webhookEndpoint.findFirstOrThrow({ where: { workspaceId: ws.workspaceId } });
  expect(encodeGlobalID('WebhookEndpoint', endpoint.id)).toBe(endpointGlobalId);
  const event = await app.database.prisma.webhookEvent.create({ data: { id: 'msg_delivery_test', workspaceId: ws.workspaceId, type: 'content.created', body: '{}', fannedOut: true } });
  const delivery = await app.database.prisma.webhookDelivery.create({ data: { eventId: event.id, endpointId: endpoint.id, status: 'SUCCEEDED' } });
  return encodeGlobalID('WebhookDelivery', delivery.id);
}

/** A scenario that moves the piece in time, made straight in the database. */
async function aScenarioMoving(pieceGlobalId: string): Promise<string> {
  const piece = await app.database.prisma.contentPiece.findFirstOrThrow({ where: { workspaceId: ws.workspaceId, title: 'Piece renamed' } });
  expect(encodeGlobalID('ContentPiece', piece.id)).toBe(pieceGlobalId);
  const scenario = await app.database.prisma.scenario.create({
    data: { workspaceId: ws.workspaceId, name: 'Applied', pieceChanges: { create: { workspaceId: ws.workspaceId, pieceId: piece.id, kind: 'MOVE', expiresAt: new Date('2099-01-01T00:00:00Z') } } },
  });
  return encodeGlobalID('Scenario', scenario.id);
}

describe('every kind of write forgets the workspace\'s kept answers', () => {
  /** Each mutation of the schema, called so that it succeeds; later steps use what earlier ones made. */
  const made: Record<string, string> = {};
  const steps: [string, () => Step | Promise<Step>][] = [
    ['updateWorkspace', () => ['updateWorkspace(input: $input) { userErrors { code } }', { name: 'Delivered, renamed' }]],
    ['createJourney', () => ['createJourney(input: $input) { journey { id } userErrors { code } }', { key: 'j2', name: 'J2' }]],
    ['updateJourney', () => ['updateJourney(input: $input) { userErrors { code } }', { id: made.createJourney, name: 'J2 renamed' }]],
    ['createPhase', () => ['createPhase(input: $input) { phase { id } userErrors { code } }', { journey: 'j2', key: 'p1', name: 'P1', archetype: 'AWARENESS' }]],
    ['updatePhase', () => ['updatePhase(input: $input) { userErrors { code } }', { id: made.createPhase, name: 'P1 renamed' }]],
    ['applyJourneyTemplate', () => ['applyJourneyTemplate(input: $input) { userErrors { code } }', { template: 'five-a', key: 'j3', language: 'EN' }]],
    ['reorderPhases', () => ['reorderPhases(input: $input) { userErrors { code } }', { journey: 'j3', phases: ['advocate', 'always', 'action', 'consideration', 'attention'] }]],
    ['createSegment', () => ['createSegment(input: $input) { segment { id } userErrors { code } }', { key: 's2', name: 'S2', market: 'B2C', journey: 'j2' }]],
    ['updateSegment', () => ['updateSegment(input: $input) { userErrors { code } }', { id: made.createSegment, name: 'S2 renamed' }]],
    ['createChannel', () => ['createChannel(input: $input) { channel { id } userErrors { code } }', { key: 'c2', name: 'C2', kind: 'OTHER' }]],
    ['updateChannel', () => ['updateChannel(input: $input) { userErrors { code } }', { id: made.createChannel, name: 'C2 renamed' }]],
    ['createTouchpoint', () => ['createTouchpoint(input: $input) { touchpoint { id } userErrors { code } }', { name: 'T', phase: { journey: 'j2', phase: 'p1' }, channel: 'c2' }]],
    ['updateTouchpoint', () => ['updateTouchpoint(input: $input) { userErrors { code } }', { id: made.createTouchpoint, name: 'T renamed' }]],
    ['createCoverageRule', () => ['createCoverageRule(input: $input) { coverageRule { id } userErrors { code } }', { channel: 'c2', minLive: 2 }]],
    ['updateCoverageRule', () => ['updateCoverageRule(input: $input) { userErrors { code } }', { id: made.createCoverageRule, minLive: 3 }]],
    ['createContentPiece', () => ['createContentPiece(input: $input) { contentPiece { id } userErrors { code } }', { title: 'Piece', format: 'ARTICLE', status: 'DRAFT', locale: 'nl-NL', phases: [{ journey: 'j2', phase: 'p1' }], channels: ['c2'] }]],
    ['updateContentPiece', () => ['updateContentPiece(input: $input) { userErrors { code } }', { id: made.createContentPiece, title: 'Piece renamed' }]],
    // Scenarios change no answer, but they are writes like any other: they move the versions too.
    ['createScenario', () => ['createScenario(input: $input) { scenario { id } userErrors { code } }', { name: 'What if' }]],
    ['addScenarioPiece', () => ['addScenarioPiece(input: $input) { userErrors { code } }', { scenario: made.createScenario, title: 'Planned', format: 'ARTICLE', locale: 'nl-NL', phases: [{ journey: 'j2', phase: 'p1' }], channels: ['c2'] }]],
    ['addScenarioChange', () => ['addScenarioChange(input: $input) { userErrors { code } }', { scenario: made.createScenario, piece: made.createContentPiece, kind: 'MOVE', expiresAt: '2099-01-01T00:00:00Z' }]],
    ['removeScenarioChange', async () => ['removeScenarioChange(input: $input) { userErrors { code } }', { id: encodeGlobalID('ScenarioChange', (await app.database.prisma.scenarioChange.findFirstOrThrow({ where: { workspaceId: ws.workspaceId } })).id) }]],
    ['removeScenarioPiece', async () => ['removeScenarioPiece(input: $input) { userErrors { code } }', { id: encodeGlobalID('ScenarioPiece', (await app.database.prisma.scenarioPiece.findFirstOrThrow({ where: { workspaceId: ws.workspaceId } })).id) }]],
    ['deleteScenario', () => ['deleteScenario(input: $input) { userErrors { code } }', { id: made.createScenario }]],
    ['applyScenario', async () => ['applyScenario(input: $input) { userErrors { code } }', { id: await aScenarioMoving(made.createContentPiece!) }]],
    ['setContentStatus', () => ['setContentStatus(input: $input) { userErrors { code } }', { id: made.createContentPiece, status: 'ARCHIVED' }]],
    ['importContent', () => ['importContent(input: $input) { userErrors { code } }', { pieces: [{ externalId: 'every-write', title: 'Imported', format: 'ARTICLE', status: 'DRAFT', locale: 'nl-NL', phases: [{ journey: 'j2', phase: 'p1' }], channels: ['c2'] }] }]],
    ['archiveContent', () => ['archiveContent(input: $input) { userErrors { code } }', { externalIds: ['every-write'] }]],
    ['startContentSync', () => ['startContentSync(input: $input) { contentSync { id } userErrors { code } }', { source: 'every-write-cms' }]],
    ['completeContentSync', () => ['completeContentSync(input: $input) { userErrors { code } }', { id: made.startContentSync }]],
    ['deleteContentPiece', () => ['deleteContentPiece(input: $input) { userErrors { code } }', { id: made.createContentPiece }]],
    ['deleteCoverageRule', () => ['deleteCoverageRule(input: $input) { userErrors { code } }', { id: made.createCoverageRule }]],
    ['deleteTouchpoint', () => ['deleteTouchpoint(input: $input) { userErrors { code } }', { id: made.createTouchpoint }]],
    ['deleteSegment', () => ['deleteSegment(input: $input) { userErrors { code } }', { id: made.createSegment }]],
    ['createApiKey', () => ['createApiKey(input: $input) { apiKey { id } userErrors { code } }', { name: 'Spare', role: 'DELIVERY' }]],
    ['revokeApiKey', () => ['revokeApiKey(input: $input) { userErrors { code } }', { id: made.createApiKey }]],
    ['createCalendarToken', () => ['createCalendarToken(input: $input) { calendarToken { id } userErrors { code } }', { name: 'Calendar' }]],
    ['revokeCalendarToken', () => ['revokeCalendarToken(input: $input) { userErrors { code } }', { id: made.createCalendarToken }]],
    ['createWebhookEndpoint', () => ['createWebhookEndpoint(input: $input) { webhookEndpoint { id } userErrors { code } }', { url: 'https://93.184.215.14/hooks' }]],
    ['updateWebhookEndpoint', () => ['updateWebhookEndpoint(input: $input) { userErrors { code } }', { id: made.createWebhookEndpoint, description: 'Renamed' }]],
    ['rotateWebhookEndpointSecret', () => ['rotateWebhookEndpointSecret(input: $input) { userErrors { code } }', { id: made.createWebhookEndpoint }]],
    ['redeliverWebhook', async () => ['redeliverWebhook(input: $input) { delivery { id } userErrors { code } }', { deliveryId: await aDelivery(made.createWebhookEndpoint!) }]],
    ['deleteWebhookEndpoint', () => ['deleteWebhookEndpoint(input: $input) { userErrors { code } }', { id: made.createWebhookEndpoint }]],
    ['createReportToken', () => ['createReportToken(input: $input) { reportToken { id } userErrors { code } }', { name: 'Reports' }]],
    ['revokeReportToken', () => ['revokeReportToken(input: $input) { userErrors { code } }', { id: made.createReportToken }]],
  ];
  /** The last steps need the imported piece gone first, which deleteContent does. */
  const closing: [string, () => Step | Promise<Step>][] = [
    ['deleteContent', () => ['deleteContent(input: $input) { userErrors { code } }', { externalIds: ['every-write'] }]],
    ['deletePhase', () => ['deletePhase(input: $input) { userErrors { code } }', { id: made.createPhase }]],
    ['deleteJourney', () => ['deleteJourney(input: $input) { userErrors { code } }', { id: made.createJourney }]],
    ['deleteChannel', () => ['deleteChannel(input: $input) { userErrors { code } }', { id: made.createChannel }]],
  ];

  it('a write moves the versions once: its own notification, a moment later, does not drop what was kept since', async () => {
    const probe = '{ channels(first: 1) { totalCount } }';
    const res = await app.gql(ws.ADMIN, 'mutation { updateWorkspace(input: { name: "Noticed once" }) { userErrors { code } } }');
    expect(res.data?.updateWorkspace.userErrors).toEqual([]);
    expect((await ask(ws.DELIVERY, probe)).statements).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 300)); // on PostgreSQL, the write's NOTIFY comes back meanwhile
    expect((await ask(ws.DELIVERY, probe)).statements).toBe(0);
  });

  it('covers every mutation of the schema', async () => {
    const { schema } = await import('../src/schema.js');
    expect([...steps, ...closing, ['recordInteractions']].map(([name]) => name).sort()).toEqual(Object.keys(schema.getMutationType()!.getFields()).sort());
  });

  it('but recorded interactions keep them: a busy site would otherwise never hit its cache; engagement reaches a kept answer when it is next made', async () => {
    const probe = '{ channels(first: 1) { totalCount } }';
    await ask(ws.DELIVERY, probe);
    expect((await ask(ws.DELIVERY, probe)).statements).toBe(0);
    const event = { clientEventId: 'kept-1', type: 'CLICK', externalId: 'first', segment: 'gezinnen', phase: 'attention', channel: 'web', occurredAt: new Date().toISOString(), visitorId: 'v', sessionId: 's' };
    const res = await app.gql(ws.DELIVERY, 'mutation ($events: [InteractionEventInput!]!) { recordInteractions(input: { events: $events }) { accepted refused { code } } }', { events: [event] });
    expect(res.data?.recordInteractions).toEqual({ accepted: 1, refused: [] });
    expect((await ask(ws.DELIVERY, probe)).statements).toBe(0);
  });

  it.each([...steps, ...closing].map(([name, step]) => [name, step] as const))('%s', async (name, step) => {
    const probe = '{ channels(first: 1) { totalCount } }';
    await ask(ws.DELIVERY, probe);
    expect((await ask(ws.DELIVERY, probe)).statements).toBe(0);
    const [field, input] = await step();
    const inputType = `${name[0]!.toUpperCase()}${name.slice(1)}Input`;
    const res = await app.gql(ws.ADMIN, `mutation ($input: ${inputType}!) { ${field} }`, { input });
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    const payload = res.data?.[name] as Record<string, any>;
    expect(payload.userErrors, name).toEqual([]);
    const id = Object.values(payload).find((value) => value && typeof value === 'object' && 'id' in value)?.id;
    if (id) made[name] = id;
    // Looking the key up again is one statement (keys are remembered per version too); counting the channels is the other.
    expect((await ask(ws.DELIVERY, probe)).statements, `${name} left the kept answer in place`).toBe(2);
  });
});

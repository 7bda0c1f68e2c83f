import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepInteractions } from '../src/interactions/retention.js';
import { startTestApp, type TestApp, type WorkspaceKeys } from './support/app.js';
import { event, interactionWorld, RECORD, type InteractionWorld } from './support/interactions.js';

let app: TestApp;
let ws: WorkspaceKeys;
let world: InteractionWorld;

beforeAll(async () => {
  app = await startTestApp();
  ws = await app.workspace();
  world = await interactionWorld(app, ws.workspaceId);
});
afterAll(() => app?.close());

async function record(events: Record<string, unknown>[], key = ws.DELIVERY) {
  const response = await app.gql(key, RECORD, { events });
  expect(response.errors).toBeUndefined();
  return response.data?.recordInteractions;
}

const HOUR = 3600_000;
const COLUMN_OF: Record<string, string> = { IMPRESSION: 'impressions', VIEW: 'views', CLICK: 'clicks', DOWNLOAD: 'downloads', SHARE: 'shares', CONVERSION: 'conversions' };
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

describe('recordInteractions', () => {
  it('stores events and adds them to the daily roll-up and the totals', async () => {
    const other = await app.workspace('roll-up');
    await interactionWorld(app, other.workspaceId);
    const fresh = await record([event(), event({ type: 'CLICK', externalId: 'guide-1' })], other.DELIVERY);
    expect(fresh).toEqual({ accepted: 2, duplicates: 0, refused: [], userErrors: [] });
    expect(await app.database.prisma.interaction.count({ where: { workspaceId: other.workspaceId } })).toBe(2);
    const totals = await app.database.prisma.interactionTotal.findMany({ where: { workspaceId: other.workspaceId } });
    expect(totals).toHaveLength(1);
    expect(totals[0]).toMatchObject({ impressions: 1, clicks: 1, views: 0 });
    const days = await app.database.prisma.interactionDay.findMany({ where: { workspaceId: other.workspaceId } });
    expect(days.map((d) => `${d.type} ${d.count}`).sort()).toEqual(['CLICK 1', 'IMPRESSION 1']);
  });

  it('names the piece by global id or externalId', async () => {
    expect(await record([event({ externalId: undefined, pieceId: world.pieces.offer, phase: 'action' })])).toMatchObject({ accepted: 1 });
  });

  it('counts an event sent twice once, within a batch and across calls', async () => {
    const once = event();
    const again = { ...once };
    expect(await record([once, again, event({ clientEventId: once.clientEventId, type: 'CLICK' })])).toMatchObject({ accepted: 1, duplicates: 2 });
    expect(await record([once])).toMatchObject({ accepted: 0, duplicates: 1 });
    expect(await app.database.prisma.interaction.count({ where: { workspaceId: ws.workspaceId, clientEventId: once.clientEventId as string } })).toBe(1);
  });

  it('answers a batch sent again for what it did then, never from the delivery cache', async () => {
    const body = JSON.stringify({ query: RECORD, variables: { events: [event()] } });
    const send = () => app.fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${ws.DELIVERY}` }, body });
    const first = await send();
    expect(first.headers.get('cache-control')).toBe('no-store');
    expect(first.headers.get('etag')).toBeNull();
    expect(((await first.json()) as { data: { recordInteractions: unknown } }).data.recordInteractions).toMatchObject({ accepted: 1, duplicates: 0 });
    const again = await send();
    expect(((await again.json()) as { data: { recordInteractions: unknown } }).data.recordInteractions).toMatchObject({ accepted: 0, duplicates: 1 });
  });

  it('stores a batch in as many statements whatever its size', async () => {
    const mine = await app.workspace('statements');
    const w = await interactionWorld(app, mine.workspaceId);
    const sessions = (n: number, run: string) =>
      Array.from({ length: n }, (_, i) => [
        event({ sessionId: `${run}-${i}`, touchpointId: w.touchpoints.landing, occurredAt: ago(HOUR) }),
        event({ sessionId: `${run}-${i}`, touchpointId: w.touchpoints.checkout, phase: 'action', externalId: 'offer-1', occurredAt: ago(HOUR - 60_000) }),
      ]).flat();
    await record(sessions(1, 'warm'), mine.DELIVERY); // the catalog, the secret and the key are read once
    const statements = async (events: Record<string, unknown>[]) => {
      const before = app.database.statements.count;
      expect(await record(events, mine.DELIVERY)).toMatchObject({ accepted: events.length, refused: [] });
      return app.database.statements.count - before;
    };
    const one = await statements(sessions(1, 'one'));
    expect(await statements(sessions(250, 'many'))).toBe(one);
  });

  it('never looks up when content next changes, even right after a write: a mutation\'s answer is not kept', async () => {
    const mine = await app.workspace('clock');
    await interactionWorld(app, mine.workspaceId);
    await record([event()], mine.DELIVERY);
    const write = await app.gql(mine.ADMIN, 'mutation { createChannel(input: { key: "podcast", name: "Podcast", kind: OTHER }) { channel { key } } }');
    expect(write.errors).toBeUndefined();
    app.database.statements.log.length = 0;
    app.database.statements.listening = true;
    try {
      expect(await record([event()], mine.DELIVERY)).toMatchObject({ accepted: 1 });
    } finally {
      app.database.statements.listening = false;
    }
    expect(app.database.statements.log.length).toBeGreaterThan(0);
    expect(app.database.statements.log.filter((sql) => sql.includes('MIN(p."publishAt")'))).toEqual([]);
  });

  it('refuses bad events one by one, with codes, and records the rest', async () => {
    const before = await app.database.prisma.interaction.count({ where: { workspaceId: ws.workspaceId } });
    const result = await record([
      event(),
      event({ externalId: 'nope' }),
      event({ segment: 'nobody' }),
      event({ phase: 'decide' }),
      event({ phase: 'nowhere' }),
      event({ channel: 'fax' }),
      event({ touchpointId: world.touchpoints.checkout }),
      event({ occurredAt: new Date(Date.now() + 25 * HOUR).toISOString() }),
      event({ occurredAt: ago(91 * 24 * HOUR) }),
      event({ visitorId: '' }),
      event({ sessionId: 'x'.repeat(201) }),
      event({ externalId: undefined }),
      event({ touchpointId: world.touchpoints.landing }),
    ]);
    expect(result.accepted).toBe(2);
    expect(result.refused.map((r: { index: number; code: string }) => [r.index, r.code])).toEqual([
      [1, 'UNKNOWN_PIECE'],
      [2, 'UNKNOWN_SEGMENT'],
      [3, 'PHASE_NOT_IN_JOURNEY'],
      [4, 'UNKNOWN_PHASE'],
      [5, 'UNKNOWN_CHANNEL'],
      [6, 'TOUCHPOINT_ELSEWHERE'],
      [7, 'IN_THE_FUTURE'],
      [8, 'TOO_OLD'],
      [9, 'INVALID'],
      [10, 'INVALID'],
      [11, 'INVALID'],
    ]);
    expect(result.refused[8]).toMatchObject({ field: 'visitorId' });
    expect(await app.database.prisma.interaction.count({ where: { workspaceId: ws.workspaceId } })).toBe(before + 2);
  });

  it('refuses more than 1,000 events as a whole', async () => {
    const result = await record(Array.from({ length: 1001 }, () => event()));
    expect(result).toMatchObject({ accepted: 0, userErrors: [{ code: 'TOO_MANY', field: ['input', 'events'] }] });
  });

  it('stores no visitor or session id, only keyed hashes that differ per workspace', async () => {
    const other = await app.workspace('hashes');
    await interactionWorld(app, other.workspaceId);
    const id = 'visitor-to-hide';
    await record([event({ visitorId: id, sessionId: id })]);
    await record([event({ visitorId: id, sessionId: id })], other.DELIVERY);
    const rows = await app.database.prisma.interaction.findMany({ where: { visitorHash: { not: '' }, OR: [{ workspaceId: ws.workspaceId }, { workspaceId: other.workspaceId }] } });
    expect(JSON.stringify(rows)).not.toContain(id);
    const mine = rows.filter((r) => r.workspaceId === ws.workspaceId);
    const theirs = rows.filter((r) => r.workspaceId === other.workspaceId);
    expect(new Set(theirs.map((r) => r.visitorHash)).size).toBe(1);
    expect(mine.map((r) => r.visitorHash)).not.toContain(theirs[0]?.visitorHash);
  });

  it('is for DELIVERY keys and above, and records only in the key\'s own workspace', async () => {
    expect((await app.gql(null, RECORD, { events: [event()] })).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    for (const role of ['DELIVERY', 'EDITOR', 'ADMIN'] as const) expect(await record([event()], ws[role])).toMatchObject({ accepted: 1 });
    const stranger = await app.workspace('stranger');
    const result = await record([event(), event({ externalId: undefined, pieceId: world.pieces.guide })], stranger.DELIVERY);
    expect(result.refused.map((r: { code: string }) => r.code)).toEqual(['UNKNOWN_SEGMENT', 'UNKNOWN_SEGMENT']);
    await interactionWorld(app, stranger.workspaceId);
    const own = await record([event({ externalId: undefined, pieceId: world.pieces.guide })], stranger.DELIVERY);
    expect(own.refused.map((r: { code: string }) => r.code)).toEqual(['UNKNOWN_PIECE']);
  });

  it('keeps each session\'s steps between touchpoints, with the time between them', async () => {
    const session = `s-${Math.random()}`;
    await record([
      event({ sessionId: session, touchpointId: world.touchpoints.landing, occurredAt: ago(2 * HOUR) }),
      event({ sessionId: session, touchpointId: world.touchpoints.landing, occurredAt: ago(2 * HOUR - 60_000) }),
    ]);
    await record([event({ sessionId: session, touchpointId: world.touchpoints.checkout, phase: 'action', externalId: 'offer-1', occurredAt: ago(2 * HOUR - 180_000) })]);
    const steps = await app.database.prisma.interactionStep.findMany({ where: { workspaceId: ws.workspaceId } });
    expect(steps.reduce((n, s) => n + s.count, 0)).toBe(1);
    // 120 s from the last interaction at the landing page.
    expect(steps[0]?.bucket).toBe(Math.floor(4 * Math.log2(121)));
  });
});

describe('the roll-ups', () => {
  it('take concurrent batches that share rows, in any order, without failing', async () => {
    const busy = await app.workspace('concurrent');
    await interactionWorld(app, busy.workspaceId);
    const cells = ['attention', 'action'].flatMap((phase) => ['web', 'mail'].flatMap((channel) => Array.from({ length: 10 }, (_, d) => ({ phase, channel, occurredAt: ago((d * 24 + 1) * HOUR) }))));
    const batch = (reverse: boolean) => (reverse ? [...cells].reverse() : cells).map((cell) => event({ ...cell, externalId: cell.phase === 'action' ? 'offer-1' : 'guide-1' }));
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => record(batch(i % 2 === 1), busy.DELIVERY)));
    expect(results.map((r) => r.accepted)).toEqual(Array(6).fill(cells.length));
    const rolled = await app.database.prisma.interactionDay.aggregate({ where: { workspaceId: busy.workspaceId }, _sum: { count: true } });
    expect(rolled._sum.count).toBe(6 * cells.length);
    const summed = await app.database.prisma.interactionCell.aggregate({ where: { workspaceId: busy.workspaceId }, _sum: { impressions: true } });
    expect(summed._sum.impressions).toBe(6 * cells.length);
  });

  it('take a deleted piece\'s counts off its cell: a cell\'s sum stays that of the pieces it has', async () => {
    const mine = await app.workspace('deleted piece');
    const w = await interactionWorld(app, mine.workspaceId);
    await w.fixture.piece({ title: 'Second guide', phases: ['shop:attention'], channels: ['web'], externalId: 'guide-2' });
    const events = [event(), event({ type: 'CLICK' }), event({ type: 'CLICK' }), event({ externalId: 'guide-2' }), event({ externalId: 'guide-2', type: 'CONVERSION' })];
    expect(await record(events, mine.DELIVERY)).toMatchObject({ accepted: 5 });
    const cell = async () => {
      const rows = await app.database.prisma.interactionCell.findMany({ where: { workspaceId: mine.workspaceId } });
      return rows.map(({ impressions, clicks, conversions }) => ({ impressions, clicks, conversions }));
    };
    expect(await cell()).toEqual([{ impressions: 2, clicks: 2, conversions: 1 }]);
    const deleted = await app.gql(mine.EDITOR, 'mutation ($id: ID!) { deleteContentPiece(input: { id: $id }) { deletedId userErrors { code } } }', { id: w.pieces.guide });
    expect(deleted.data?.deleteContentPiece).toEqual({ deletedId: w.pieces.guide, userErrors: [] });
    expect(await cell()).toEqual([{ impressions: 1, clicks: 0, conversions: 1 }]);
    const matrix = await app.gql(mine.EDITOR, '{ contentMatrix(journey: "shop", channels: ["web"]) { cells { phase { key } engagement { impressions clicks conversions } } } }');
    expect(matrix.errors).toBeUndefined();
    const attention = matrix.data?.contentMatrix.cells.find((c: { phase: { key: string } }) => c.phase.key === 'attention');
    expect(attention.engagement).toEqual({ impressions: 1, clicks: 0, conversions: 1 });
  });

  it('equal a recount of the raw events after any batches', async () => {
    const spaces = await app.workspace('property');
    await interactionWorld(app, spaces.workspaceId);
    const types = ['IMPRESSION', 'VIEW', 'CLICK', 'DOWNLOAD', 'SHARE', 'CONVERSION'];
    const arbitraryEvent = fc.record({
      id: fc.integer({ min: 0, max: 40 }),
      type: fc.constantFrom(...types),
      piece: fc.constantFrom('guide-1', 'offer-1', 'missing'),
      phase: fc.constantFrom('attention', 'action'),
      channel: fc.constantFrom('web', 'mail'),
      hoursAgo: fc.integer({ min: 0, max: 24 * 5 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(arbitraryEvent, { maxLength: 15 }), { maxLength: 4 }), async (batches) => {
        for (const batch of batches) {
          await record(
            batch.map((e) => event({ clientEventId: `p-${e.id}`, type: e.type, externalId: e.piece, phase: e.phase, channel: e.channel, occurredAt: ago(e.hoursAgo * HOUR) })),
            spaces.DELIVERY,
          );
        }
        const raw = await app.database.prisma.interaction.findMany({ where: { workspaceId: spaces.workspaceId } });
        const days = new Map<string, number>();
        for (const r of raw) {
          const key = `${r.pieceId} ${r.segmentId} ${r.phaseId} ${r.channelId} ${r.type} ${r.occurredAt.toISOString().slice(0, 10)}`;
          days.set(key, (days.get(key) ?? 0) + 1);
        }
        const rolled = await app.database.prisma.interactionDay.findMany({ where: { workspaceId: spaces.workspaceId } });
        expect(new Map(rolled.map((d) => [`${d.pieceId} ${d.segmentId} ${d.phaseId} ${d.channelId} ${d.type} ${d.day}`, d.count]))).toEqual(days);
        // The all-time counts per piece and cell, and per cell, as a recount by type of the raw events.
        const recount = (keyOf: (r: { pieceId: string; segmentId: string; phaseId: string; channelId: string }) => string) => {
          const counts = new Map<string, Record<string, number>>();
          for (const r of raw) {
            const entry = counts.get(keyOf(r)) ?? { impressions: 0, views: 0, clicks: 0, downloads: 0, shares: 0, conversions: 0 };
            const column = COLUMN_OF[r.type] as string;
            entry[column] = (entry[column] ?? 0) + 1;
            counts.set(keyOf(r), entry);
          }
          return counts;
        };
        const countsOf = ({ impressions, views, clicks, downloads, shares, conversions }: Record<string, unknown>) => ({ impressions, views, clicks, downloads, shares, conversions });
        const totals = await app.database.prisma.interactionTotal.findMany({ where: { workspaceId: spaces.workspaceId } });
        expect(new Map(totals.map((t) => [`${t.pieceId} ${t.segmentId} ${t.phaseId} ${t.channelId}`, countsOf(t)]))).toEqual(recount((r) => `${r.pieceId} ${r.segmentId} ${r.phaseId} ${r.channelId}`));
        const cells = await app.database.prisma.interactionCell.findMany({ where: { workspaceId: spaces.workspaceId } });
        expect(new Map(cells.map((c) => [`${c.segmentId} ${c.phaseId} ${c.channelId}`, countsOf(c)]))).toEqual(recount((r) => `${r.segmentId} ${r.phaseId} ${r.channelId}`));
      }),
      { numRuns: 15, seed: 15 },
    );
  });
});

describe('the beacon, POST /interactions', () => {
  const beacon = (body: string, headers: Record<string, string> = { 'content-type': 'text/plain;charset=UTF-8' }) => app.fetch('/interactions', { method: 'POST', headers, body });

  it('records a sendBeacon-shaped request and answers 204 with the counts', async () => {
    const sent = event();
    const response = await beacon(JSON.stringify({ key: ws.DELIVERY, events: [sent, sent, event({ segment: 'nobody' })] }));
    expect(response.status).toBe(204);
    expect(response.headers.get('x-interactions-accepted')).toBe('1');
    expect(response.headers.get('x-interactions-duplicates')).toBe('1');
    expect(response.headers.get('x-interactions-refused')).toBe('1');
    expect(await app.database.prisma.interaction.count({ where: { workspaceId: ws.workspaceId, clientEventId: sent.clientEventId as string } })).toBe(1);
  });

  it('answers CORS headers to a page of another origin', async () => {
    const response = await beacon(JSON.stringify({ key: ws.DELIVERY, events: [event()] }), { 'content-type': 'text/plain;charset=UTF-8', origin: 'https://www.example.com' });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBeTruthy();
  });

  it('refuses a bad key with 401 and a malformed body with 400, recording nothing', async () => {
    const before = await app.database.prisma.interaction.count();
    const unknown = await beacon(JSON.stringify({ key: 'cpk_nope', events: [event()] }));
    expect(unknown.status).toBe(401);
    expect(((await unknown.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe('UNAUTHENTICATED');
    expect((await beacon(JSON.stringify({ events: [event()] }))).status).toBe(401);
    const broken = await beacon('{"key": ');
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as { errors: { message: string }[] }).errors[0]?.message).toMatch(/not JSON/);
    expect((await beacon(JSON.stringify({ key: ws.DELIVERY, events: 'x' }))).status).toBe(400);
    expect((await beacon(JSON.stringify({ key: ws.DELIVERY, events: [] }), { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(415);
    expect((await beacon(JSON.stringify({ key: ws.DELIVERY, events: [], pad: 'x'.repeat(1_000_001) }))).status).toBe(413);
    expect(await app.database.prisma.interaction.count()).toBe(before);
  });
});

describe('retention', () => {
  it('removes raw events older than the window, in batches, and keeps the roll-ups', async () => {
    const kept = await app.workspace('retention');
    await interactionWorld(app, kept.workspaceId);
    await record([event({ occurredAt: ago(10 * 24 * HOUR) }), event({ occurredAt: ago(HOUR) })], kept.DELIVERY);
    const rolled = await app.database.prisma.interactionDay.aggregate({ where: { workspaceId: kept.workspaceId }, _sum: { count: true } });
    // Five days ahead, a window of 12 days removes the older event only.
    await sweepInteractions(app.database, 12, new Date(Date.now() + 5 * 24 * HOUR));
    expect(await app.database.prisma.interaction.count({ where: { workspaceId: kept.workspaceId } })).toBe(1);
    expect(await app.database.prisma.interactionDay.aggregate({ where: { workspaceId: kept.workspaceId }, _sum: { count: true } })).toEqual(rolled);
  });

  it('looks once and deletes nothing when no event or session is that old', async () => {
    const before = app.database.statements.count;
    expect(await sweepInteractions(app.database, 3650)).toBe(0);
    expect(app.database.statements.count - before).toBe(1);
  });

  it('deletes on the write thread on a SQLite file, chunk by chunk, so no request waits for a chunk', async () => {
    if (!app.database.writeThread) return; // PostgreSQL deletes in its own processes
    const old = await app.workspace('retention-thread');
    await interactionWorld(app, old.workspaceId);
    await record([event({ occurredAt: ago(10 * 24 * HOUR) })], old.DELIVERY);
    const log = app.database.statements.log;
    log.length = 0;
    app.database.statements.listening = true;
    try {
      expect(await sweepInteractions(app.database, 12, new Date(Date.now() + 5 * 24 * HOUR))).toBeGreaterThanOrEqual(1);
    } finally {
      app.database.statements.listening = false;
    }
    // Each chunk is a transaction of the thread's own: BEGIN IMMEDIATE, the DELETE, the maintenance count, COMMIT.
    const deletes = log.flatMap((sql, i) => (sql.includes('DELETE FROM') ? [[log[i - 1], log[i + 2]]] : []));
    expect(deletes.length).toBeGreaterThanOrEqual(2); // the events, then the sessions
    expect(deletes).toEqual(deletes.map(() => ['BEGIN IMMEDIATE', 'COMMIT']));
  });

  it("keeps events and sessions of the cutoff's own hour that are younger than the cutoff", async () => {
    const edge = await app.workspace('retention-hour');
    const w = await interactionWorld(app, edge.workspaceId);
    // Mid-hour, 30 days ago: one minute either side of it is the same hour.
    const cutoff = Math.floor(Date.now() / HOUR) * HOUR - 30 * 24 * HOUR + HOUR / 2;
    const at = (ms: number) => new Date(ms).toISOString();
    await record(
      [
        event({ sessionId: 'older', touchpointId: w.touchpoints.landing, occurredAt: at(cutoff - 60_000) }),
        event({ sessionId: 'younger', touchpointId: w.touchpoints.landing, occurredAt: at(cutoff + 60_000) }),
      ],
      edge.DELIVERY,
    );
    await sweepInteractions(app.database, 1, new Date(cutoff + 24 * HOUR));
    const left = await app.database.prisma.interaction.findMany({ where: { workspaceId: edge.workspaceId } });
    expect(left.map((e) => e.occurredAt.getTime())).toEqual([cutoff + 60_000]);
    expect(left[0]?.occurredHour).toBe(Math.floor((cutoff + 60_000) / HOUR));
    const sessions = await app.database.prisma.interactionSession.findMany({ where: { workspaceId: edge.workspaceId } });
    expect(sessions.map((s) => s.occurredAt.getTime())).toEqual([cutoff + 60_000]);
  });
});

describe('SQLite durability', () => {
  // README, "SQLite's durability": what ingest's commit cost rests on, made the default by the driver's build.
  it('writes through a write-ahead log that is flushed at checkpoints, not at every commit', async () => {
    if (app.database.provider !== 'sqlite') return;
    expect(await app.database.prisma.$queryRawUnsafe('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
    expect((await app.database.prisma.$queryRawUnsafe<{ synchronous: unknown }[]>('PRAGMA synchronous')).map((r) => Number(r.synchronous))).toEqual([1]);
  });
});

describe('contentPerformance and touchpointPaths', () => {
  const PERFORMANCE = /* GraphQL */ `
    query ($from: String!, $to: String!, $piece: ID, $segment: String, $phase: String, $channel: String) {
      contentPerformance(from: $from, to: $to, piece: $piece, segment: $segment, phase: $phase, channel: $channel) {
        impressions clicks conversions clickThroughRate conversionRate days(first: 100) { totalCount edges { node { day impressions clicks } } }
      }
    }
  `;
  const PATHS = /* GraphQL */ `
    query ($journey: String!, $segment: String!) {
      touchpointPaths(journey: $journey, segment: $segment) { totalCount edges { node { from { name } to { name } count medianSeconds } } }
    }
  `;

  it('counts a cell over a range of days from the roll-ups, with rates and a daily series', async () => {
    const mine = await app.workspace('performance');
    const w = await interactionWorld(app, mine.workspaceId);
    const day = new Date(Date.now() - 24 * HOUR).toISOString().slice(0, 10);
    const at = `${day}T12:00:00Z`;
    await record([event({ occurredAt: at }), event({ occurredAt: at }), event({ occurredAt: at }), event({ occurredAt: at, type: 'CLICK' }), event({ occurredAt: at, channel: 'mail' })], mine.DELIVERY);
    const answer = await app.gql(mine.EDITOR, PERFORMANCE, { from: day, to: day, piece: w.pieces.guide, segment: 'families', phase: 'attention', channel: 'web' });
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.contentPerformance).toMatchObject({ impressions: 3, clicks: 1, conversions: 0, clickThroughRate: 1 / 3, conversionRate: 0 });
    expect(answer.data?.contentPerformance.days.edges).toEqual([{ node: { day, impressions: 3, clicks: 1 } }]);
    const bad = await app.gql(mine.EDITOR, PERFORMANCE, { from: '2026-13-01', to: day });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'from' });
    expect((await app.gql(mine.EDITOR, PERFORMANCE, { from: '2020-01-01', to: '2026-01-01' })).errors?.[0]?.extensions).toMatchObject({ argument: 'to' });
    expect((await app.gql(mine.EDITOR, PERFORMANCE, { from: day, to: day, phase: 'attention' })).errors?.[0]?.extensions).toMatchObject({ argument: 'phase' });
  });

  it('answers the steps between touchpoints with counts and the median time', async () => {
    const mine = await app.workspace('paths');
    const w = await interactionWorld(app, mine.workspaceId);
    const events = [60, 300, 600].flatMap((seconds, i) => [
      event({ sessionId: `p${i}`, touchpointId: w.touchpoints.landing, occurredAt: ago(3 * HOUR) }),
      event({ sessionId: `p${i}`, touchpointId: w.touchpoints.checkout, phase: 'action', externalId: 'offer-1', occurredAt: ago(3 * HOUR - seconds * 1000) }),
    ]);
    await record(events, mine.DELIVERY);
    const answer = await app.gql(mine.EDITOR, PATHS, { journey: 'shop', segment: 'families' });
    expect(answer.errors).toBeUndefined();
    const [path] = answer.data?.touchpointPaths.edges ?? [];
    expect(path.node).toMatchObject({ from: { name: 'Landing page' }, to: { name: 'Checkout' }, count: 3 });
    expect(Math.abs(path.node.medianSeconds - 300) / 300).toBeLessThan(0.1);
    expect((await app.gql(mine.EDITOR, PATHS, { journey: 'b2b', segment: 'families' })).errors?.[0]?.extensions).toMatchObject({ argument: 'journey' });
  });

  it('are for EDITOR and above, within the key\'s own workspace', async () => {
    const day = new Date().toISOString().slice(0, 10);
    expect((await app.gql(ws.DELIVERY, PERFORMANCE, { from: day, to: day })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await app.gql(ws.DELIVERY, PATHS, { journey: 'shop', segment: 'families' })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const stranger = await app.workspace('performance stranger');
    // Another workspace's piece is unknown here, as a piece that never was: nothing tells it exists.
    const theirs = await app.gql(stranger.ADMIN, PERFORMANCE, { from: day, to: day, piece: world.pieces.guide });
    const never = Buffer.from('ContentPiece:no-such-piece').toString('base64');
    for (const [piece, answer] of [[world.pieces.guide, theirs], [never, await app.gql(stranger.ADMIN, PERFORMANCE, { from: day, to: day, piece: never })]] as const) {
      expect(answer.data?.contentPerformance ?? null).toBeNull();
      expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'piece' });
      expect(answer.errors?.[0]?.message).toBe(`Argument "piece": no content piece with this id in this workspace; got "${piece}"`);
    }
    expect((await app.gql(stranger.ADMIN, PATHS, { journey: 'shop', segment: 'families' })).errors?.[0]?.extensions).toMatchObject({ argument: 'segment' });
  });
});

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContentStatus, Scope } from '../src/generated/sqlite/enums.js';
import { startTestApp, type TestApp } from './support/app.js';
import { Fixture } from './support/fixtures.js';

/**
 * The matrix is the product's core claim, so it is checked against a second,
 * deliberately simple implementation: random small workspaces (nested
 * segments, generic pieces, rules at every specificity, touchpoints for one
 * or all segments, every status, dates on the edges), and the API's matrix
 * compared cell by cell with a brute-force count in plain TypeScript.
 * Dates are offsets from an anchor: a fixed instant asked for with `at`
 * (always counted afresh), or the moment the workspace is built, asked for
 * as "now" (answered from the kept per-cell counts, whose every edge has
 * passed by the time of the query).
 */
const AT = new Date('2026-06-01T12:00:00.000Z');
const DAY = 86_400_000;
const STATUSES: ContentStatus[] = ['IDEA', 'DRAFT', 'IN_REVIEW', 'SCHEDULED', 'PUBLISHED', 'ARCHIVED'];
const SCOPES: Scope[] = ['BECOME', 'BE', 'STAY'];

interface World {
  freshnessDays: number;
  lookaheadDays: number;
  phases: Scope[];
  /** parent index (always lower) or null */
  segments: (number | null)[];
  channels: number;
  touchpoints: { phase: number; channel: number; segment: number | null }[];
  rules: { segment: number | null; phase: number | null; channel: number | null; minLive: number | null }[];
  pieces: {
    status: ContentStatus;
    phases: number[];
    channels: number[];
    segments: number[];
    /** Offsets in ms from the anchor. */
    publishAt: number | null;
    expiresAt: number | null;
    reviewAt: number | null;
    updatedAt: number;
  }[];
}

function world(): fc.Arbitrary<World> {
  return fc
    .record({
      freshnessDays: fc.constantFrom(365, 30),
      lookaheadDays: fc.constantFrom(14, 3),
      phases: fc.array(fc.constantFrom(...SCOPES), { minLength: 1, maxLength: 3 }),
      segmentCount: fc.integer({ min: 1, max: 4 }),
      channels: fc.integer({ min: 1, max: 2 }),
    })
    .chain(({ freshnessDays, lookaheadDays, phases, segmentCount, channels }) => {
      // Dates on every edge the statuses turn on, and a few plain ones.
      const around = (offset: number) => [offset, offset - 1, offset + 1];
      const date = fc.constantFrom(...around(0), ...around(lookaheadDays * DAY), -10 * DAY, 40 * DAY);
      const updated = fc.constantFrom(...around(-freshnessDays * DAY), -DAY);
      const index = (n: number) => fc.integer({ min: 0, max: n - 1 });
      const optional = (n: number) => fc.option(index(n), { nil: null });
      const subset = (n: number, min: number) => fc.uniqueArray(index(n), { minLength: min, maxLength: n });
      return fc.record({
        freshnessDays: fc.constant(freshnessDays),
        lookaheadDays: fc.constant(lookaheadDays),
        phases: fc.constant(phases),
        segments: fc.tuple(...Array.from({ length: segmentCount }, (_, i) => (i === 0 ? fc.constant(null) : fc.option(index(i), { nil: null })))),
        channels: fc.constant(channels),
        touchpoints: fc.array(fc.record({ phase: index(phases.length), channel: index(channels), segment: optional(segmentCount) }), { maxLength: 4 }),
        rules: fc.uniqueArray(
          fc.record({ segment: optional(segmentCount), phase: optional(phases.length), channel: optional(channels), minLive: fc.option(fc.integer({ min: 1, max: 3 }), { nil: null }) }),
          { maxLength: 4, selector: (r) => `${r.segment}|${r.phase}|${r.channel}` },
        ),
        pieces: fc.array(
          fc.record({
            status: fc.constantFrom(...STATUSES, 'PUBLISHED', 'PUBLISHED'),
            phases: subset(phases.length, 1),
            channels: subset(channels, 1),
            segments: fc.oneof(fc.constant([]), subset(segmentCount, 1)),
            publishAt: fc.option(date, { nil: null }),
            expiresAt: fc.option(date, { nil: null }),
            reviewAt: fc.option(date, { nil: null, freq: 2 }),
            updatedAt: updated,
          }),
          { maxLength: 10 },
        ),
      });
    }) as fc.Arbitrary<World>;
}

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

const QUERY = `query ($at: DateTime) { contentMatrix(journey: "j", at: $at) { at
  cells { segment { key } phase { key } channel { key } status liveCount plannedCount expectedMinimum counts { idea draft inReview scheduled published archived } }
  summary { overall { expectedCells coveredCells } }
} }`;

type Cell = { cell: string; status: string; live: number; planned: number; minimum: number; counts: Record<string, number> };

/** Builds the world in a new workspace, its dates relative to `anchor`. */
async function build(w: World, name: string, anchor: () => number) {
  const keys = await app.workspace(name);
  await app.database.prisma.workspace.update({ where: { id: keys.workspaceId }, data: { freshnessDays: w.freshnessDays, expiryLookaheadDays: w.lookaheadDays } });
  const f = new Fixture(app.database.prisma, keys.workspaceId);
  await f.journey('j', w.phases.map((scope, i) => [`p${i}`, scope]));
  for (const [i, parent] of w.segments.entries()) await f.segment(`s${i}`, parent === null ? undefined : `s${parent}`);
  for (let c = 0; c < w.channels; c++) await f.channel(`c${c}`);
  for (const [i, t] of w.touchpoints.entries()) await f.touchpoint(`t${i}`, `p${t.phase}`, `c${t.channel}`, t.segment === null ? {} : { segment: `s${t.segment}` });
  for (const r of w.rules) {
    await f.rule(
      { segment: r.segment === null ? undefined : `s${r.segment}`, phase: r.phase === null ? undefined : `p${r.phase}`, channel: r.channel === null ? undefined : `c${r.channel}` },
      r.minLive === null ? { notExpected: true } : { minLive: r.minLive },
    );
  }
  const base = anchor();
  const date = (offset: number | null) => (offset === null ? null : new Date(base + offset));
  for (const [i, p] of w.pieces.entries()) {
    await f.piece({
      title: `piece ${i}`, status: p.status, phases: p.phases.map((n) => `p${n}`), channels: p.channels.map((n) => `c${n}`), segments: p.segments.map((n) => `s${n}`),
      publishAt: date(p.publishAt), expiresAt: date(p.expiresAt), reviewAt: date(p.reviewAt), updatedAt: date(p.updatedAt) as Date,
    });
  }
  return { keys, base };
}

/** Asks the API for the matrix (at `at`, or now) and checks it against the brute force at the instant it answers for. */
async function expectMatrix(w: World, editorKey: string, base: number, at?: Date) {
  const res = await app.gql(editorKey, QUERY, { at: at?.toISOString() });
  expect(res.errors).toBeUndefined();
  const answeredAt = new Date(res.data?.contentMatrix.at).getTime();
  const expected = bruteForce(w, base, answeredAt);
  const actual: Cell[] = res.data?.contentMatrix.cells.map((c: { segment: { key: string }; phase: { key: string }; channel: { key: string } } & Record<string, unknown>) => ({
    cell: `${c.segment.key}/${c.phase.key}/${c.channel.key}`, status: c.status, live: c.liveCount, planned: c.plannedCount, minimum: c.expectedMinimum, counts: c.counts,
  }));
  const byCell = (a: { cell: string }, b: { cell: string }) => a.cell.localeCompare(b.cell);
  expect([...actual].sort(byCell)).toEqual([...expected].sort(byCell));
  const expectedCells = expected.filter((c) => c.status !== 'NOT_EXPECTED');
  expect(res.data?.contentMatrix.summary.overall).toEqual({
    expectedCells: expectedCells.length,
    coveredCells: expectedCells.filter((c) => c.status === 'COVERED' || c.status === 'EXPIRING').length,
  });
}

describe('contentMatrix against a brute-force computation', () => {
  it('agrees cell by cell on random workspaces with dates on every edge', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(world(), async (w) => {
        run += 1;
        const { keys, base } = await build(w, `property ${run}`, () => AT.getTime());
        await expectMatrix(w, keys.EDITOR, base, AT);
      }),
      { numRuns: 40 },
    );
  }, 120_000);

  it('agrees when asked for now, from the counts kept per cell, as their edges pass', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(world(), async (w) => {
        run += 1;
        // The edges near the anchor lie after the pieces are written (their kept counts were
        // made before them) and before the first answer (so each of them has passed).
        const { keys, base } = await build(w, `property now ${run}`, () => Date.now() + 300);
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, base + 5 - Date.now())));
        await expectMatrix(w, keys.EDITOR, base);
        // The first answer keeps the counts it made; the second reads them.
        await new Promise((resolve) => setTimeout(resolve, 20));
        await expectMatrix(w, keys.EDITOR, base);
      }),
      { numRuns: 25 },
    );
  }, 120_000);
});

/** The matrix computed the slow, obvious way: every cell, every piece, every rule. */
function bruteForce(w: World, base: number, at: number): Cell[] {
  const time = (offset: number) => base + offset;
  const horizon = at + w.lookaheadDays * DAY;
  const staleBefore = at - w.freshnessDays * DAY;
  const cells = [];
  for (let s = 0; s < w.segments.length; s++) {
    for (let p = 0; p < w.phases.length; p++) {
      for (let c = 0; c < w.channels; c++) {
        // Only the segment's own pieces and generic ones count; never a parent's.
        const pieces = w.pieces.filter((x) => x.phases.includes(p) && x.channels.includes(c) && (x.segments.length === 0 || x.segments.includes(s)));
        const counts = { idea: 0, draft: 0, inReview: 0, scheduled: 0, published: 0, archived: 0 };
        const field = { IDEA: 'idea', DRAFT: 'draft', IN_REVIEW: 'inReview', SCHEDULED: 'scheduled', PUBLISHED: 'published', ARCHIVED: 'archived' } as const;
        for (const x of pieces) counts[field[x.status]] += 1;
        const isLive = (x: World['pieces'][number]) =>
          x.status === 'PUBLISHED' && (x.publishAt === null || time(x.publishAt) <= at) && (x.expiresAt === null || time(x.expiresAt) > at);
        const live = pieces.filter(isLive);
        const fresh = live.filter((x) => (x.reviewAt !== null ? time(x.reviewAt) > at : time(x.updatedAt) > staleBefore));
        const liveAtHorizon = pieces.filter((x) => {
          const published = x.status === 'PUBLISHED' && (x.publishAt === null || time(x.publishAt) <= horizon);
          const scheduled = x.status === 'SCHEDULED' && x.publishAt !== null && time(x.publishAt) <= horizon;
          return (published || scheduled) && (x.expiresAt === null || time(x.expiresAt) > horizon);
        });
        const planned = counts.idea + counts.draft + counts.inReview + counts.scheduled;
        const touchpoints = w.touchpoints.filter((t) => t.phase === p && t.channel === c && (t.segment === null || t.segment === s));
        const rules = w.rules.filter((r) => (r.segment === null || r.segment === s) && (r.phase === null || r.phase === p) && (r.channel === null || r.channel === c));
        // Most dimensions named wins; then segment, then phase, then channel.
        const weight = (r: World['rules'][number]) => [r.segment, r.phase, r.channel].filter((d) => d !== null).length * 100 + (r.segment !== null ? 10 : 0) + (r.phase !== null ? 5 : 0) + (r.channel !== null ? 1 : 0);
        let winner: World['rules'][number] | null = null;
        for (const r of rules) if (!winner || weight(r) > weight(winner)) winner = r;
        const minimum = winner ? (winner.minLive ?? 0) : touchpoints.length > 0 ? 1 : 0;
        let status: string;
        if (minimum === 0) status = 'NOT_EXPECTED';
        else if (live.length === 0) status = planned > 0 ? 'PLANNED_ONLY' : 'MISSING';
        else if (fresh.length === 0) status = 'STALE';
        else if (live.length < minimum) status = 'THIN';
        else if (liveAtHorizon.length < minimum) status = 'EXPIRING';
        else status = 'COVERED';
        cells.push({ cell: `s${s}/p${p}/c${c}`, status, live: live.length, planned, minimum, counts });
      }
    }
  }
  return cells;
}

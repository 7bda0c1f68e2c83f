import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TOUCHPOINTS } from '../src/demo/data.js';
import { loadDemoWorkspace } from '../src/demo/demo.js';
import { DEMO_DAYS, DEMO_PATHS, DEMO_TRAFFIC, demoEvents } from '../src/demo/interactions.js';
import { MIN_IMPRESSIONS } from '../src/gaps/underperforming.js';
import { startTestApp, type TestApp } from './support/app.js';

/**
 * The demo's interactions (src/demo/interactions.ts) are recorded as a
 * website records them, and answer what the README promises: engagement
 * deciding an order, paths with a median time, one underperforming cell.
 */
let app: TestApp;
const now = new Date();
const EDITOR = 'cpk_demo_editor';
const DELIVERY = 'cpk_demo_delivery';
const day = (offset: number) => new Date(now.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
const sum = (field: 'impressions' | 'clicks' | 'conversions' | 'downloads') => DEMO_TRAFFIC.reduce((total, t) => total + (t[field] ?? 0), 0);

beforeAll(async () => {
  app = await startTestApp();
  await loadDemoWorkspace(app.database, now);
}, 60_000);
afterAll(() => app.close());

describe('the demo\'s interactions', () => {
  it('are recorded once, as raw events, daily roll-ups, totals and steps that agree', async () => {
    const db = app.database.prisma;
    const byType = Object.fromEntries((await db.interaction.groupBy({ by: ['type'], _count: true })).map((g) => [g.type, g._count]));
    expect(byType).toEqual({ IMPRESSION: sum('impressions'), CLICK: sum('clicks'), CONVERSION: sum('conversions'), DOWNLOAD: sum('downloads') });
    const days = await db.interactionDay.groupBy({ by: ['type'], _sum: { count: true } });
    expect(Object.fromEntries(days.map((d) => [d.type, d._sum.count]))).toEqual(byType);
    const totals = await db.interactionTotal.aggregate({ _sum: { impressions: true, clicks: true, conversions: true, downloads: true } });
    expect(totals._sum).toEqual({ impressions: sum('impressions'), clicks: sum('clicks'), conversions: sum('conversions'), downloads: sum('downloads') });
    // Every step of a path after its first is a step between touchpoints.
    const steps = await db.interactionStep.aggregate({ _sum: { count: true } });
    expect(steps._sum.count).toBe(DEMO_PATHS.flatMap((p) => p.steps.slice(1)).reduce((total, s) => total + s.sessions, 0));

    const again = await loadDemoWorkspace(app.database);
    expect(again.created).toBe(false);
    expect(await db.interaction.count()).toBe(sum('impressions') + sum('clicks') + sum('conversions') + sum('downloads'));
  });

  it('lie within the last weeks (inside the retention window) and after each piece went live', async () => {
    const db = app.database.prisma;
    const events = await db.interaction.findMany({ select: { occurredAt: true, pieceId: true } });
    const published = new Map((await db.contentPiece.findMany({ select: { id: true, publishAt: true } })).map((p) => [p.id, p.publishAt]));
    const earliest = now.getTime() - DEMO_DAYS * 86_400_000;
    expect(events.every((e) => e.occurredAt.getTime() > earliest && e.occurredAt < now)).toBe(true);
    expect(events.every((e) => (published.get(e.pieceId) ?? now) <= e.occurredAt)).toBe(true);
  });

  it('are the same on every load, relative to its day, and fit a shorter retention window', () => {
    const touchpoints = new Map(DEMO_TOUCHPOINTS.map((t) => [t.ref, `id-${t.ref}`]));
    const later = new Date(now.getTime() + 3 * 86_400_000);
    const shifted = (events: ReturnType<typeof demoEvents>, at: Date) => events.map((e) => ({ ...e, occurredAt: Date.parse(e.occurredAt as string) - at.getTime() }));
    expect(shifted(demoEvents(touchpoints, later, 90), later)).toEqual(shifted(demoEvents(touchpoints, now, 90), now));
    const week = demoEvents(touchpoints, now, 7);
    expect(week).toHaveLength(demoEvents(touchpoints, now, 90).length);
    expect(week.every((e) => Date.parse(e.occurredAt as string) > now.getTime() - 7 * 86_400_000)).toBe(true);
  });

  it('make the students\' order form UNDERPERFORMING, and no other cell', async () => {
    const res = await app.gql(EDITOR, `{
      contentGaps(journey: "consument", kinds: [UNDERPERFORMING], first: 10) {
        totalCount
        edges { node { kind severity message segment { key } phase { key } channel { key } cell { engagement { impressions conversions conversionRate } } } }
      }
    }`);
    expect(res.errors).toBeUndefined();
    expect(res.data?.contentGaps.totalCount).toBe(1);
    const gap = res.data?.contentGaps.edges[0].node;
    expect([gap.segment.key, gap.phase.key, gap.channel.key]).toEqual(['studenten', 'action', 'website']);
    expect(gap.cell.engagement).toEqual({ impressions: 380, conversions: 3, conversionRate: 3 / 380 });
    expect(gap.cell.engagement.impressions).toBeGreaterThanOrEqual(MIN_IMPRESSIONS);
    expect(gap.message).toContain('converts at 0.8% (3 conversions from 380 impressions)');
    // The business journey's gaps are as before: nothing there underperforms.
    const business = await app.gql(EDITOR, '{ contentGaps(journey: "zakelijk", kinds: [UNDERPERFORMING]) { totalCount } }');
    expect(business.data?.contentGaps.totalCount).toBe(0);
  });

  it('put that gap in the reports\' gap list and gaps.csv, as contentGaps ranks it', async () => {
    const created = await app.gql(EDITOR, 'mutation { createReportToken(input: { name: "Strategy" }) { token userErrors { code } } }');
    const token = created.data?.createReportToken.token as string;
    const csv = await (await app.fetch(`/reports/gaps.csv?${new URLSearchParams({ token, journey: 'consument', kinds: 'UNDERPERFORMING' })}`)).text();
    const rows = csv.replace(/^\ufeff/, '').trim().split('\r\n');
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatch(/^1,UNDERPERFORMING,[\d.]+,consument,.*,studenten,.*,action,.*,website,/);
    const all = await (await app.fetch(`/reports/gaps.csv?${new URLSearchParams({ token, journey: 'consument' })}`)).text();
    const ranked = await app.gql(EDITOR, '{ contentGaps(journey: "consument", first: 100) { edges { node { kind } } } }');
    const kinds = all.replace(/^\ufeff/, '').trim().split('\r\n').slice(1).map((row) => row.split(',')[1]);
    expect(kinds).toEqual(ranked.data?.contentGaps.edges.map((e: { node: { kind: string } }) => e.node.kind));
    const html = await (await app.fetch(`/reports/matrix.html?${new URLSearchParams({ token, journey: 'consument' })}`)).text();
    expect(html).toContain('converts at 0.8% (3 conversions from 380 impressions)');
  });

  it('show paths from the Instagram ad to the comparison page and on to the order form, with median times', async () => {
    const res = await app.gql(EDITOR, `{
      touchpointPaths(journey: "consument", segment: "e-bike-forenzen", first: 5) {
        totalCount
        edges { node { from { name } to { name } count medianSeconds } }
      }
    }`);
    expect(res.errors).toBeUndefined();
    const paths = res.data?.touchpointPaths.edges.map((e: { node: { from: { name: string }; to: { name: string }; count: number; medianSeconds: number } }) => e.node);
    expect(paths.map((p: { from: { name: string }; to: { name: string }; count: number }) => [p.from.name, p.to.name, p.count])).toEqual([
      ['Instagram-advertentie nieuwe e-bikes', 'Vergelijkingspagina e-bikes', 60],
      ['Vergelijkingspagina e-bikes', 'Bestelformulier webshop', 25],
    ]);
    // Within the ranges of DEMO_PATHS, give or take the histogram's 10 %.
    expect(paths[0].medianSeconds).toBeGreaterThanOrEqual(15 * 0.9);
    expect(paths[0].medianSeconds).toBeLessThanOrEqual(90 * 1.1);
    expect(paths[1].medianSeconds).toBeGreaterThanOrEqual(180 * 0.9);
    expect(paths[1].medianSeconds).toBeLessThanOrEqual(900 * 1.1);
  });

  it('let engagement put the service reminder above the fresher newsletter of the same priority for commuters on e-mail', async () => {
    const res = await app.gql(DELIVERY, `{
      recommendedContent(segment: "forenzen", phase: "always", channel: "email", first: 2) {
        edges { node { externalId priority publishAt } reason { codes message } report { externalId segmentKey phaseKey channelKey touchpointId } }
      }
    }`);
    expect(res.errors).toBeUndefined();
    const [first, second] = res.data?.recommendedContent.edges;
    expect([first.node.externalId, second.node.externalId]).toEqual(['cms-1030', 'cms-1032']);
    // Freshness alone would put the newsletter first: engagement decided.
    expect(first.node.priority).toBe(second.node.priority);
    expect(Date.parse(second.node.publishAt)).toBeGreaterThan(Date.parse(first.node.publishAt));
    expect(first.reason.codes).toEqual(['EXACT_SEGMENT', 'ENGAGEMENT']);
    expect(second.reason.codes).toEqual(['EXACT_SEGMENT']);
    expect(first.report).toEqual({ externalId: 'cms-1030', segmentKey: 'forenzen', phaseKey: 'always', channelKey: 'email', touchpointId: expect.any(String) });
  });

  it('are counted per cell by contentPerformance as they were sent', async () => {
    const res = await app.gql(EDITOR, `query ($from: String!, $to: String!) {
      contentPerformance(from: $from, to: $to, segment: "studenten", phase: "action", channel: "website") { impressions clicks conversions }
      whole: contentPerformance(from: $from, to: $to) { impressions clicks conversions downloads }
    }`, { from: day(-DEMO_DAYS), to: day(0) });
    expect(res.errors).toBeUndefined();
    expect(res.data?.contentPerformance).toEqual({ impressions: 380, clicks: 30, conversions: 3 });
    expect(res.data?.whole).toEqual({ impressions: sum('impressions'), clicks: sum('clicks'), conversions: sum('conversions'), downloads: sum('downloads') });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoWorkspace, type DemoResult } from '../src/demo/demo.js';
import { startTestApp, type TestApp } from './support/app.js';

let app: TestApp;
let first: DemoResult;
const now = new Date();

beforeAll(async () => {
  app = await startTestApp();
  first = await loadDemoWorkspace(app.database, now);
});
afterAll(() => app.close());

const liveWhere = { status: 'PUBLISHED' as const, OR: [{ publishAt: null }, { publishAt: { lte: now } }], AND: [{ OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] }] };

describe('demo workspace', () => {
  it('is created on the first start and found, not duplicated, on the next', async () => {
    expect(first.created).toBe(true);
    const again = await loadDemoWorkspace(app.database);
    expect(again.created).toBe(false);
    expect(again.keys).toEqual(first.keys);
    expect(await app.database.prisma.workspace.count()).toBe(1);
    expect(await app.database.prisma.contentPiece.count()).toBeGreaterThanOrEqual(55);
  });

  it('answers one fixed, documented key per role', () => {
    expect(first.keys).toEqual([
      { role: 'ADMIN', secret: 'cpk_demo_admin' },
      { role: 'EDITOR', secret: 'cpk_demo_editor' },
      { role: 'DELIVERY', secret: 'cpk_demo_delivery' },
    ]);
  });

  it('the demo keys work through the GraphQL server with their roles', async () => {
    for (const { role, secret } of first.keys) {
      const res = await app.gql(secret, '{ viewer { role workspace { name } } }');
      expect(res.data?.viewer).toEqual({ role, workspace: { name: 'Demo: Fietsenmaker Van Dijk' } });
    }
  });

  it('holds a B2C and a B2B journey from the templates, nested segments and the eight channels', async () => {
    const db = app.database.prisma;
    const journeys = await db.journeyModel.findMany({ include: { phases: { orderBy: { position: 'asc' } } }, orderBy: { key: 'asc' } });
    expect(journeys.map((j) => [j.key, j.template, j.phases.length])).toEqual([
      ['consument', 'five-a', 5],
      ['zakelijk', 'awareness-to-advocacy', 5],
    ]);
    expect(journeys[0]!.phases.map((p) => p.name)).toEqual(['Aandacht', 'Afweging', 'Actie', 'Altijd', 'Advocaat of ambassadeur']);
    const segments = await db.segment.findMany({ include: { parent: true } });
    expect(segments.length).toBeGreaterThanOrEqual(5);
    const parentOf = Object.fromEntries(segments.map((s) => [s.key, s.parent?.key ?? null]));
    expect(parentOf).toMatchObject({ zzp: 'mkb', 'e-bike-forenzen': 'forenzen', mkb: null });
    expect(new Set(segments.map((s) => s.market))).toEqual(new Set(['B2B', 'B2C']));
    const channels = await db.channel.findMany({ orderBy: { key: 'asc' } });
    expect(channels.map((c) => c.key)).toEqual(['ads', 'email', 'event', 'phone', 'sms', 'social', 'store', 'website']);
    expect(channels.filter((c) => c.maxPerWeek !== null).length).toBeGreaterThan(0);
  });

  it('maps touchpoints with emotions, sales opportunities and need types, and coverage rules of each kind', async () => {
    const db = app.database.prisma;
    const touchpoints = await db.touchpoint.findMany();
    expect(touchpoints.length).toBeGreaterThanOrEqual(10);
    expect(new Set(touchpoints.map((t) => t.emotion))).toEqual(new Set([-2, -1, 0, 1, 2]));
    expect(touchpoints.some((t) => t.salesOpportunity) && touchpoints.some((t) => !t.salesOpportunity)).toBe(true);
    expect(new Set(touchpoints.map((t) => t.needType))).toEqual(new Set(['FUNCTIONAL', 'EMOTIONAL']));
    const rules = await db.coverageRule.findMany();
    expect(rules.some((r) => r.segmentId === null && r.minLive === 1)).toBe(true);
    expect(rules.some((r) => r.notExpected)).toBe(true);
    expect(rules.some((r) => r.segmentId !== null && r.minLive === 2)).toBe(true);
  });

  it('holds content in every status and both locales, some live, some generic, some targeted at sub-segments', async () => {
    const db = app.database.prisma;
    const statuses = await db.contentPiece.groupBy({ by: ['status'], _count: true });
    expect(statuses.map((s) => s.status).sort()).toEqual(['ARCHIVED', 'DRAFT', 'IDEA', 'IN_REVIEW', 'PUBLISHED', 'SCHEDULED']);
    const locales = await db.contentPiece.groupBy({ by: ['locale'], _count: true });
    expect(Object.fromEntries(locales.map((l) => [l.locale, l._count]))).toMatchObject({ 'nl-NL': expect.any(Number), 'en-GB': expect.any(Number) });
    expect(await db.contentPiece.count({ where: liveWhere })).toBeGreaterThanOrEqual(20);
    expect(await db.contentPiece.count({ where: { segments: { none: {} } } })).toBeGreaterThan(0);
    expect(await db.contentPiece.count({ where: { segments: { some: { segment: { parentId: { not: null } } } } } })).toBeGreaterThan(0);
    expect(await db.contentPiece.count({ where: { touchpoints: { some: {} } } })).toBeGreaterThan(0);
    expect(await db.contentPiece.count({ where: { externalId: 'cms-1001' } })).toBe(1);
  });

  it('dates are relative to now: scheduled pieces lie ahead, some live ones are expired or past review', async () => {
    const db = app.database.prisma;
    const scheduled = await db.contentPiece.findMany({ where: { status: 'SCHEDULED' } });
    expect(scheduled.every((p) => p.publishAt !== null && p.publishAt > now)).toBe(true);
    expect(await db.contentPiece.count({ where: { status: 'PUBLISHED', expiresAt: { lte: now } } })).toBeGreaterThan(0);
    expect(await db.contentPiece.count({ where: { ...liveWhere, reviewAt: { lt: now } } })).toBeGreaterThan(0);
  });

  it('leaves the deliberate gaps: nothing live for ZZP\'ers at decision on e-mail, nothing for students after the purchase', async () => {
    const db = app.database.prisma;
    const zzpDecisionEmail = await db.contentPiece.count({
      where: {
        ...liveWhere,
        phases: { some: { phase: { key: 'decision', journey: { key: 'zakelijk' } } } },
        channels: { some: { channel: { key: 'email' } } },
        OR: [{ segments: { none: {} } }, { segments: { some: { segment: { key: 'zzp' } } } }],
      },
    });
    expect(zzpDecisionEmail).toBe(0);
    const studentStay = await db.contentPiece.count({
      where: {
        phases: { some: { phase: { scope: 'STAY', journey: { key: 'consument' } } } },
        OR: [{ segments: { none: {} } }, { segments: { some: { segment: { key: 'studenten' } } } }],
      },
    });
    expect(studentStay).toBe(0);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type WorkspaceKeys } from './support/app.js';
import { Fixture } from './support/fixtures.js';

const QUERY = /* GraphQL */ `
  query ($segment: String!, $phase: String!, $channel: String!, $locale: Locale, $at: DateTime, $first: Int, $after: String) {
    recommendedContent(segment: $segment, phase: $phase, channel: $channel, locale: $locale, at: $at, first: $first, after: $after) {
      totalCount
      at
      gap { kind severity expectedMinimum planned message touchpoints { name emotion salesOpportunity } }
      pageInfo { hasNextPage endCursor }
      edges { cursor score node { title locale } reason { code codes message segment } }
    }
  }
`;

const AT = new Date('2026-06-01T12:00:00.000Z');
const days = (n: number) => new Date(AT.getTime() + n * 86_400_000);

let app: TestApp;
let ws: WorkspaceKeys;
let f: Fixture;

/** Previews the ranking at AT, which takes an EDITOR key; DELIVERY keys see now (pass `at: undefined`). */
async function recommend(variables: Record<string, unknown>, key = ws.EDITOR) {
  return app.gql(key, QUERY, { at: AT.toISOString(), ...variables });
}
const NOW = { at: undefined };
const titles = (res: { data?: Record<string, any> }) => res.data?.recommendedContent.edges.map((e: { node: { title: string } }) => e.node.title);

beforeAll(async () => {
  app = await startTestApp();
  ws = await app.workspace();
  f = new Fixture(app.database.prisma, ws.workspaceId);
  await f.journey('b2b', [['awareness', 'BECOME'], ['decision', 'BECOME'], ['retention', 'STAY']]);
  await f.segment('mkb', undefined, 'B2B');
  await f.segment('zzp', 'mkb', 'B2B');
  await f.segment('starters', 'zzp', 'B2B');
  await f.segment('corporate', undefined, 'B2B');
  await f.channel('website');
  await f.channel('email');
  await f.journey('b2c', [['awareness', 'BECOME']]);
  await f.segment('gezinnen');
  // The segment-tree ranking cases, all on awareness × website.
  await f.piece({ title: 'generic', phases: ['awareness'], channels: ['website'], priority: 99 });
  await f.piece({ title: 'for mkb', phases: ['awareness'], channels: ['website'], segments: ['mkb'] });
  await f.piece({ title: 'for zzp', phases: ['awareness'], channels: ['website'], segments: ['zzp'] });
  await f.piece({ title: 'for starters', phases: ['awareness'], channels: ['website'], segments: ['starters'], priority: 1 });
  await f.piece({ title: 'for corporate', phases: ['awareness'], channels: ['website'], segments: ['corporate'], priority: 100 });
  await f.piece({ title: 'for email only', phases: ['awareness'], channels: ['email'], segments: ['starters'] });
  await f.piece({ title: 'draft for starters', phases: ['awareness'], channels: ['website'], segments: ['starters'], status: 'DRAFT' });
  await f.piece({ title: 'archived for starters', phases: ['awareness'], channels: ['website'], segments: ['starters'], status: 'ARCHIVED' });
  await f.piece({ title: 'scheduled for starters', phases: ['awareness'], channels: ['website'], segments: ['starters'], status: 'SCHEDULED', publishAt: days(-1) });
});
afterAll(() => app.close());

describe('recommendedContent ranking', () => {
  it('a piece for the exact segment outranks its ancestors\' (nearer first), which outrank generic content', async () => {
    const res = await recommend({ segment: 'starters', phase: 'awareness', channel: 'website' });
    expect(res.errors).toBeUndefined();
    expect(titles(res)).toEqual(['for starters', 'for zzp', 'for mkb', 'generic']);
    const reasons = res.data?.recommendedContent.edges.map((e: { reason: { code: string; segment: string | null } }) => [e.reason.code, e.reason.segment]);
    expect(reasons).toEqual([['EXACT_SEGMENT', 'starters'], ['ANCESTOR_SEGMENT', 'zzp'], ['ANCESTOR_SEGMENT', 'mkb'], ['GENERIC', null]]);
    expect(res.data?.recommendedContent.edges[1].reason.message).toContain('parent segment "ZZP"');
    const scores = res.data?.recommendedContent.edges.map((e: { score: number }) => e.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it('never returns drafts, archived or scheduled pieces, pieces for other segments or other channels', async () => {
    const all = titles(await recommend({ segment: 'starters', phase: 'awareness', channel: 'website', first: 100 }));
    expect(all).not.toContain('draft for starters');
    expect(all).not.toContain('archived for starters');
    expect(all).not.toContain('scheduled for starters');
    expect(all).not.toContain('for corporate');
    expect(all).not.toContain('for email only');
  });

  it('orders equally specific pieces by priority, then by freshness (publishAt, else last update)', async () => {
    await f.piece({ title: 'retention low', phases: ['retention'], channels: ['email'], priority: 10, publishAt: days(-1) });
    await f.piece({ title: 'retention high old', phases: ['retention'], channels: ['email'], priority: 80, publishAt: days(-30) });
    await f.piece({ title: 'retention high new', phases: ['retention'], channels: ['email'], priority: 80, publishAt: days(-2) });
    await f.piece({ title: 'retention high updated', phases: ['retention'], channels: ['email'], priority: 80, updatedAt: days(-10) });
    const res = await recommend({ segment: 'mkb', phase: 'retention', channel: 'email' });
    expect(titles(res)).toEqual(['retention high new', 'retention high updated', 'retention high old', 'retention low']);
  });

  it('counts a piece live from publishAt = at, and no longer at expiresAt = at', async () => {
    await f.piece({ title: 'starts now', phases: ['decision'], channels: ['email'], publishAt: AT });
    await f.piece({ title: 'ends now', phases: ['decision'], channels: ['email'], expiresAt: AT });
    await f.piece({ title: 'starts in a second', phases: ['decision'], channels: ['email'], publishAt: new Date(AT.getTime() + 1000) });
    const res = await recommend({ segment: 'mkb', phase: 'decision', channel: 'email' });
    expect(titles(res)).toEqual(['starts now']);
  });
});

describe('recommendedContent locale', () => {
  beforeAll(async () => {
    await f.piece({ title: 'nl piece', phases: ['decision'], channels: ['website'], locale: 'nl-NL', priority: 90 });
    await f.piece({ title: 'en piece', phases: ['decision'], channels: ['website'], locale: 'en-GB', priority: 10 });
  });

  it('returns only pieces in the asked locale when some match', async () => {
    const res = await recommend({ segment: 'mkb', phase: 'decision', channel: 'website', locale: 'en-GB' });
    expect(titles(res)).toEqual(['en piece']);
    expect(res.data?.recommendedContent.edges[0].reason.codes).toEqual(['GENERIC']);
  });

  it('falls back to other locales when nothing matches, and says so', async () => {
    const res = await recommend({ segment: 'mkb', phase: 'decision', channel: 'website', locale: 'de-DE' });
    expect(titles(res)).toEqual(['nl piece', 'en piece']);
    const edge = res.data?.recommendedContent.edges[0];
    expect(edge.reason.codes).toEqual(['GENERIC', 'LOCALE_FALLBACK']);
    expect(edge.reason.message).toContain('de-DE');
  });
});

describe('recommendedContent gaps', () => {
  it('flags an expected cell with nothing live as a MISSING gap with its severity and touchpoints', async () => {
    await f.touchpoint('Offerte-aanvraag', 'decision', 'website', { segment: 'corporate', emotion: -2, salesOpportunity: true });
    const res = await recommend({ segment: 'corporate', phase: 'decision', channel: 'website', locale: 'fr-FR' });
    // Generic pieces exist here, so it is no gap:
    expect(res.data?.recommendedContent.gap).toBeNull();
    await f.touchpoint('Bevestigingsmail', 'awareness', 'email', { segment: 'corporate', emotion: -1 });
    const gap = await recommend({ segment: 'corporate', phase: 'awareness', channel: 'email' });
    expect(gap.data?.recommendedContent.totalCount).toBe(0);
    expect(gap.data?.recommendedContent.gap).toMatchObject({ kind: 'MISSING', expectedMinimum: 1, planned: 0, touchpoints: [{ name: 'Bevestigingsmail', emotion: -1 }] });
    expect(gap.data?.recommendedContent.gap.severity).toBeGreaterThan(0);
    expect(gap.data?.recommendedContent.gap.message).toContain('Bevestigingsmail');
  });

  it('calls it PLANNED_ONLY when something is in the pipeline, and weighs a painful sales moment heavier', async () => {
    await f.touchpoint('Prijsvraag', 'retention', 'website', { emotion: -2, salesOpportunity: true });
    await f.piece({ title: 'idea', phases: ['retention'], channels: ['website'], status: 'IDEA' });
    const painful = await recommend({ segment: 'corporate', phase: 'retention', channel: 'website' });
    expect(painful.data?.recommendedContent.gap).toMatchObject({ kind: 'PLANNED_ONLY', planned: 1 });
    const mild = await recommend({ segment: 'corporate', phase: 'awareness', channel: 'email' });
    expect(painful.data?.recommendedContent.gap.severity).toBeGreaterThan(0);
    expect(mild.data?.recommendedContent.gap.kind).toBe('MISSING');
  });

  it('is no gap when nobody expects content, or when the most specific rule says notExpected', async () => {
    const unexpected = await recommend({ segment: 'gezinnen', phase: 'awareness', channel: 'email' });
    expect(unexpected.data?.recommendedContent).toMatchObject({ totalCount: 0, gap: null });
    await f.rule({ segment: 'corporate', phase: 'awareness', channel: 'email' }, { notExpected: true });
    const ruledOut = await recommend({ segment: 'corporate', phase: 'awareness', channel: 'email' });
    expect(ruledOut.data?.recommendedContent).toMatchObject({ totalCount: 0, gap: null });
  });

  it('expects content where a coverage rule asks for it, even without a touchpoint', async () => {
    await f.rule({ phase: 'b2c:awareness' }, { minLive: 2 });
    const res = await recommend({ segment: 'gezinnen', phase: 'awareness', channel: 'email' });
    expect(res.data?.recommendedContent.gap).toMatchObject({ kind: 'MISSING', expectedMinimum: 2, touchpoints: [] });
  });
});

describe('recommendedContent input', () => {
  it.each([
    [{ segment: 'nobody', phase: 'awareness', channel: 'website' }, 'segment', 'nobody'],
    [{ segment: 'gezinnen', phase: 'decision', channel: 'website' }, 'phase', 'decision'],
    [{ segment: 'mkb', phase: 'awareness', channel: 'fax' }, 'channel', 'fax'],
    [{ segment: 'mkb', phase: 'awareness', channel: 'website', first: -1 }, 'first', -1],
    [{ segment: 'mkb', phase: 'awareness', channel: 'website', first: 101 }, 'first', 101],
    [{ segment: 'mkb', phase: 'awareness', channel: 'website', after: 'garbage' }, 'after', 'garbage'],
  ])('refuses %o with BAD_USER_INPUT naming the argument', async (variables, argument, value) => {
    const res = await recommend(variables);
    expect(res.data ?? null).toBeNull();
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument, value });
    expect(res.errors?.[0]?.message).toContain(String(value));
  });

  it('is open to DELIVERY keys and closed to anonymous callers', async () => {
    expect((await recommend({ segment: 'mkb', phase: 'awareness', channel: 'website', ...NOW }, ws.DELIVERY)).errors).toBeUndefined();
    const anonymous = await app.gql(null, QUERY, { segment: 'mkb', phase: 'awareness', channel: 'website' });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('recommendedContent isolation', () => {
  it('never returns another workspace\'s pieces, even with the same keys', async () => {
    const other = await app.workspace('Other');
    const g = new Fixture(app.database.prisma, other.workspaceId);
    await g.journey('b2b', [['awareness', 'BECOME']]);
    await g.segment('mkb');
    await g.channel('website');
    await g.piece({ title: 'other workspace piece', phases: ['awareness'], channels: ['website'], segments: ['mkb'] });
    const theirs = titles(await recommend({ segment: 'mkb', phase: 'awareness', channel: 'website', ...NOW }, other.DELIVERY));
    expect(theirs).toEqual(['other workspace piece']);
    const mine = titles(await recommend({ segment: 'mkb', phase: 'awareness', channel: 'website', first: 100 }));
    expect(mine).not.toContain('other workspace piece');
  });
});

describe('recommendedContent paging and cost', () => {
  it('walks every matching piece once, in rank order, page by page', async () => {
    for (let i = 0; i < 7; i++) {
      await f.piece({ title: `page piece ${i}`, phases: ['awareness'], channels: ['email'], segments: i % 2 ? ['mkb'] : [], priority: (i * 37) % 100 });
    }
    const all = await recommend({ segment: 'zzp', phase: 'awareness', channel: 'email', first: 100 });
    const expected = titles(all);
    const walked: string[] = [];
    let after: string | null = null;
    do {
      const res: Awaited<ReturnType<typeof recommend>> = await recommend({ segment: 'zzp', phase: 'awareness', channel: 'email', first: 2, after });
      walked.push(...titles(res));
      expect(res.data?.recommendedContent.totalCount).toBe(expected.length);
      after = res.data?.recommendedContent.pageInfo.hasNextPage ? res.data.recommendedContent.pageInfo.endCursor : null;
    } while (after);
    expect(walked).toEqual(expected);
  });

  it('costs one SQL statement per request, whatever the page size, the depth of the segment tree or a gap', async () => {
    const key = ws.DELIVERY;
    await recommend({ segment: 'mkb', phase: 'awareness', channel: 'website', ...NOW }, key); // warm the key cache and the workspace's catalog
    for (const variables of [
      { segment: 'mkb', phase: 'awareness', channel: 'website', first: 1, ...NOW },
      { segment: 'starters', phase: 'awareness', channel: 'website', first: 100, ...NOW },
      { segment: 'gezinnen', phase: 'awareness', channel: 'email', ...NOW }, // empty: the gap lookup runs
    ]) {
      let res: Awaited<ReturnType<typeof recommend>> | undefined;
      const statements = await app.countStatements(async () => (res = await recommend(variables, key)));
      expect(res?.errors).toBeUndefined();
      expect(statements).toBe(1);
    }
  });
});

describe('recommendedContent for DELIVERY keys: always live now', () => {
  const cell = { segment: 'mkb', phase: 'retention', channel: 'website' };
  const future = new Date(Date.now() + 200 * 86_400_000);
  const past = new Date(Date.now() - 200 * 86_400_000);

  beforeAll(async () => {
    await f.piece({ title: 'embargoed press release', phases: ['retention'], channels: ['website'], segments: ['mkb'], publishAt: new Date(Date.now() + 100 * 86_400_000) });
    await f.piece({ title: 'pulled offer', phases: ['retention'], channels: ['website'], segments: ['mkb'], expiresAt: new Date(Date.now() - 86_400_000) });
    await f.piece({ title: 'live now', phases: ['retention'], channels: ['website'], segments: ['mkb'] });
    await f.piece({ title: 'live now too', phases: ['retention'], channels: ['website'] });
  });

  it('refuses an `at` in the future or the past as FORBIDDEN naming `at`, and shows neither the embargoed nor the pulled piece', async () => {
    for (const at of [future, past]) {
      const res = await recommend({ ...cell, at: at.toISOString() }, ws.DELIVERY);
      expect(res.data ?? null).toBeNull();
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', argument: 'at' });
      expect(JSON.stringify(res)).not.toMatch(/embargoed|pulled/);
    }
  });

  it('takes an `at` within a minute of the server\'s clock as now', async () => {
    const res = await recommend({ ...cell, at: new Date(Date.now() + 20_000).toISOString() }, ws.DELIVERY);
    expect(res.errors).toBeUndefined();
    expect(titles(res)).toEqual(expect.arrayContaining(['live now', 'live now too']));
    expect(titles(res)).not.toContain('embargoed press release');
  });

  it('lets EDITOR keys preview another instant', async () => {
    expect(titles(await recommend({ ...cell, at: future.toISOString() }))).toContain('embargoed press release');
    expect(titles(await recommend({ ...cell, at: new Date(Date.now() - 2 * 86_400_000).toISOString() }))).toContain('pulled offer');
  });

  it('refuses a hand-made cursor carrying an instant, and an EDITOR\'s preview cursor', async () => {
    const handMade = Buffer.from(JSON.stringify({ o: 0, at: future.toISOString() })).toString('base64url');
    const preview = await recommend({ ...cell, at: future.toISOString(), first: 1 });
    const editorCursor = preview.data?.recommendedContent.pageInfo.endCursor as string;
    for (const after of [handMade, editorCursor]) {
      const res = await recommend({ ...cell, ...NOW, first: 1, after }, ws.DELIVERY);
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
    }
  });

  it('pages through what is live now with its own cursors', async () => {
    const walked: string[] = [];
    let after: string | null = null;
    do {
      const res: Awaited<ReturnType<typeof recommend>> = await recommend({ ...cell, ...NOW, first: 1, after }, ws.DELIVERY);
      expect(res.errors).toBeUndefined();
      walked.push(...titles(res));
      after = res.data?.recommendedContent.pageInfo.hasNextPage ? res.data.recommendedContent.pageInfo.endCursor : null;
    } while (after);
    expect(walked).toEqual(['live now', 'live now too']);
  });
});

describe('recommendedContent after writes through the API', () => {
  it('sees a new segment, a changed channel key and a new touchpoint at once: the keys and expectations are never stale', async () => {
    const cell = { phase: 'awareness', ...NOW };
    // Warm everything the server keeps for the workspace.
    expect((await recommend({ ...cell, segment: 'mkb', channel: 'website' }, ws.DELIVERY)).errors).toBeUndefined();
    const created = await app.gql(ws.ADMIN, 'mutation { createSegment(input: { key: "nieuw", name: "Nieuw", market: B2B, journey: "b2b", parent: "mkb" }) { userErrors { code } } }');
    expect(created.data?.createSegment.userErrors).toEqual([]);
    const fresh = await recommend({ ...cell, segment: 'nieuw', channel: 'website' }, ws.DELIVERY);
    expect(fresh.errors).toBeUndefined();
    expect(titles(fresh)).toContain('for mkb');

    const channel = await app.gql(ws.ADMIN, 'mutation { createChannel(input: { key: "post", name: "Post", kind: OTHER }) { channel { id } } }');
    const renamed = await app.gql(ws.ADMIN, 'mutation ($id: ID!) { updateChannel(input: { id: $id, key: "brievenbus" }) { userErrors { code } } }', { id: channel.data?.createChannel.channel.id });
    expect(renamed.data?.updateChannel.userErrors).toEqual([]);
    expect((await recommend({ ...cell, segment: 'nieuw', channel: 'post' }, ws.DELIVERY)).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'channel' });
    const empty = await recommend({ ...cell, segment: 'nieuw', channel: 'brievenbus' }, ws.DELIVERY);
    expect(empty.data?.recommendedContent).toMatchObject({ totalCount: 0, gap: null });

    const touchpoint = await app.gql(ws.EDITOR, 'mutation { createTouchpoint(input: { name: "Brief nieuw", phase: { journey: "b2b", phase: "awareness" }, channel: "brievenbus", segment: "nieuw" }) { userErrors { code } } }');
    expect(touchpoint.data?.createTouchpoint.userErrors).toEqual([]);
    const gap = await recommend({ ...cell, segment: 'nieuw', channel: 'brievenbus' }, ws.DELIVERY);
    expect(gap.data?.recommendedContent.gap).toMatchObject({ kind: 'MISSING', touchpoints: [{ name: 'Brief nieuw' }] });
  });
});

describe('recommendedContent without totalCount', () => {
  const LEAN = /* GraphQL */ `
    query ($segment: String!, $phase: String!, $channel: String!, $locale: Locale, $at: DateTime, $first: Int, $after: String) {
      recommendedContent(segment: $segment, phase: $phase, channel: $channel, locale: $locale, at: $at, first: $first, after: $after) {
        gap { kind planned }
        pageInfo { hasNextPage endCursor }
        edges { node { title } reason { codes } }
      }
    }`;
  const lean = (variables: Record<string, unknown>) => app.gql(ws.EDITOR, LEAN, { at: AT.toISOString(), ...variables });

  it('pages, falls back to other locales and reports gaps exactly as when counting, which it skips', async () => {
    for (const variables of [
      { segment: 'zzp', phase: 'awareness', channel: 'email' },
      { segment: 'starters', phase: 'awareness', channel: 'website' },
      { segment: 'mkb', phase: 'decision', channel: 'website', locale: 'de-DE' },
      { segment: 'mkb', phase: 'decision', channel: 'website', locale: 'en-GB' },
      { segment: 'corporate', phase: 'retention', channel: 'website' },
    ]) {
      const walked: string[] = [];
      const codes: string[][] = [];
      let after: string | null = null;
      do {
        const res: Awaited<ReturnType<typeof lean>> = await lean({ ...variables, first: 2, after });
        expect(res.errors).toBeUndefined();
        walked.push(...titles(res));
        codes.push(...res.data?.recommendedContent.edges.map((e: { reason: { codes: string[] } }) => e.reason.codes));
        after = res.data?.recommendedContent.pageInfo.hasNextPage ? res.data.recommendedContent.pageInfo.endCursor : null;
      } while (after);
      const counted = await recommend({ ...variables, first: 100 });
      expect(walked, JSON.stringify(variables)).toEqual(titles(counted));
      expect(codes).toEqual(counted.data?.recommendedContent.edges.map((e: { reason: { codes: string[] } }) => e.reason.codes));
      expect((await lean({ ...variables, first: 100 })).data?.recommendedContent.gap).toEqual(counted.data?.recommendedContent.gap && { kind: counted.data.recommendedContent.gap.kind, planned: counted.data.recommendedContent.gap.planned });
    }
  });
});

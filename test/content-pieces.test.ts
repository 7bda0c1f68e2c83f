import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLiveAt, liveAt } from '../src/content/live.js';
import { startTestApp, type GraphQLResponse, type TestApp, type WorkspaceKeys } from './support/app.js';

const PIECE_FIELDS = 'id title summary format status locale url externalId publishAt expiresAt reviewAt priority needType isGeneric phases { key } channels { key } segments { key }';

const CREATE = /* GraphQL */ `
  mutation ($input: CreateContentPieceInput!) {
    createContentPiece(input: $input) { contentPiece { ${PIECE_FIELDS} } userErrors { field code message } }
  }
`;
const UPDATE = /* GraphQL */ `
  mutation ($input: UpdateContentPieceInput!) {
    updateContentPiece(input: $input) { contentPiece { ${PIECE_FIELDS} } userErrors { field code message } }
  }
`;
const SET_STATUS = /* GraphQL */ `
  mutation ($id: ID!, $status: ContentStatus!) {
    setContentStatus(input: { id: $id, status: $status }) { contentPiece { status publishAt } userErrors { field code message } }
  }
`;
const DELETE = /* GraphQL */ `
  mutation ($id: ID!) { deleteContentPiece(input: { id: $id }) { deletedId userErrors { field code message } } }
`;
const LIST = /* GraphQL */ `
  query ($filter: ContentPieceFilter, $orderBy: ContentPieceOrder, $first: Int, $after: String) {
    contentPieces(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { title } }
    }
  }
`;

let app: TestApp;
let ws: WorkspaceKeys;
let other: WorkspaceKeys;
let touchpointId: string;

const HOUR = 3_600_000;
const consumerPhase = { journey: 'b2c', phase: 'awareness' };

/** Journeys b2c (awareness, retention) and b2b (awareness); segments consumers (b2c), business (b2b); channels website, email. */
async function seedWorkspace(workspaceId: string) {
  const db = app.database.prisma;
  const b2c = await db.journeyModel.create({ data: { workspaceId, key: 'b2c', name: 'B2C' } });
  const b2b = await db.journeyModel.create({ data: { workspaceId, key: 'b2b', name: 'B2B' } });
  const awareness = await db.phase.create({ data: { workspaceId, journeyId: b2c.id, key: 'awareness', name: 'Awareness', position: 0, archetype: 'AWARENESS', scope: 'BECOME' } });
  await db.phase.create({ data: { workspaceId, journeyId: b2c.id, key: 'retention', name: 'Retention', position: 1, archetype: 'RETENTION', scope: 'STAY' } });
  await db.phase.create({ data: { workspaceId, journeyId: b2b.id, key: 'awareness', name: 'Awareness', position: 0, archetype: 'AWARENESS', scope: 'BECOME' } });
  await db.segment.create({ data: { workspaceId, journeyId: b2c.id, key: 'consumers', name: 'Consumers', market: 'B2C' } });
  await db.segment.create({ data: { workspaceId, journeyId: b2b.id, key: 'business', name: 'Business', market: 'B2B' } });
  const website = await db.channel.create({ data: { workspaceId, key: 'website', name: 'Website', kind: 'WEBSITE' } });
  await db.channel.create({ data: { workspaceId, key: 'email', name: 'E-mail', kind: 'EMAIL' } });
  const touchpoint = await db.touchpoint.create({ data: { workspaceId, phaseId: awareness.id, channelId: website.id, name: 'Home page' } });
  return encodeGlobalID('Touchpoint', touchpoint.id);
}

function baseInput(overrides: Record<string, unknown> = {}) {
  return { title: 'Why plan content', format: 'BLOG_POST', locale: 'nl-NL', phases: [consumerPhase], channels: ['website'], ...overrides };
}

async function create(key: string, overrides: Record<string, unknown> = {}) {
  const res = await app.gql(key, CREATE, { input: baseInput(overrides) });
  expect(res.errors).toBeUndefined();
  return res.data?.createContentPiece;
}

async function pieceCount(workspaceId: string) {
  return app.database.prisma.contentPiece.count({ where: { workspaceId } });
}

beforeAll(async () => {
  app = await startTestApp();
  ws = await app.workspace();
  other = await app.workspace('Other');
  touchpointId = await seedWorkspace(ws.workspaceId);
  await seedWorkspace(other.workspaceId);
});
afterAll(() => app.close());

describe('the live predicate', () => {
  it('a piece is live from publishAt (inclusive) until expiresAt (exclusive), and only when PUBLISHED', async () => {
    const t = new Date('2026-05-01T12:00:00.000Z');
    const db = app.database.prisma;
    const workspace = await db.workspace.create({ data: { name: 'Live edges' } });
    const base = { workspaceId: workspace.id, format: 'ARTICLE' as const, locale: 'en' };
    const cases = [
      { title: 'publishes now', status: 'PUBLISHED' as const, publishAt: t, expiresAt: null, live: true },
      { title: 'expires now', status: 'PUBLISHED' as const, publishAt: null, expiresAt: t, live: false },
      { title: 'expires just after', status: 'PUBLISHED' as const, publishAt: null, expiresAt: new Date(t.getTime() + 1), live: true },
      { title: 'publishes just after', status: 'PUBLISHED' as const, publishAt: new Date(t.getTime() + 1), expiresAt: null, live: false },
      { title: 'no dates', status: 'PUBLISHED' as const, publishAt: null, expiresAt: null, live: true },
      { title: 'scheduled', status: 'SCHEDULED' as const, publishAt: t, expiresAt: null, live: false },
      { title: 'draft', status: 'DRAFT' as const, publishAt: null, expiresAt: null, live: false },
    ];
    for (const { live: _live, ...data } of cases) await db.contentPiece.create({ data: { ...base, ...data } });
    const stored = await db.contentPiece.findMany({ where: { workspaceId: workspace.id, ...liveAt(t) }, select: { title: true } });
    const expected = cases.filter((c) => c.live).map((c) => c.title);
    expect(stored.map((p) => p.title).sort()).toEqual([...expected].sort());
    // The in-memory twin gives the same answer for every case.
    for (const c of cases) expect(isLiveAt(c, t)).toBe(c.live);
  });

  it('isLive(at) answers for any instant', async () => {
    const publishAt = '2026-01-01T00:00:00.000Z';
    const created = await create(ws.EDITOR, { title: 'Windowed', status: 'SCHEDULED', publishAt, expiresAt: '2026-02-01T00:00:00.000Z' });
    const id = created.contentPiece.id;
    await app.gql(ws.EDITOR, SET_STATUS, { id, status: 'PUBLISHED' });
    const res = await app.gql(ws.EDITOR, `query ($id: ID!) { node(id: $id) { ... on ContentPiece {
      before: isLive(at: "2025-12-31T23:59:59Z") atStart: isLive(at: "${publishAt}") atEnd: isLive(at: "2026-02-01T00:00:00Z") now: isLive } } }`, { id });
    expect(res.data?.node).toEqual({ before: false, atStart: true, atEnd: false, now: false });
    await app.gql(ws.EDITOR, DELETE, { id });
  });
});

describe('createContentPiece', () => {
  it('an editor creates a piece with defaults IDEA and priority 50, targeted by keys', async () => {
    const res = await create(ws.EDITOR, {
      summary: 'An intro',
      url: 'https://example.com/why',
      externalId: 'cms-1',
      segments: ['consumers'],
      channels: ['website', 'email'],
      phases: [consumerPhase, { journey: 'b2c', phase: 'retention' }],
      touchpoints: [touchpointId],
      needType: 'FUNCTIONAL',
    });
    expect(res.userErrors).toEqual([]);
    expect(res.contentPiece).toMatchObject({
      title: 'Why plan content',
      status: 'IDEA',
      priority: 50,
      locale: 'nl-NL',
      url: 'https://example.com/why',
      externalId: 'cms-1',
      needType: 'FUNCTIONAL',
      isGeneric: false,
      phases: [{ key: 'awareness' }, { key: 'retention' }],
      channels: [{ key: 'email' }, { key: 'website' }],
      segments: [{ key: 'consumers' }],
    });
    const tp = await app.gql(ws.EDITOR, 'query ($id: ID!) { node(id: $id) { ... on ContentPiece { touchpoints { name } } } }', { id: res.contentPiece.id });
    expect(tp.data?.node.touchpoints).toEqual([{ name: 'Home page' }]);
    await app.gql(ws.EDITOR, DELETE, { id: res.contentPiece.id });
  });

  it('a piece without segments is generic, and duplicate references collapse', async () => {
    const res = await create(ws.EDITOR, { channels: ['website', 'website'], phases: [consumerPhase, consumerPhase] });
    expect(res.contentPiece).toMatchObject({ isGeneric: true, segments: [], channels: [{ key: 'website' }], phases: [{ key: 'awareness' }] });
    await app.gql(ws.EDITOR, DELETE, { id: res.contentPiece.id });
  });

  it('refuses out-of-range and malformed values, naming every field, and writes nothing', async () => {
    const before = await pieceCount(ws.workspaceId);
    const res = await create(ws.EDITOR, {
      title: ' ',
      priority: 101,
      url: 'ftp://example.com/file',
      publishAt: '2026-03-01T00:00:00Z',
      expiresAt: '2026-03-01T00:00:00Z',
      phases: [],
      channels: [],
    });
    const fields = res.userErrors.map((e: { field: string[] }) => e.field.join('.'));
    expect(fields).toEqual(expect.arrayContaining(['input.title', 'input.priority', 'input.url', 'input.expiresAt', 'input.phases', 'input.channels']));
    expect(res.userErrors.every((e: { code: string }) => e.code === 'INVALID')).toBe(true);
    expect(res.contentPiece).toBeNull();
    expect(await pieceCount(ws.workspaceId)).toBe(before);
  });

  it('refuses a string that is not a URL at all as INVALID on input.url', async () => {
    const res = await create(ws.EDITOR, { url: 'not a url' });
    expect(res.userErrors).toEqual([{ field: ['input', 'url'], code: 'INVALID', message: expect.stringContaining('URL') }]);
  });

  it('a SCHEDULED piece needs a publishAt', async () => {
    const res = await create(ws.EDITOR, { status: 'SCHEDULED' });
    expect(res.userErrors).toEqual([{ field: ['input', 'publishAt'], code: 'INVALID', message: expect.stringContaining('publishAt') }]);
  });

  it('refuses unknown phases, channels, segments and touchpoints with NOT_FOUND at their list index', async () => {
    const before = await pieceCount(ws.workspaceId);
    const res = await create(ws.EDITOR, {
      phases: [consumerPhase, { journey: 'b2c', phase: 'nope' }],
      channels: ['website', 'fax'],
      segments: ['ghosts'],
      touchpoints: ['not-an-id', encodeGlobalID('Touchpoint', 'missing')],
    });
    expect(res.userErrors.map((e: { field: string[]; code: string }) => [e.field.join('.'), e.code])).toEqual([
      ['input.phases.1', 'NOT_FOUND'],
      ['input.channels.1', 'NOT_FOUND'],
      ['input.segments.0', 'NOT_FOUND'],
      ['input.touchpoints.0', 'NOT_FOUND'],
      ['input.touchpoints.1', 'NOT_FOUND'],
    ]);
    expect(res.userErrors[1].message).toContain('fax');
    expect(await pieceCount(ws.workspaceId)).toBe(before);
  });

  it('refuses a segment whose journey contains none of the piece\'s phases (INVALID)', async () => {
    const res = await create(ws.EDITOR, { segments: ['consumers', 'business'] });
    expect(res.userErrors).toEqual([{ field: ['input', 'segments', '1'], code: 'INVALID', message: expect.stringContaining('business') }]);
  });

  it('refuses a duplicate externalId with CONFLICT on input.externalId', async () => {
    const first = await create(ws.EDITOR, { externalId: 'dup-1' });
    expect(first.userErrors).toEqual([]);
    const again = await create(ws.EDITOR, { externalId: 'dup-1', title: 'Second' });
    expect(again.userErrors).toEqual([{ field: ['input', 'externalId'], code: 'CONFLICT', message: expect.stringContaining('dup-1') }]);
    expect(await app.database.prisma.contentPiece.count({ where: { title: 'Second' } })).toBe(0);
    await app.gql(ws.EDITOR, DELETE, { id: first.contentPiece.id });
  });

  it('a DELIVERY key may not write content', async () => {
    const res = await app.gql(ws.DELIVERY, CREATE, { input: baseInput() });
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('updateContentPiece', () => {
  it('changes the given fields, replaces a given targeting list and keeps the others', async () => {
    const created = await create(ws.EDITOR, { summary: 'Old', segments: ['consumers'], channels: ['website', 'email'], externalId: 'upd-1' });
    const id = created.contentPiece.id;
    const res = await app.gql(ws.EDITOR, UPDATE, { input: { id, title: 'New title', summary: null, segments: [], priority: 90 } });
    expect(res.data?.updateContentPiece.userErrors).toEqual([]);
    expect(res.data?.updateContentPiece.contentPiece).toMatchObject({
      title: 'New title',
      summary: null,
      priority: 90,
      isGeneric: true,
      segments: [],
      channels: [{ key: 'email' }, { key: 'website' }],
      externalId: 'upd-1',
      status: 'IDEA',
    });
    await app.gql(ws.EDITOR, DELETE, { id });
  });

  it('has no status field: the workflow goes through setContentStatus', async () => {
    const created = await create(ws.EDITOR);
    const res = await app.gql(ws.EDITOR, UPDATE, { input: { id: created.contentPiece.id, status: 'PUBLISHED' } });
    expect(res.errors?.[0]?.message).toContain('status');
    await app.gql(ws.EDITOR, DELETE, { id: created.contentPiece.id });
  });

  it('checks the window against stored dates, the segment rule against stored segments, and writes nothing on refusal', async () => {
    const created = await create(ws.EDITOR, { publishAt: '2026-04-01T00:00:00Z', segments: ['consumers'] });
    const id = created.contentPiece.id;
    const window = await app.gql(ws.EDITOR, UPDATE, { input: { id, expiresAt: '2026-03-01T00:00:00Z', title: 'Changed' } });
    expect(window.data?.updateContentPiece.userErrors).toEqual([{ field: ['input', 'expiresAt'], code: 'INVALID', message: 'must be after publishAt' }]);
    const phases = await app.gql(ws.EDITOR, UPDATE, { input: { id, phases: [{ journey: 'b2b', phase: 'awareness' }], title: 'Changed' } });
    expect(phases.data?.updateContentPiece.userErrors).toEqual([{ field: ['input', 'phases'], code: 'INVALID', message: expect.stringContaining('consumers') }]);
    const unknown = await app.gql(ws.EDITOR, UPDATE, { input: { id, channels: ['email', 'pigeon'], title: 'Changed' } });
    expect(unknown.data?.updateContentPiece.userErrors).toEqual([{ field: ['input', 'channels', '1'], code: 'NOT_FOUND', message: expect.stringContaining('pigeon') }]);
    const stored = await app.database.prisma.contentPiece.findFirstOrThrow({ where: { workspaceId: ws.workspaceId, title: 'Why plan content', expiresAt: null }, include: { phases: true, channels: true } });
    expect(stored.phases).toHaveLength(1);
    expect(stored.channels).toHaveLength(1);
    // Moving phases and segments together is fine.
    const both = await app.gql(ws.EDITOR, UPDATE, { input: { id, phases: [{ journey: 'b2b', phase: 'awareness' }], segments: ['business'] } });
    expect(both.data?.updateContentPiece.userErrors).toEqual([]);
    await app.gql(ws.EDITOR, DELETE, { id });
  });

  it('refuses clearing the publishAt of a SCHEDULED piece', async () => {
    const created = await create(ws.EDITOR, { status: 'SCHEDULED', publishAt: '2026-09-01T00:00:00Z' });
    const res = await app.gql(ws.EDITOR, UPDATE, { input: { id: created.contentPiece.id, publishAt: null } });
    expect(res.data?.updateContentPiece.userErrors).toEqual([{ field: ['input', 'publishAt'], code: 'INVALID', message: expect.stringContaining('SCHEDULED') }]);
    await app.gql(ws.EDITOR, DELETE, { id: created.contentPiece.id });
  });

  it('refuses taking another piece\'s externalId', async () => {
    const a = await create(ws.EDITOR, { externalId: 'ext-a' });
    const b = await create(ws.EDITOR, { externalId: 'ext-b' });
    const res = await app.gql(ws.EDITOR, UPDATE, { input: { id: b.contentPiece.id, externalId: 'ext-a' } });
    expect(res.data?.updateContentPiece.userErrors).toEqual([{ field: ['input', 'externalId'], code: 'CONFLICT', message: expect.stringContaining('ext-a') }]);
    await app.gql(ws.EDITOR, DELETE, { id: a.contentPiece.id });
    await app.gql(ws.EDITOR, DELETE, { id: b.contentPiece.id });
  });
});

describe('setContentStatus', () => {
  it('walks the workflow IDEA → DRAFT → IN_REVIEW → SCHEDULED → PUBLISHED → ARCHIVED → DRAFT', async () => {
    const created = await create(ws.EDITOR, { publishAt: '2026-06-01T08:00:00Z' });
    const id = created.contentPiece.id;
    for (const status of ['DRAFT', 'IN_REVIEW', 'SCHEDULED', 'PUBLISHED', 'ARCHIVED', 'DRAFT']) {
      const res = await app.gql(ws.EDITOR, SET_STATUS, { id, status });
      expect(res.data?.setContentStatus).toEqual({ contentPiece: { status, publishAt: '2026-06-01T08:00:00.000Z' }, userErrors: [] });
    }
    await app.gql(ws.EDITOR, DELETE, { id });
  });

  it('setting the current status again is accepted and changes nothing', async () => {
    const created = await create(ws.EDITOR);
    const id = created.contentPiece.id;
    const before = await app.database.prisma.contentPiece.findUniqueOrThrow({ where: { id: await dbId(id) } });
    const res = await app.gql(ws.EDITOR, SET_STATUS, { id, status: 'IDEA' });
    expect(res.data?.setContentStatus).toEqual({ contentPiece: { status: 'IDEA', publishAt: null }, userErrors: [] });
    expect(await app.database.prisma.contentPiece.findUniqueOrThrow({ where: { id: before.id } })).toEqual(before);
    await app.gql(ws.EDITOR, DELETE, { id });
  });

  it('refuses moves outside the workflow with INVALID_TRANSITION naming both statuses', async () => {
    const created = await create(ws.EDITOR);
    const id = created.contentPiece.id;
    for (const status of ['PUBLISHED', 'SCHEDULED', 'IN_REVIEW']) {
      const res = await app.gql(ws.EDITOR, SET_STATUS, { id, status });
      expect(res.data?.setContentStatus.userErrors).toEqual([{ field: ['input', 'status'], code: 'INVALID_TRANSITION', message: expect.stringContaining(`from IDEA to ${status}`) }]);
    }
    expect((await app.database.prisma.contentPiece.findFirstOrThrow({ where: { id: await dbId(id) } })).status).toBe('IDEA');
    await app.gql(ws.EDITOR, DELETE, { id });
  });

  it('refuses SCHEDULED without a publishAt, publishes with publishAt stamped, and allows any status to be archived', async () => {
    const created = await create(ws.EDITOR, { status: 'IN_REVIEW' });
    const id = created.contentPiece.id;
    const scheduled = await app.gql(ws.EDITOR, SET_STATUS, { id, status: 'SCHEDULED' });
    expect(scheduled.data?.setContentStatus.userErrors).toEqual([
      { field: ['input', 'status'], code: 'INVALID_TRANSITION', message: expect.stringContaining('without a publishAt') },
    ]);
    const published = await app.gql(ws.EDITOR, SET_STATUS, { id, status: 'PUBLISHED' });
    expect(published.data?.setContentStatus.contentPiece.status).toBe('PUBLISHED');
    expect(Math.abs(Date.parse(published.data?.setContentStatus.contentPiece.publishAt) - Date.now())).toBeLessThan(60_000);
    const back = await app.gql(ws.EDITOR, SET_STATUS, { id, status: 'DRAFT' });
    expect(back.data?.setContentStatus.userErrors[0]).toMatchObject({ code: 'INVALID_TRANSITION', message: expect.stringContaining('from PUBLISHED to DRAFT') });
    const idea = await create(ws.EDITOR);
    for (const piece of [id, idea.contentPiece.id]) {
      const archived = await app.gql(ws.EDITOR, SET_STATUS, { id: piece, status: 'ARCHIVED' });
      expect(archived.data?.setContentStatus.userErrors).toEqual([]);
      await app.gql(ws.EDITOR, DELETE, { id: piece });
    }
  });
});

describe('deleteContentPiece', () => {
  it('deletes a piece and its targeting; an unknown id is NOT_FOUND', async () => {
    const created = await create(ws.EDITOR, { segments: ['consumers'] });
    const id = created.contentPiece.id;
    const res = await app.gql(ws.EDITOR, DELETE, { id });
    expect(res.data?.deleteContentPiece).toEqual({ deletedId: id, userErrors: [] });
    expect(await app.database.prisma.contentSegment.count({ where: { pieceId: await dbId(id) } })).toBe(0);
    const again = await app.gql(ws.EDITOR, DELETE, { id });
    expect(again.data?.deleteContentPiece).toEqual({ deletedId: null, userErrors: [{ field: ['input', 'id'], code: 'NOT_FOUND', message: expect.any(String) }] });
  });
});

describe('reading content', () => {
  let draftId: string;
  let liveId: string;

  beforeAll(async () => {
    const db = app.database.prisma;
    await db.contentPiece.deleteMany({ where: { workspaceId: ws.workspaceId } });
    const now = Date.now();
    const specs = [
      { title: 'Alpha', status: 'PUBLISHED', priority: 10, publishAt: new Date(now - 5 * HOUR), format: 'BLOG_POST', locale: 'nl-NL', segments: ['consumers'], channels: ['website'] },
      { title: 'Bravo guide', status: 'PUBLISHED', priority: 80, publishAt: null, format: 'FAQ', locale: 'en', segments: [], channels: ['email'] },
      { title: 'Charlie', status: 'DRAFT', priority: 80, publishAt: new Date(now + 5 * HOUR), format: 'BLOG_POST', locale: 'nl-NL', segments: ['consumers'], channels: ['website'], externalId: 'draft-1' },
      { title: 'Delta', status: 'PUBLISHED', priority: 50, publishAt: new Date(now - 2 * HOUR), expiresAt: new Date(now - HOUR), format: 'VIDEO', locale: 'nl-NL', segments: [], channels: ['website'] },
      { title: 'Echo GUIDE', status: 'SCHEDULED', priority: 50, publishAt: new Date(now + HOUR), format: 'FAQ', locale: 'nl-NL', segments: [], channels: ['website'] },
      { title: 'Foxtrot', status: 'PUBLISHED', priority: 30, publishAt: null, format: 'BLOG_POST', locale: 'nl-NL', segments: [], channels: ['website'], externalId: 'live-1', b2b: true },
      { title: 'Golf', status: 'IDEA', priority: 30, publishAt: null, format: 'OFFER', locale: 'nl-NL', segments: ['consumers'], channels: ['email'], retention: true },
    ] as const;
    for (const spec of specs) {
      const phase = await db.phase.findFirstOrThrow({
        where: { workspaceId: ws.workspaceId, key: 'retention' in spec ? 'retention' : 'awareness', journey: { key: 'b2b' in spec ? 'b2b' : 'b2c' } },
      });
      const piece = await db.contentPiece.create({
        data: {
          workspaceId: ws.workspaceId,
          title: spec.title,
          status: spec.status,
          priority: spec.priority,
          publishAt: spec.publishAt,
          expiresAt: 'expiresAt' in spec ? spec.expiresAt : null,
          format: spec.format,
          locale: spec.locale,
          externalId: 'externalId' in spec ? spec.externalId : null,
          phases: { create: [{ phaseId: phase.id }] },
          channels: { create: await Promise.all(spec.channels.map(async (key) => ({ channelId: (await db.channel.findFirstOrThrow({ where: { workspaceId: ws.workspaceId, key } })).id }))) },
          segments: { create: await Promise.all(spec.segments.map(async (key) => ({ segmentId: (await db.segment.findFirstOrThrow({ where: { workspaceId: ws.workspaceId, key } })).id }))) },
        },
      });
      if (spec.title === 'Charlie') draftId = encodeGlobalID('ContentPiece', piece.id);
      if (spec.title === 'Alpha') liveId = encodeGlobalID('ContentPiece', piece.id);
    }
  });

  async function titles(key: string, variables: Record<string, unknown>) {
    const res = await app.gql(key, LIST, { first: 50, ...variables });
    expect(res.errors).toBeUndefined();
    return (res.data?.contentPieces.edges as { node: { title: string } }[]).map((e) => e.node.title);
  }

  it('an editor sees every piece; a DELIVERY key only the ones live now', async () => {
    expect((await titles(ws.EDITOR, { orderBy: 'TITLE_ASC' })).length).toBe(7);
    const res = await app.gql(ws.DELIVERY, LIST, { orderBy: 'TITLE_ASC', first: 50 });
    expect(res.data?.contentPieces.totalCount).toBe(3);
    expect(res.data?.contentPieces.edges.map((e: { node: { title: string } }) => e.node.title).sort()).toEqual(['Alpha', 'Bravo guide', 'Foxtrot']);
  });

  it('a DELIVERY key cannot read a draft through node(id), nodes or its externalId', async () => {
    const editor = await app.gql(ws.EDITOR, 'query ($id: ID!) { node(id: $id) { ... on ContentPiece { title } } contentPiece(externalId: "draft-1") { title } }', { id: draftId });
    expect(editor.data).toEqual({ node: { title: 'Charlie' }, contentPiece: { title: 'Charlie' } });
    const delivery = await app.gql(ws.DELIVERY, 'query ($id: ID!, $live: ID!) { node(id: $id) { id } nodes(ids: [$id]) { id } liveNode: node(id: $live) { id } contentPiece(externalId: "draft-1") { title } live: contentPiece(externalId: "live-1") { title } }', { id: draftId, live: liveId });
    expect(delivery.data).toEqual({ node: null, nodes: [null], liveNode: { id: liveId }, contentPiece: null, live: { title: 'Foxtrot' } });
  });

  it('filters by segment, optionally with generic pieces of its journey', async () => {
    expect((await titles(ws.EDITOR, { filter: { segment: 'consumers' }, orderBy: 'TITLE_ASC' }))).toEqual(['Alpha', 'Charlie', 'Golf']);
    // Foxtrot is generic but sits in the b2b journey, so it is not for consumers.
    expect(await titles(ws.EDITOR, { filter: { segment: 'consumers', includeGeneric: true }, orderBy: 'TITLE_ASC' })).toEqual(['Alpha', 'Bravo guide', 'Charlie', 'Delta', 'Echo GUIDE', 'Golf']);
    expect(await titles(ws.EDITOR, { filter: { segment: 'business', includeGeneric: true } })).toEqual(['Foxtrot']);
  });

  it('filters by phase, scope, channel, statuses, formats, locale, search and externalId', async () => {
    expect(await titles(ws.EDITOR, { filter: { phase: { journey: 'b2b', phase: 'awareness' } } })).toEqual(['Foxtrot']);
    expect(await titles(ws.EDITOR, { filter: { scope: 'STAY' } })).toEqual(['Golf']);
    expect((await titles(ws.EDITOR, { filter: { channel: 'email' }, orderBy: 'TITLE_ASC' }))).toEqual(['Bravo guide', 'Golf']);
    expect(await titles(ws.EDITOR, { filter: { statuses: ['DRAFT', 'SCHEDULED'] }, orderBy: 'TITLE_ASC' })).toEqual(['Charlie', 'Echo GUIDE']);
    expect(await titles(ws.EDITOR, { filter: { formats: ['FAQ'], locale: 'en' } })).toEqual(['Bravo guide']);
    expect(await titles(ws.EDITOR, { filter: { search: 'gUiDe' }, orderBy: 'TITLE_ASC' })).toEqual(['Bravo guide', 'Echo GUIDE']);
    expect(await titles(ws.EDITOR, { filter: { externalId: 'draft-1' } })).toEqual(['Charlie']);
    expect(await titles(ws.DELIVERY, { filter: { search: 'guide' } })).toEqual(['Bravo guide']);
  });

  it('an unknown key in the filter is a BAD_USER_INPUT error naming it, not an empty list', async () => {
    for (const [filter, argument] of [
      [{ segment: 'nobody' }, 'filter.segment'],
      [{ channel: 'fax' }, 'filter.channel'],
      [{ phase: { journey: 'b2c', phase: 'nope' } }, 'filter.phase'],
    ] as const) {
      const res = await app.gql(ws.EDITOR, LIST, { filter });
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
    }
  });

  it('orders as asked, with id as tiebreaker, and pages without overlap or gaps', async () => {
    const all = await app.database.prisma.contentPiece.findMany({ where: { workspaceId: ws.workspaceId } });
    const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    const time = (d: Date | null, nulls: number) => (d ? d.getTime() : nulls);
    const expected: Record<string, string[]> = {
      PRIORITY_DESC: [...all].sort((a, b) => b.priority - a.priority || byId(a, b)).map((p) => p.title),
      PUBLISH_AT_ASC: [...all].sort((a, b) => time(a.publishAt, Infinity) - time(b.publishAt, Infinity) || byId(a, b)).map((p) => p.title),
      PUBLISH_AT_DESC: [...all].sort((a, b) => time(b.publishAt, -Infinity) - time(a.publishAt, -Infinity) || byId(a, b)).map((p) => p.title),
      UPDATED_AT_DESC: [...all].sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime() || byId(a, b)).map((p) => p.title),
    };
    for (const [orderBy, order] of Object.entries(expected)) {
      const seen: string[] = [];
      let after: string | null = null;
      for (let page = 0; page < 10; page++) {
        const res: GraphQLResponse = await app.gql(ws.EDITOR, LIST, { orderBy, first: 2, after });
        seen.push(...res.data?.contentPieces.edges.map((e: { node: { title: string } }) => e.node.title));
        if (!res.data?.contentPieces.pageInfo.hasNextPage) break;
        after = res.data.contentPieces.pageInfo.endCursor;
      }
      expect(seen, orderBy).toEqual(order);
    }
    const firstByTitle = await titles(ws.EDITOR, { orderBy: 'TITLE_ASC', first: 1 });
    expect(firstByTitle).toEqual(['Alpha']);
  });
});

describe('isolation between workspaces', () => {
  it('another workspace neither sees nor changes the pieces, and has its own externalId space', async () => {
    const mine = await create(ws.EDITOR, { externalId: 'shared-ext', title: 'Mine' });
    const id = mine.contentPiece.id;
    const list = await app.gql(other.EDITOR, '{ contentPieces { totalCount } contentPiece(externalId: "shared-ext") { id } }');
    expect(list.data).toEqual({ contentPieces: { totalCount: 0 }, contentPiece: null });
    const node = await app.gql(other.EDITOR, 'query ($id: ID!) { node(id: $id) { id } }', { id });
    expect(node.data?.node).toBeNull();
    for (const [query, variables] of [
      [UPDATE, { input: { id, title: 'Hacked' } }],
      [SET_STATUS, { id, status: 'DRAFT' }],
      [DELETE, { id }],
    ] as const) {
      const res = await app.gql(other.EDITOR, query, variables);
      const payload = Object.values(res.data ?? {})[0] as { userErrors: { field: string[]; code: string }[] };
      expect(payload.userErrors).toEqual([{ field: ['input', 'id'], code: 'NOT_FOUND', message: expect.any(String) }]);
    }
    // My touchpoint's id means nothing in the other workspace.
    const theirs = await create(other.EDITOR, { externalId: 'shared-ext', title: 'Theirs', touchpoints: [touchpointId] });
    expect(theirs.userErrors).toEqual([{ field: ['input', 'touchpoints', '0'], code: 'NOT_FOUND', message: expect.any(String) }]);
    const same = await create(other.EDITOR, { externalId: 'shared-ext', title: 'Theirs' });
    expect(same.userErrors).toEqual([]);
    const stored = await app.database.prisma.contentPiece.findFirstOrThrow({ where: { id: await dbId(id) } });
    expect(stored).toMatchObject({ title: 'Mine', status: 'IDEA', workspaceId: ws.workspaceId });
  });
});

async function dbId(globalId: string): Promise<string> {
  const { decodeGlobalID } = await import('@pothos/plugin-relay');
  return decodeGlobalID(globalId).id;
}

describe('search', () => {
  let keys: WorkspaceKeys;
  const TITLES = ['50% off', '500 off', 'a_b', 'axb', 'back\\slash', 'backslash', 'Percent %', 'Under_score'];

  beforeAll(async () => {
    keys = await app.workspace('Search');
    const db = app.database.prisma;
    for (const title of TITLES) await db.contentPiece.create({ data: { workspaceId: keys.workspaceId, title, format: 'ARTICLE', status: 'PUBLISHED', locale: 'en' } });
  });

  async function search(term: string, key = keys.EDITOR) {
    const res = await app.gql(key, LIST, { filter: { search: term }, orderBy: 'TITLE_ASC', first: 50 });
    expect(res.errors).toBeUndefined();
    return (res.data?.contentPieces.edges as { node: { title: string } }[]).map((e) => e.node.title);
  }

  it('matches its text literally: %, _ and \\ are ordinary characters', async () => {
    expect(await search('%')).toEqual(['50% off', 'Percent %']);
    expect(await search('50%')).toEqual(['50% off']);
    expect(await search('_')).toEqual(['Under_score', 'a_b']);
    expect(await search('a_b')).toEqual(['a_b']);
    expect(await search('\\')).toEqual(['back\\slash']);
    expect(await search('\\%')).toEqual([]);
    expect(await search('%%')).toEqual([]);
  });

  it('still ignores case, for DELIVERY keys too', async () => {
    expect(await search('PERCENT %', keys.DELIVERY)).toEqual(['Percent %']);
    expect(await search('UNDER_S')).toEqual(['Under_score']);
    expect(await search('OFF')).toEqual(['50% off', '500 off']);
  });

  it('a term with wildcard characters costs the same statements as one without', async () => {
    await search('off');
    const plain = await app.countStatements(() => search('off'));
    const wild = await app.countStatements(() => search('5_%\\'));
    expect(wild).toBe(plain);
  });

  it('a term over 200 characters (the longest title) is BAD_USER_INPUT naming filter.search, before any lookup', async () => {
    expect((await search('x'.repeat(200))).length).toBe(0);
    for (const term of ['x'.repeat(201), 'x'.repeat(60_000)]) {
      const res = await app.gql(keys.EDITOR, LIST, { filter: { search: term, segment: 'nobody' } });
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'filter.search' });
      // The longest terms meet the server's backstop for every query argument first.
      expect(res.errors?.[0]?.message).toMatch(term.length > 10_000 ? /at most 10000 characters/ : /at most 200 characters/);
      expect(res.errors?.[0]?.message.length).toBeLessThan(300);
    }
  });
});

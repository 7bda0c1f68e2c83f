import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type WorkspaceKeys } from './support/app.js';

const IMPORT = /* GraphQL */ `
  mutation ($input: ImportContentInput!) {
    importContent(input: $input) {
      created updated unchanged
      pieces { externalId title status summary segments { key } channels { key } updatedAt }
      userErrors { field code message }
    }
  }
`;

let app: TestApp;
let ws: WorkspaceKeys;
let other: WorkspaceKeys;

/** A b2c journey (awareness, retention), segments consumers and students, channels website and email. */
async function seedWorkspace(workspaceId: string) {
  const db = app.database.prisma;
  const journey = await db.journeyModel.create({ data: { workspaceId, key: 'b2c', name: 'B2C' } });
  await db.phase.create({ data: { workspaceId, journeyId: journey.id, key: 'awareness', name: 'Awareness', position: 0, archetype: 'AWARENESS', scope: 'BECOME' } });
  await db.phase.create({ data: { workspaceId, journeyId: journey.id, key: 'retention', name: 'Retention', position: 1, archetype: 'RETENTION', scope: 'STAY' } });
  for (const key of ['consumers', 'students']) await db.segment.create({ data: { workspaceId, journeyId: journey.id, key, name: key, market: 'B2C' } });
  for (const key of ['website', 'email']) await db.channel.create({ data: { workspaceId, key, name: key, kind: 'WEBSITE' } });
}

function row(externalId: string, overrides: Record<string, unknown> = {}) {
  return {
    externalId,
    title: `Piece ${externalId}`,
    summary: 'From the CMS',
    format: 'ARTICLE',
    status: 'PUBLISHED',
    locale: 'nl-NL',
    url: `https://cms.example.com/${externalId}`,
    publishAt: '2026-01-01T00:00:00.000Z',
    phases: [{ journey: 'b2c', phase: 'awareness' }],
    channels: ['website'],
    segments: ['consumers'],
    ...overrides,
  };
}

const rows = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => row(`${prefix}-${i}`));

async function importPieces(key: string, pieces: unknown[]) {
  const res = await app.gql(key, IMPORT, { input: { pieces } });
  expect(res.errors).toBeUndefined();
  return res.data?.importContent;
}

async function count(workspaceId: string) {
  return app.database.prisma.contentPiece.count({ where: { workspaceId } });
}

beforeAll(async () => {
  app = await startTestApp();
  ws = await app.workspace();
  other = await app.workspace('Other');
  await seedWorkspace(ws.workspaceId);
  await seedWorkspace(other.workspaceId);
});
afterAll(() => app.close());

describe('importContent', () => {
  it('creates new pieces, then reports an identical second call as unchanged without touching updatedAt', async () => {
    const pieces = [row('a', { segments: [] }), row('b', { status: 'DRAFT', channels: ['website', 'email', 'website'] }), row('c')];
    const first = await importPieces(ws.EDITOR, pieces);
    expect(first).toMatchObject({ created: 3, updated: 0, unchanged: 0, userErrors: [] });
    expect(first.pieces.map((p: { externalId: string }) => p.externalId)).toEqual(['a', 'b', 'c']);
    expect(first.pieces[1]).toMatchObject({ status: 'DRAFT', channels: [{ key: 'email' }, { key: 'website' }] });
    const second = await importPieces(ws.EDITOR, pieces);
    expect(second).toMatchObject({ created: 0, updated: 0, unchanged: 3, userErrors: [] });
    expect(second.pieces.map((p: { updatedAt: string }) => p.updatedAt)).toEqual(first.pieces.map((p: { updatedAt: string }) => p.updatedAt));
  });

  it('updates changed rows only: fields, status without workflow rules, targeting, and omitted fields cleared', async () => {
    const res = await importPieces(ws.EDITOR, [
      row('a', { segments: [] }),
      row('b', { status: 'IDEA', channels: ['website', 'email'] }), // DRAFT → IDEA: the CMS decides
      row('c', { segments: ['students'], summary: undefined }),
      row('d'),
    ]);
    expect(res).toMatchObject({ created: 1, updated: 2, unchanged: 1, userErrors: [] });
    expect(res.pieces.map((p: { externalId: string }) => p.externalId)).toEqual(['a', 'b', 'c', 'd']);
    expect(res.pieces[1].status).toBe('IDEA');
    expect(res.pieces[2]).toMatchObject({ summary: null, segments: [{ key: 'students' }] });
    expect(await count(ws.workspaceId)).toBe(4);
  });

  it('is all or nothing: one call with several bad rows writes nothing and reports every bad row by index', async () => {
    const before = await app.database.prisma.contentPiece.findMany({ where: { workspaceId: ws.workspaceId }, orderBy: { id: 'asc' } });
    const pieces = rows('batch', 10);
    pieces[0] = row('a', { title: 'Would change' });
    pieces[2] = row('batch-2', { channels: ['website', 'fax'] });
    pieces[5] = row('batch-5', { priority: 200, url: 'mailto:someone@example.com' });
    pieces[7] = row('batch-1');
    pieces[8] = row('batch-8', { segments: ['ghosts'], phases: [{ journey: 'b2c', phase: 'nope' }] });
    pieces[9] = row('batch-9', { publishAt: '2026-02-01T00:00:00Z', expiresAt: '2026-01-01T00:00:00Z' });
    const res = await importPieces(ws.EDITOR, pieces);
    expect(res).toMatchObject({ created: 0, updated: 0, unchanged: 0, pieces: [] });
    expect(res.userErrors.map((e: { field: string[]; code: string }) => `${e.field.join('.')} ${e.code}`).sort()).toEqual(
      [
        'input.pieces.2.channels.1 NOT_FOUND',
        'input.pieces.5.priority INVALID',
        'input.pieces.5.url INVALID',
        'input.pieces.7.externalId INVALID',
        'input.pieces.8.phases.0 NOT_FOUND',
        'input.pieces.8.segments.0 NOT_FOUND',
        'input.pieces.9.expiresAt INVALID',
      ].sort(),
    );
    expect(res.userErrors.find((e: { field: string[] }) => e.field[2] === '7').message).toContain('row 1');
    expect(await app.database.prisma.contentPiece.findMany({ where: { workspaceId: ws.workspaceId }, orderBy: { id: 'asc' } })).toEqual(before);
  });

  it('refuses a segment whose journey holds none of the row\'s phases', async () => {
    const db = app.database.prisma;
    const journey = await db.journeyModel.create({ data: { workspaceId: ws.workspaceId, key: 'b2b', name: 'B2B' } });
    await db.segment.create({ data: { workspaceId: ws.workspaceId, journeyId: journey.id, key: 'business', name: 'Business', market: 'B2B' } });
    const res = await importPieces(ws.EDITOR, [row('x', { segments: ['consumers', 'business'] })]);
    expect(res.userErrors).toEqual([{ field: ['input', 'pieces', '0', 'segments', '1'], code: 'INVALID', message: expect.stringContaining('business') }]);
  });

  it('refuses more than 1,000 rows with TOO_MANY on input.pieces', async () => {
    const res = await importPieces(ws.EDITOR, rows('many', 1001));
    expect(res.userErrors).toEqual([{ field: ['input', 'pieces'], code: 'TOO_MANY', message: expect.stringContaining('1000') }]);
    expect(await count(ws.workspaceId)).toBe(4);
  });

  it('accepts the full 1,000 rows in one call', async () => {
    const db = app.database.prisma;
    const workspace = await app.workspace('Big import');
    await seedWorkspace(workspace.workspaceId);
    const res = await importPieces(workspace.EDITOR, rows('max', 1000));
    expect(res).toMatchObject({ created: 1000, updated: 0, unchanged: 0, userErrors: [] });
    expect(await db.contentSegment.count({ where: { piece: { workspaceId: workspace.workspaceId } } })).toBe(1000);
  });

  it('a DELIVERY key may not import', async () => {
    const res = await app.gql(ws.DELIVERY, IMPORT, { input: { pieces: [row('z')] } });
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('each workspace has its own externalId space: an import never touches another workspace\'s pieces', async () => {
    const mine = await app.database.prisma.contentPiece.findFirstOrThrow({ where: { workspaceId: ws.workspaceId, externalId: 'a' } });
    const res = await importPieces(other.EDITOR, [row('a', { title: 'Theirs' })]);
    expect(res).toMatchObject({ created: 1, updated: 0, unchanged: 0, userErrors: [] });
    expect(await app.database.prisma.contentPiece.findFirstOrThrow({ where: { id: mine.id } })).toEqual(mine);
    // Keys resolve in the caller's workspace only: "business" exists only in the first one.
    const keys = await importPieces(other.EDITOR, [row('b', { segments: ['business'] })]);
    expect(keys.userErrors).toEqual([{ field: ['input', 'pieces', '0', 'segments', '0'], code: 'NOT_FOUND', message: expect.any(String) }]);
  });

  it('looks keys and existing pieces up once per call, not once per row', async () => {
    const small = await app.countStatements(() => importPieces(ws.EDITOR, rows('s', 20)));
    const large = await app.countStatements(() => importPieces(ws.EDITOR, rows('l', 200)));
    expect(await count(ws.workspaceId)).toBe(4 + 220);
    // Creating is batched too, so ten times the rows costs (almost) no extra statements.
    expect(large - small).toBeLessThanOrEqual(4);
    // 29 before webhooks, plus the outbox's one INSERT of every row's events in the same transaction.
    expect(large).toBeLessThanOrEqual(30);
    const smallAgain = await app.countStatements(() => importPieces(ws.EDITOR, rows('s', 20)));
    const largeAgain = await app.countStatements(() => importPieces(ws.EDITOR, rows('l', 200)));
    expect(largeAgain).toBe(smallAgain);
    // Updates write one row each; everything else stays constant.
    const changed = (prefix: string, n: number) => rows(prefix, n).map((r) => ({ ...r, title: `${r.title} v2` }));
    const smallUpdate = await app.countStatements(() => importPieces(ws.EDITOR, changed('s', 20)));
    const largeUpdate = await app.countStatements(() => importPieces(ws.EDITOR, changed('l', 200)));
    expect(largeUpdate - smallUpdate).toBeLessThanOrEqual(180 + 4);
  });
});

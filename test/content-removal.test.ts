import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from '../src/server.js';
import { startTestApp, type TestApp, type WorkspaceKeys } from './support/app.js';
import { expectKeptCellsTrue } from './support/cells.js';
import { Fixture } from './support/fixtures.js';

/**
 * A CMS mirrors what it deleted or archived by its own ids: deleteContent
 * and archiveContent, all or nothing, like importContent.
 */
const DELETE = 'mutation ($input: DeleteContentInput!) { deleteContent(input: $input) { deleted pieces { id externalId } userErrors { field code message } } }';
const ARCHIVE = 'mutation ($input: ArchiveContentInput!) { archiveContent(input: $input) { archived unchanged pieces { id externalId } userErrors { field code message } } }';
const IMPORT = 'mutation ($input: ImportContentInput!) { importContent(input: $input) { created userErrors { field code message } } }';
const PIECES = '{ contentPieces(first: 100, orderBy: TITLE_ASC) { edges { node { title } } } }';

let app: TestApp;
let ws: WorkspaceKeys;
let other: WorkspaceKeys;
let yoga: ReturnType<typeof createServer>;

beforeAll(async () => {
  app = await startTestApp();
  ws = await app.workspace('Synced');
  other = await app.workspace('Other');
  for (const keys of [ws, other]) {
    const f = new Fixture(app.database.prisma, keys.workspaceId);
    await f.journey('b2c', [['attention', 'BECOME'], ['always', 'STAY']]);
    await f.segment('gezinnen');
    await f.channel('web');
    await f.channel('mail');
    // The same externalId in both workspaces: each workspace has its own.
    await f.piece({ title: keys === ws ? 'Ours' : 'Theirs', phases: ['attention'], channels: ['web'], externalId: 'cms-1' });
    if (keys === other) await f.piece({ title: 'Only theirs', phases: ['attention'], channels: ['web'], externalId: 'theirs' });
  }
  // A server with the DELIVERY response cache, as production runs it.
  yoga = createServer({ database: app.database, mode: 'production', deliveryCache: { size: 1000, maxAgeSeconds: 300, httpMaxAgeSeconds: 60 } });
});
afterAll(async () => {
  await yoga.dispose();
  await app.close();
});

/** Pieces imported through the API, spread over two cells and several statuses so the kept counts have something to follow. */
async function importPieces(keys: WorkspaceKeys, externalIds: string[], status = 'PUBLISHED') {
  const pieces = externalIds.map((externalId, i) => ({
    externalId,
    title: `Piece ${externalId}`,
    format: 'ARTICLE',
    status,
    locale: 'nl-NL',
    phases: [{ journey: 'b2c', phase: i % 2 === 0 ? 'attention' : 'always' }],
    channels: i % 3 === 0 ? ['web', 'mail'] : ['web'],
    segments: i % 2 === 0 ? ['gezinnen'] : [],
  }));
  const res = await app.gql(keys.EDITOR, IMPORT, { input: { pieces } });
  expect(res.errors).toBeUndefined();
  expect(res.data?.importContent.userErrors).toEqual([]);
}

async function call(key: string, mutation: string, externalIds: string[]) {
  const res = await app.gql(key, mutation, { input: { externalIds } });
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return Object.values(res.data ?? {})[0] as Record<string, any>;
}

// Sorted here: Prisma splits a long IN list into several queries only when the database does not order them.
const named = async (externalIds: string[]) =>
  (await app.database.prisma.contentPiece.findMany({ where: { workspaceId: ws.workspaceId, externalId: { in: externalIds } } })).sort((a, b) => a.externalId!.localeCompare(b.externalId!));
const ids = (pieces: { id: string; externalId: string | null }[], order: string[]) => order.map((externalId) => ({ externalId, id: encodeGlobalID('ContentPiece', pieces.find((p) => p.externalId === externalId)!.id) }));

/** The target rows say what their pieces say (the kept counts are recounted from them), and each piece has some. */
async function expectMatrixTrue() {
  for (const keys of [ws, other]) {
    const pieces = await app.database.prisma.contentPiece.findMany({ where: { workspaceId: keys.workspaceId }, select: { id: true, status: true } });
    const targets = await app.database.prisma.contentTarget.findMany({ where: { workspaceId: keys.workspaceId }, select: { pieceId: true, status: true } });
    const statusOf = new Map(pieces.map((p) => [p.id, p.status]));
    expect(targets.filter((t) => statusOf.get(t.pieceId) !== t.status)).toEqual([]);
    expect(new Set(targets.map((t) => t.pieceId))).toEqual(new Set(statusOf.keys()));
  }
  await expectKeptCellsTrue(app.database.prisma, ws.workspaceId);
  await expectKeptCellsTrue(app.database.prisma, other.workspaceId);
}

describe('deleteContent', () => {
  it('deletes pieces and their targeting by externalId, answering the count and both ids in input order', async () => {
    await importPieces(ws, ['del-1', 'del-2', 'del-3', 'del-4']);
    const before = await named(['del-1', 'del-2', 'del-3', 'del-4']);
    const res = await call(ws.EDITOR, DELETE, ['del-3', 'del-1', 'del-2']);
    expect(res).toEqual({ deleted: 3, pieces: ids(before, ['del-3', 'del-1', 'del-2']), userErrors: [] });
    expect((await named(['del-1', 'del-2', 'del-3', 'del-4'])).map((p) => p.externalId)).toEqual(['del-4']);
    const gone = before.filter((p) => p.externalId !== 'del-4').map((p) => p.id);
    expect(await app.database.prisma.contentChannel.count({ where: { pieceId: { in: gone } } })).toBe(0);
    expect(await app.database.prisma.contentTarget.count({ where: { pieceId: { in: gone } } })).toBe(0);
    await expectMatrixTrue();
  });

  it('deletes any status, archived pieces too', async () => {
    await importPieces(ws, ['old-1', 'old-2'], 'ARCHIVED');
    const res = await call(ws.EDITOR, DELETE, ['old-1', 'old-2']);
    expect(res).toMatchObject({ deleted: 2, userErrors: [] });
    expect(await named(['old-1', 'old-2'])).toEqual([]);
    await expectMatrixTrue();
  });
});

describe('archiveContent', () => {
  it('archives pieces by externalId; a retry succeeds and reports them unchanged without writing', async () => {
    await importPieces(ws, ['arc-1', 'arc-2', 'arc-3']);
    const before = await named(['arc-1', 'arc-2', 'arc-3']);
    const first = await call(ws.EDITOR, ARCHIVE, ['arc-2', 'arc-1']);
    expect(first).toEqual({ archived: 2, unchanged: 0, pieces: ids(before, ['arc-2', 'arc-1']), userErrors: [] });
    const archived = await named(['arc-1', 'arc-2']);
    expect(archived.map((p) => p.status)).toEqual(['ARCHIVED', 'ARCHIVED']);
    await expectMatrixTrue();

    const retry = await call(ws.EDITOR, ARCHIVE, ['arc-1', 'arc-2', 'arc-3']);
    expect(retry).toEqual({ archived: 1, unchanged: 2, pieces: ids(before, ['arc-1', 'arc-2', 'arc-3']), userErrors: [] });
    expect((await named(['arc-1', 'arc-2'])).map((p) => p.updatedAt)).toEqual(archived.map((p) => p.updatedAt));
    expect((await named(['arc-3']))[0]?.status).toBe('ARCHIVED');
    await expectMatrixTrue();
  });
});

describe('limits and refusals: a refused call changes nothing', () => {
  it('is all or nothing: unknown, repeated and malformed ids are each reported by index', async () => {
    await importPieces(ws, ['keep-1', 'keep-2']);
    const before = await app.database.prisma.contentPiece.findMany({ where: { workspaceId: ws.workspaceId }, orderBy: { id: 'asc' } });
    for (const mutation of [DELETE, ARCHIVE]) {
      const res = await call(ws.EDITOR, mutation, ['keep-1', 'nope', 'keep-1', ' ', 'keep-2']);
      expect(res.pieces).toEqual([]);
      expect(res.deleted ?? res.archived).toBe(0);
      expect(res.userErrors).toEqual([
        { field: ['input', 'externalIds', '1'], code: 'NOT_FOUND', message: 'No content piece with externalId "nope" in this workspace.' },
        { field: ['input', 'externalIds', '2'], code: 'INVALID', message: expect.stringContaining('index 0') },
        { field: ['input', 'externalIds', '3'], code: 'INVALID', message: 'must not be empty' },
      ]);
    }
    expect(await app.database.prisma.contentPiece.findMany({ where: { workspaceId: ws.workspaceId }, orderBy: { id: 'asc' } })).toEqual(before);
  });

  it('another workspace\'s externalIds are unknown, and its piece with the same externalId is never touched', async () => {
    const theirs = await app.database.prisma.contentPiece.findMany({ where: { workspaceId: other.workspaceId }, orderBy: { id: 'asc' } });
    for (const mutation of [DELETE, ARCHIVE]) {
      const res = await call(ws.EDITOR, mutation, ['theirs']);
      expect(res.userErrors).toEqual([{ field: ['input', 'externalIds', '0'], code: 'NOT_FOUND', message: 'No content piece with externalId "theirs" in this workspace.' }]);
    }
    const ours = await call(ws.EDITOR, ARCHIVE, ['cms-1']);
    expect(ours).toMatchObject({ archived: 1, userErrors: [] });
    expect(await app.database.prisma.contentPiece.findMany({ where: { workspaceId: other.workspaceId }, orderBy: { id: 'asc' } })).toEqual(theirs);
  });

  it('refuses an empty list and more than 1,000 ids on input.externalIds', async () => {
    await importPieces(ws, ['limit-1']);
    const count = () => app.database.prisma.contentPiece.count({ where: { workspaceId: ws.workspaceId, status: { not: 'ARCHIVED' } } });
    const before = await count();
    const many = ['limit-1', ...Array.from({ length: 1000 }, (_, i) => `many-${i}`)];
    for (const mutation of [DELETE, ARCHIVE]) {
      expect((await call(ws.EDITOR, mutation, [])).userErrors).toEqual([{ field: ['input', 'externalIds'], code: 'INVALID', message: 'Name at least one externalId.' }]);
      expect((await call(ws.EDITOR, mutation, many)).userErrors).toEqual([
        { field: ['input', 'externalIds'], code: 'TOO_MANY', message: 'At most 1000 externalIds per call; got 1001. Split the call.' },
      ]);
    }
    expect(await count()).toBe(before);
  });

  it('accepts the full 1,000 ids in one call', async () => {
    const full = Array.from({ length: 1000 }, (_, i) => `full-${i}`);
    await importPieces(ws, full);
    expect(await call(ws.EDITOR, ARCHIVE, full)).toMatchObject({ archived: 1000, unchanged: 0, userErrors: [] });
    await expectMatrixTrue();
    expect(await call(ws.EDITOR, DELETE, full)).toMatchObject({ deleted: 1000, userErrors: [] });
    expect(await named(full)).toEqual([]);
    await expectMatrixTrue();
  });

  it('a DELIVERY key may do neither', async () => {
    await importPieces(ws, ['role-1']);
    for (const mutation of [DELETE, ARCHIVE]) {
      const res = await app.gql(ws.DELIVERY, mutation, { input: { externalIds: ['role-1'] } });
      expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    expect((await named(['role-1']))[0]?.status).toBe('PUBLISHED');
  });
});

describe('what else follows', () => {
  async function deliveryTitles() {
    let response: Response | undefined;
    const statements = await app.countStatements(async () => {
      response = await yoga.fetch('http://test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ws.DELIVERY}` },
        body: JSON.stringify({ query: PIECES }),
      });
    });
    const json = (await response!.json()) as { data: { contentPieces: { edges: { node: { title: string } }[] } } };
    return { statements, titles: json.data.contentPieces.edges.map((e) => e.node.title) };
  }

  it('a kept DELIVERY answer is forgotten by both', async () => {
    await importPieces(ws, ['live-1', 'live-2']);
    expect((await deliveryTitles()).titles).toEqual(expect.arrayContaining(['Piece live-1', 'Piece live-2']));
    expect((await deliveryTitles()).statements).toBe(0);
    await call(ws.EDITOR, ARCHIVE, ['live-1']);
    const afterArchive = await deliveryTitles();
    expect(afterArchive.titles).not.toContain('Piece live-1');
    expect(afterArchive.titles).toContain('Piece live-2');
    expect((await deliveryTitles()).statements).toBe(0);
    await call(ws.EDITOR, DELETE, ['live-2']);
    expect((await deliveryTitles()).titles).not.toContain('Piece live-2');
  });

  it('runs a fixed number of SQL statements whatever the number of ids', async () => {
    const batch = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
    await importPieces(ws, [...batch('small', 2), ...batch('large', 60)]);
    const statements = (mutation: string, externalIds: string[]) =>
      app.countStatements(async () => expect((await call(ws.EDITOR, mutation, externalIds)).userErrors).toEqual([]));
    const archiveSmall = await statements(ARCHIVE, batch('small', 2));
    const archiveLarge = await statements(ARCHIVE, batch('large', 60));
    expect(archiveLarge).toBe(archiveSmall);
    const deleteSmall = await statements(DELETE, batch('small', 2));
    const deleteLarge = await statements(DELETE, batch('large', 60));
    expect(deleteLarge).toBe(deleteSmall);
    await expectMatrixTrue();
  });
});

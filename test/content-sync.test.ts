import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type WorkspaceKeys } from './support/app.js';
import { expectKeptCellsTrue } from './support/cells.js';
import { Fixture } from './support/fixtures.js';

/**
 * Mirror mode: pieces of a source that a completed sync did not see are
 * archived or deleted; an abandoned sync expires and changes nothing.
 */
const START = 'mutation ($input: StartContentSyncInput!) { startContentSync(input: $input) { contentSync { id source onMissing startedAt expiresAt completedAt seen } userErrors { field code message } } }';
const COMPLETE = 'mutation ($input: CompleteContentSyncInput!) { completeContentSync(input: $input) { contentSync { id seen completedAt } archived deleted pieces { id externalId } userErrors { field code message } } }';
const IMPORT = 'mutation ($input: ImportContentInput!) { importContent(input: $input) { created updated unchanged pieces { externalId source } userErrors { field code message } } }';
const PIECES = '{ contentPieces(first: 100) { edges { node { externalId status source title } } } }';

let app: TestApp;
let ws: WorkspaceKeys;
let other: WorkspaceKeys;

beforeAll(async () => {
  app = await startTestApp();
  ws = await app.workspace('Mirrored');
  other = await app.workspace('Other');
  for (const keys of [ws, other]) {
    const f = new Fixture(app.database.prisma, keys.workspaceId);
    await f.journey('b2c', [['attention', 'BECOME'], ['always', 'STAY']]);
    await f.segment('gezinnen');
    await f.channel('web');
    await f.channel('mail');
    await f.piece({ title: 'By hand', phases: ['attention'], channels: ['web'] });
  }
});
afterAll(async () => {
  await app.close();
});

function rows(externalIds: string[], status = 'PUBLISHED') {
  return externalIds.map((externalId, i) => ({
    externalId,
    title: `Piece ${externalId}`,
    format: 'ARTICLE',
    status,
    locale: 'nl-NL',
    phases: [{ journey: 'b2c', phase: i % 2 === 0 ? 'attention' : 'always' }],
    channels: i % 3 === 0 ? ['web', 'mail'] : ['web'],
    segments: i % 2 === 0 ? ['gezinnen'] : [],
  }));
}

async function importUnder(keys: WorkspaceKeys, sync: string | undefined, externalIds: string[]) {
  const res = await app.gql(keys.EDITOR, IMPORT, { input: { pieces: rows(externalIds), sync } });
  expect(res.errors).toBeUndefined();
  return res.data?.importContent;
}

async function start(keys: WorkspaceKeys, source: string, onMissing?: string) {
  const res = await app.gql(keys.EDITOR, START, { input: { source, onMissing } });
  expect(res.errors).toBeUndefined();
  return res.data?.startContentSync;
}

async function complete(keys: WorkspaceKeys, id: string) {
  const res = await app.gql(keys.EDITOR, COMPLETE, { input: { id } });
  expect(res.errors).toBeUndefined();
  return res.data?.completeContentSync;
}

async function pieces(keys: WorkspaceKeys) {
  const res = await app.gql(keys.EDITOR, PIECES);
  const list = res.data?.contentPieces.edges.map((e: { node: Record<string, string | null> }) => e.node) as Record<string, string | null>[];
  return Object.fromEntries(list.map((p) => [p.externalId ?? p.title, `${p.status}/${p.source}`]));
}

/** A full sync of `source` seeing `seen`, answering the completion. */
async function mirror(keys: WorkspaceKeys, source: string, seen: string[], onMissing?: string) {
  const started = await start(keys, source, onMissing);
  expect(started.userErrors).toEqual([]);
  // Two batches: the sync gathers what every batch saw.
  expect((await importUnder(keys, started.contentSync.id, seen.slice(0, 1))).userErrors).toEqual([]);
  expect((await importUnder(keys, started.contentSync.id, seen.slice(1))).userErrors).toEqual([]);
  return complete(keys, started.contentSync.id);
}

describe('mirror mode', () => {
  it('archives exactly the pieces of the source the sync did not see, leaving other sources, unsynced and hand-made pieces alone', async () => {
    await mirror(ws, 'cms-a', ['a1', 'a2', 'a3', 'a4']);
    await mirror(ws, 'cms-b', ['b1']);
    await importUnder(ws, undefined, ['loose']);
    const done = await mirror(ws, 'cms-a', ['a1', 'a3']);
    expect(done.userErrors).toEqual([]);
    expect(done.archived).toBe(2);
    expect(done.deleted).toBe(0);
    expect(done.contentSync.seen).toBe(2);
    expect(done.contentSync.completedAt).not.toBeNull();
    expect(done.pieces.map((p: { externalId: string }) => p.externalId).sort()).toEqual(['a2', 'a4']);
    expect(await pieces(ws)).toEqual({
      'By hand': 'PUBLISHED/null',
      a1: 'PUBLISHED/cms-a',
      a2: 'ARCHIVED/cms-a',
      a3: 'PUBLISHED/cms-a',
      a4: 'ARCHIVED/cms-a',
      b1: 'PUBLISHED/cms-b',
      loose: 'PUBLISHED/null',
    });
    await expectKeptCellsTrue(app.database.prisma, ws.workspaceId);
    // Again: the archived ones count once; already ARCHIVED pieces are not written again.
    const again = await mirror(ws, 'cms-a', ['a1', 'a3']);
    expect(again.archived).toBe(0);
  });

  it('a sync takes over a piece from another source: it gets the sync\'s source', async () => {
    await mirror(ws, 'cms-b', ['b1']);
    await mirror(ws, 'cms-c', ['b1']);
    expect((await pieces(ws)).b1).toBe('PUBLISHED/cms-c');
    // cms-b no longer holds b1, so mirroring cms-b with nothing seen removes nothing.
    const done = await mirror(ws, 'cms-b', []);
    expect(done.archived).toBe(0);
    expect((await pieces(ws)).b1).toBe('PUBLISHED/cms-c');
  });

  it('DELETE mode deletes the pieces not seen', async () => {
    await mirror(ws, 'cms-d', ['d1', 'd2', 'd3']);
    const done = await mirror(ws, 'cms-d', ['d2'], 'DELETE');
    expect(done.userErrors).toEqual([]);
    expect(done.deleted).toBe(2);
    expect(done.archived).toBe(0);
    const now = await pieces(ws);
    expect(now.d1).toBeUndefined();
    expect(now.d3).toBeUndefined();
    expect(now.d2).toBe('PUBLISHED/cms-d');
    expect(now['By hand']).toBe('PUBLISHED/null');
    await expectKeptCellsTrue(app.database.prisma, ws.workspaceId);
  });

  it('an abandoned sync expires, changes nothing, is refused by import and complete, and frees its source', async () => {
    await mirror(ws, 'cms-e', ['e1', 'e2']);
    const started = await start(ws, 'cms-e', 'DELETE');
    const id = started.contentSync.id;
    expect(new Date(started.contentSync.expiresAt).getTime() - new Date(started.contentSync.startedAt).getTime()).toBe(24 * 3600_000);
    await importUnder(ws, id, ['e1']);
    const before = await pieces(ws);
    // Nobody completes it; its time passes.
    await app.database.prisma.contentSync.updateMany({ where: { source: 'cms-e', completedAt: null }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const refusedImport = await importUnder(ws, id, ['e1', 'e3']);
    expect(refusedImport.userErrors).toEqual([expect.objectContaining({ field: ['input', 'sync'], code: 'INVALID' })]);
    expect(refusedImport.userErrors[0].message).toMatch(/expired/);
    const refused = await complete(ws, id);
    expect(refused.userErrors).toEqual([expect.objectContaining({ field: ['input', 'id'], code: 'INVALID' })]);
    expect(refused.deleted).toBe(0);
    expect(await pieces(ws)).toEqual(before);
    // The source is free again.
    expect((await start(ws, 'cms-e')).userErrors).toEqual([]);
  });

  it('a batch moves the expiry forward', async () => {
    const started = await start(ws, 'cms-f');
    await app.database.prisma.contentSync.updateMany({ where: { source: 'cms-f' }, data: { expiresAt: new Date(Date.now() + 60_000) } });
    await importUnder(ws, started.contentSync.id, ['f1']);
    const row = await app.database.prisma.contentSync.findFirstOrThrow({ where: { source: 'cms-f' } });
    expect(row.expiresAt.getTime()).toBeGreaterThan(Date.now() + 23 * 3600_000);
    expect((await complete(ws, started.contentSync.id)).userErrors).toEqual([]);
  });

  it('one open sync per source; a completed or unknown sync is refused', async () => {
    const first = await start(ws, 'cms-g');
    expect(first.userErrors).toEqual([]);
    const second = await start(ws, 'cms-g');
    expect(second.contentSync).toBeNull();
    expect(second.userErrors).toEqual([expect.objectContaining({ field: ['input', 'source'], code: 'CONFLICT' })]);
    expect((await start(ws, 'cms-h')).userErrors).toEqual([]);
    expect((await complete(ws, first.contentSync.id)).userErrors).toEqual([]);
    const twice = await complete(ws, first.contentSync.id);
    expect(twice.userErrors).toEqual([expect.objectContaining({ field: ['input', 'id'], code: 'INVALID' })]);
    expect((await importUnder(ws, first.contentSync.id, ['g1'])).userErrors).toEqual([expect.objectContaining({ field: ['input', 'sync'], code: 'INVALID' })]);
    expect((await complete(ws, 'not-an-id')).userErrors).toEqual([expect.objectContaining({ field: ['input', 'id'], code: 'NOT_FOUND' })]);
    expect((await start(ws, 'cms-g')).userErrors).toEqual([]);
    const blank = await start(ws, '  ');
    expect(blank.userErrors).toEqual([expect.objectContaining({ field: ['input', 'source'], code: 'INVALID' })]);
  });

  it('workspaces are isolated: another workspace cannot use a sync, and its pieces of the same source stay', async () => {
    await mirror(other, 'cms-x', ['x1', 'x2']);
    await mirror(ws, 'cms-x', ['x1']);
    const started = await start(ws, 'cms-x');
    // The other workspace may open its own sync of the same source meanwhile.
    const theirs = await start(other, 'cms-x');
    expect(theirs.userErrors).toEqual([]);
    expect((await complete(other, started.contentSync.id)).userErrors).toEqual([expect.objectContaining({ code: 'NOT_FOUND' })]);
    expect((await importUnder(other, started.contentSync.id, ['x9'])).userErrors).toEqual([expect.objectContaining({ field: ['input', 'sync'], code: 'NOT_FOUND' })]);
    const done = await complete(ws, started.contentSync.id);
    expect(done.archived).toBe(1);
    expect(await pieces(other)).toEqual({ 'By hand': 'PUBLISHED/null', x1: 'PUBLISHED/cms-x', x2: 'PUBLISHED/cms-x' });
    await expectKeptCellsTrue(app.database.prisma, other.workspaceId);
  });

  it('completing takes the same statements for 3 missing pieces as for 30: no statement per piece', async () => {
    const completion = async (source: string, count: number) => {
      const names = Array.from({ length: count }, (_, i) => `${source}-${i}`);
      await mirror(ws, source, names);
      const started = await start(ws, source);
      let done: { archived: number } | undefined;
      const statements = await app.countStatements(async () => {
        done = await complete(ws, started.contentSync.id);
      });
      expect(done?.archived).toBe(count);
      return statements;
    };
    expect(await completion('few', 3)).toBe(await completion('many', 30));
    await expectKeptCellsTrue(app.database.prisma, ws.workspaceId);
  });

  it('archives and deletes more pieces than one statement names, across batches', async () => {
    // 1,200 pieces: more than one import batch (1,000) and several write chunks (500 ids each).
    const names = Array.from({ length: 1200 }, (_, i) => `big-${i}`);
    for (const mode of ['ARCHIVE', 'DELETE']) {
      const source = `big-${mode.toLowerCase()}`;
      const first = await start(ws, source);
      await importUnder(ws, first.contentSync.id, names.slice(0, 1000).map((n) => `${source}-${n}`));
      await importUnder(ws, first.contentSync.id, names.slice(1000).map((n) => `${source}-${n}`));
      expect((await complete(ws, first.contentSync.id)).userErrors).toEqual([]);
      // A second sync that sees nothing: every one of them goes.
      const second = await start(ws, source, mode);
      const done = await complete(ws, second.contentSync.id);
      expect(done.userErrors).toEqual([]);
      expect(mode === 'ARCHIVE' ? done.archived : done.deleted).toBe(1200);
    }
    await expectKeptCellsTrue(app.database.prisma, ws.workspaceId);
  });

  it('needs EDITOR', async () => {
    const res = await app.gql(ws.DELIVERY, START, { input: { source: 'cms-z' } });
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

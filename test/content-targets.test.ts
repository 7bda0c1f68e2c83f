import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectKeptCellsTrue } from './support/cells.js';
import { startTestApp, type TestApp, type WorkspaceKeys } from './support/app.js';
import { Fixture } from './support/fixtures.js';

/**
 * The read models must say exactly what the pieces and their links say,
 * after every kind of write: ContentTarget (what recommendations rank) and
 * ContentCell (what the matrix reads).
 */
let app: TestApp;
let ws: WorkspaceKeys;

beforeAll(async () => {
  app = await startTestApp();
  ws = await app.workspace();
  const f = new Fixture(app.database.prisma, ws.workspaceId);
  await f.journey('j', [['one', 'BECOME'], ['two', 'STAY']]);
  await f.segment('a');
  await f.segment('b', 'a');
  await f.channel('web');
  await f.channel('mail');
});
afterAll(() => app.close());

/** What the read model should hold, computed the slow, obvious way. */
async function expectedTargets() {
  const pieces = await app.database.prisma.contentPiece.findMany({ include: { phases: true, channels: true, segments: true } });
  return pieces
    .flatMap((p) =>
      p.phases.flatMap((ph) =>
        p.channels.flatMap((ch) =>
          (p.segments.length ? p.segments.map((s) => s.segmentId) : ['']).map((segmentId) => ({
            pieceId: p.id, workspaceId: p.workspaceId, phaseId: ph.phaseId, channelId: ch.channelId, segmentId,
            status: p.status, locale: p.locale, priority: p.priority, freshAt: (p.publishAt ?? p.updatedAt).toISOString(),
            publishAt: p.publishAt?.toISOString() ?? null, expiresAt: p.expiresAt?.toISOString() ?? null,
            reviewAt: p.reviewAt?.toISOString() ?? null, updatedAt: p.updatedAt.toISOString(),
          })),
        ),
      ),
    )
    .sort(byKey);
}

async function storedTargets() {
  const rows = await app.database.prisma.contentTarget.findMany();
  return rows
    .map((t) => ({
      ...t, freshAt: t.freshAt.toISOString(), publishAt: t.publishAt?.toISOString() ?? null, expiresAt: t.expiresAt?.toISOString() ?? null,
      reviewAt: t.reviewAt?.toISOString() ?? null, updatedAt: t.updatedAt?.toISOString() ?? null,
    }))
    .sort(byKey);
}

function byKey(a: { pieceId: string; phaseId: string; channelId: string; segmentId: string }, b: typeof a): number {
  return `${a.pieceId}|${a.phaseId}|${a.channelId}|${a.segmentId}`.localeCompare(`${b.pieceId}|${b.phaseId}|${b.channelId}|${b.segmentId}`);
}

const PIECE = '{ contentPiece { id } userErrors { field code message } }';

/**
 * Both read models say what the pieces say: the target rows equal the
 * pieces' targeting, and every kept cell equals a full recount of its
 * targets at the instant it was kept for, with a row for every cell that
 * has content.
 */
async function expectReadModels() {
  expect(await storedTargets()).toEqual(await expectedTargets());
  await expectKeptCellsTrue(app.database.prisma, ws.workspaceId);
}

describe('the targeting read model', () => {
  it('follows creates, updates, status changes, imports and deletes', async () => {
    const created = await app.gql(ws.EDITOR, `mutation { createContentPiece(input: { title: "T", format: ARTICLE, locale: "nl-NL", phases: [{ journey: "j", phase: "one" }], channels: ["web", "mail"] }) ${PIECE} }`);
    expect(created.data?.createContentPiece.userErrors).toEqual([]);
    const id = created.data?.createContentPiece.contentPiece.id;
    await expectReadModels();
    expect(await storedTargets()).toHaveLength(2);

    const updated = await app.gql(ws.EDITOR, `mutation ($id: ID!) { updateContentPiece(input: { id: $id, priority: 90, segments: ["a", "b"], phases: [{ journey: "j", phase: "one" }, { journey: "j", phase: "two" }], publishAt: "2026-01-01T00:00:00Z" }) ${PIECE} }`, { id });
    expect(updated.data?.updateContentPiece.userErrors).toEqual([]);
    await expectReadModels();
    expect(await storedTargets()).toHaveLength(8);

    for (const status of ['DRAFT', 'IN_REVIEW', 'PUBLISHED']) {
      const moved = await app.gql(ws.EDITOR, `mutation ($id: ID!, $status: ContentStatus!) { setContentStatus(input: { id: $id, status: $status }) ${PIECE} }`, { id, status });
      expect(moved.data?.setContentStatus.userErrors).toEqual([]);
    }
    expect((await storedTargets()).every((t) => t.status === 'PUBLISHED')).toBe(true);
    await expectReadModels();

    const imported = await app.gql(ws.EDITOR, `mutation { importContent(input: { pieces: [
      { externalId: "x1", title: "X1", format: FAQ, status: PUBLISHED, locale: "en-GB", phases: [{ journey: "j", phase: "two" }], channels: ["mail"], segments: ["b"] },
      { externalId: "x2", title: "X2", format: FAQ, status: DRAFT, locale: "nl-NL", phases: [{ journey: "j", phase: "one" }], channels: ["web"] }
    ] }) { created userErrors { message } } }`);
    expect(imported.data?.importContent).toEqual({ created: 2, userErrors: [] });
    await expectReadModels();

    const reimported = await app.gql(ws.EDITOR, `mutation { importContent(input: { pieces: [
      { externalId: "x1", title: "X1", format: FAQ, status: ARCHIVED, locale: "en-GB", phases: [{ journey: "j", phase: "one" }], channels: ["web", "mail"] }
    ] }) { updated userErrors { message } } }`);
    expect(reimported.data?.importContent).toEqual({ updated: 1, userErrors: [] });
    await expectReadModels();

    const deleted = await app.gql(ws.EDITOR, 'mutation ($id: ID!) { deleteContentPiece(input: { id: $id }) { userErrors { message } } }', { id });
    expect(deleted.data?.deleteContentPiece.userErrors).toEqual([]);
    await expectReadModels();
    expect(await storedTargets()).toHaveLength(3);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type WorkspaceKeys } from './support/app.js';
import { Fixture } from './support/fixtures.js';

/**
 * The ContentTarget read model (what recommendations rank) must say exactly
 * what the pieces and their links say, after every kind of write.
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
          })),
        ),
      ),
    )
    .sort(byKey);
}

async function storedTargets() {
  const rows = await app.database.prisma.contentTarget.findMany();
  return rows
    .map((t) => ({ ...t, freshAt: t.freshAt.toISOString(), publishAt: t.publishAt?.toISOString() ?? null, expiresAt: t.expiresAt?.toISOString() ?? null }))
    .sort(byKey);
}

function byKey(a: { pieceId: string; phaseId: string; channelId: string; segmentId: string }, b: typeof a): number {
  return `${a.pieceId}|${a.phaseId}|${a.channelId}|${a.segmentId}`.localeCompare(`${b.pieceId}|${b.phaseId}|${b.channelId}|${b.segmentId}`);
}

const PIECE = '{ contentPiece { id } userErrors { field code message } }';

describe('the targeting read model', () => {
  it('follows creates, updates, status changes, imports and deletes', async () => {
    const created = await app.gql(ws.EDITOR, `mutation { createContentPiece(input: { title: "T", format: ARTICLE, locale: "nl-NL", phases: [{ journey: "j", phase: "one" }], channels: ["web", "mail"] }) ${PIECE} }`);
    expect(created.data?.createContentPiece.userErrors).toEqual([]);
    const id = created.data?.createContentPiece.contentPiece.id;
    expect(await storedTargets()).toEqual(await expectedTargets());
    expect(await storedTargets()).toHaveLength(2);

    const updated = await app.gql(ws.EDITOR, `mutation ($id: ID!) { updateContentPiece(input: { id: $id, priority: 90, segments: ["a", "b"], phases: [{ journey: "j", phase: "one" }, { journey: "j", phase: "two" }], publishAt: "2026-01-01T00:00:00Z" }) ${PIECE} }`, { id });
    expect(updated.data?.updateContentPiece.userErrors).toEqual([]);
    expect(await storedTargets()).toEqual(await expectedTargets());
    expect(await storedTargets()).toHaveLength(8);

    for (const status of ['DRAFT', 'IN_REVIEW', 'PUBLISHED']) {
      const moved = await app.gql(ws.EDITOR, `mutation ($id: ID!, $status: ContentStatus!) { setContentStatus(input: { id: $id, status: $status }) ${PIECE} }`, { id, status });
      expect(moved.data?.setContentStatus.userErrors).toEqual([]);
    }
    expect((await storedTargets()).every((t) => t.status === 'PUBLISHED')).toBe(true);
    expect(await storedTargets()).toEqual(await expectedTargets());

    const imported = await app.gql(ws.EDITOR, `mutation { importContent(input: { pieces: [
      { externalId: "x1", title: "X1", format: FAQ, status: PUBLISHED, locale: "en-GB", phases: [{ journey: "j", phase: "two" }], channels: ["mail"], segments: ["b"] },
      { externalId: "x2", title: "X2", format: FAQ, status: DRAFT, locale: "nl-NL", phases: [{ journey: "j", phase: "one" }], channels: ["web"] }
    ] }) { created userErrors { message } } }`);
    expect(imported.data?.importContent).toEqual({ created: 2, userErrors: [] });
    expect(await storedTargets()).toEqual(await expectedTargets());

    const reimported = await app.gql(ws.EDITOR, `mutation { importContent(input: { pieces: [
      { externalId: "x1", title: "X1", format: FAQ, status: ARCHIVED, locale: "en-GB", phases: [{ journey: "j", phase: "one" }], channels: ["web", "mail"] }
    ] }) { updated userErrors { message } } }`);
    expect(reimported.data?.importContent).toEqual({ updated: 1, userErrors: [] });
    expect(await storedTargets()).toEqual(await expectedTargets());

    const deleted = await app.gql(ws.EDITOR, 'mutation ($id: ID!) { deleteContentPiece(input: { id: $id }) { userErrors { message } } }', { id });
    expect(deleted.data?.deleteContentPiece.userErrors).toEqual([]);
    expect(await storedTargets()).toEqual(await expectedTargets());
    expect(await storedTargets()).toHaveLength(3);
  });
});

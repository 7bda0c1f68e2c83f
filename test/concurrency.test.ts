import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.js';
import { expectKeptCellsTrue } from './support/cells.js';
import { buildWorld, type World } from './support/world.js';

/**
 * Concurrent writers: CMS imports arriving at once with overlapping
 * externalIds, and coverage rules created twice at once, on both databases.
 */
let app: TestApp;
let world: World;
beforeAll(async () => {
  app = await startTestApp();
  world = await buildWorld(app, 'RACE');
});
afterAll(async () => {
  await app.close();
});

const IMPORT = /* GraphQL */ `
  mutation ($input: ImportContentInput!) { importContent(input: $input) { created updated unchanged userErrors { field code message } } }
`;

describe('concurrent writes', () => {
  it('8 parallel imports of 50 rows with overlapping externalIds leave one piece per externalId, each holding a committed write', async () => {
    const calls = Array.from({ length: 8 }, (_, call) =>
      Array.from({ length: 50 }, (_, row) => {
        const n = call * 20 + row; // each call overlaps the next by 30 rows
        return {
          externalId: `race-${n}`, title: `call ${call} row ${n}`, format: 'ARTICLE', status: 'PUBLISHED', locale: 'nl-NL', priority: call,
          phases: [{ journey: 'shop', phase: 'attention' }], channels: ['email'], segments: call % 2 ? ['families'] : [],
        };
      }),
    );
    const answers = await Promise.all(calls.map((pieces) => app.gql(world.keys.EDITOR, IMPORT, { input: { pieces } })));
    const succeeded = new Set<number>();
    for (const [call, res] of answers.entries()) {
      expect(res.status, JSON.stringify(res)).toBe(200);
      expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
      if (res.data?.importContent.userErrors.length === 0) succeeded.add(call);
    }
    // Every call is an all-or-nothing upsert that cannot conflict: all of them commit.
    expect([...succeeded].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);

    const stored = await app.database.prisma.contentPiece.findMany({
      where: { workspaceId: world.keys.workspaceId, externalId: { startsWith: 'race-' } },
      include: { segments: true, targets: true },
    });
    const expected = new Set(calls.flat().map((r) => r.externalId));
    expect(stored.length).toBe(expected.size);
    expect(new Set(stored.map((p) => p.externalId)).size).toBe(expected.size);
    for (const piece of stored) {
      // The whole row of one committed call, never a mix of two (title, priority and targeting agree).
      const call = Number(/^call (\d+)/.exec(piece.title)![1]);
      expect(calls[call]!.some((r) => r.externalId === piece.externalId)).toBe(true);
      expect(piece.priority).toBe(call);
      expect(piece.segments.length).toBe(call % 2);
      expect(piece.targets.every((t) => t.priority === call)).toBe(true);
    }
  });

  it('a repeat of the same import is unchanged: nothing was lost or duplicated by the race', async () => {
    const pieces = Array.from({ length: 50 }, (_, n) => ({
      externalId: `calm-${n}`, title: `calm ${n}`, format: 'ARTICLE', status: 'DRAFT', locale: 'nl-NL',
      phases: [{ journey: 'shop', phase: 'attention' }], channels: ['email'],
    }));
    const answers = await Promise.all(Array.from({ length: 6 }, () => app.gql(world.keys.EDITOR, IMPORT, { input: { pieces } })));
    const created = answers.map((res) => res.data?.importContent.created);
    expect(answers.every((res) => res.data?.importContent.userErrors.length === 0)).toBe(true);
    // Exactly one call created them; the others found them stored and equal.
    expect(created.reduce((a, b) => a + b, 0)).toBe(50);
    expect(await app.database.prisma.contentPiece.count({ where: { workspaceId: world.keys.workspaceId, externalId: { startsWith: 'calm-' } } })).toBe(50);
  });

  it('12 pieces written at once into the same cells leave the matrix\'s kept counts equal to a recount', async () => {
    const CREATE = `mutation ($title: String!) { createContentPiece(input: { title: $title, format: FAQ, status: PUBLISHED, locale: "nl-NL",
      phases: [{ journey: "shop", phase: "purchase" }], channels: ["email", "social"], segments: ["students"] }) { userErrors { code } } }`;
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => app.gql(world.keys.EDITOR, CREATE, { title: `at once ${i}` })));
    expect(answers.map((res) => res.data?.createContentPiece.userErrors)).toEqual(Array.from({ length: 12 }, () => []));
    await expectKeptCellsTrue(app.database.prisma, world.keys.workspaceId);
  });

  it('the same coverage rule created 6 times at once is stored once; the others are refused as CONFLICT', async () => {
    const CREATE = `mutation { createCoverageRule(input: { segment: "students", phase: { journey: "shop", phase: "purchase" }, channel: "social", minLive: 1 }) { coverageRule { id } userErrors { field code } } }`;
    const answers = await Promise.all(Array.from({ length: 6 }, () => app.gql(world.keys.EDITOR, CREATE)));
    for (const res of answers) expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    const codes = answers.map((res) => res.data?.createCoverageRule.userErrors.map((e: { code: string }) => e.code).join() || 'OK').sort();
    expect(codes).toEqual(['CONFLICT', 'CONFLICT', 'CONFLICT', 'CONFLICT', 'CONFLICT', 'OK']);
    const segment = await app.database.prisma.segment.findFirstOrThrow({ where: { workspaceId: world.keys.workspaceId, key: 'students' } });
    expect(await app.database.prisma.coverageRule.count({ where: { workspaceId: world.keys.workspaceId, segmentId: segment.id } })).toBe(1);
  });
});

describe('reads beside an open write', () => {
  it('a read never sees another request\'s uncommitted rows, and sees them once committed', async () => {
    const db = app.database.prisma;
    const titles = async () => {
      const res = await app.gql(world.keys.EDITOR, '{ contentPieces(first: 100, filter: { search: "uncommitted" }) { edges { node { title } } } }');
      expect(res.errors).toBeUndefined();
      return res.data?.contentPieces.edges.map((e: { node: { title: string } }) => e.node.title);
    };
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let written: () => void = () => {};
    const wrote = new Promise<void>((resolve) => (written = resolve));
    // A transaction that stays open across awaits, as every mutation's does.
    const transaction = db.$transaction(async (tx) => {
      await tx.contentPiece.create({ data: { workspaceId: world.keys.workspaceId, title: 'uncommitted piece', format: 'ARTICLE', locale: 'nl-NL' } });
      written();
      await held;
    });
    await wrote;
    expect(await titles()).toEqual([]);
    release();
    await transaction;
    expect(await titles()).toEqual(['uncommitted piece']);
  });
});

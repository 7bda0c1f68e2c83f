import { workspaceId, type Context } from '../context.js';
import type { Prisma } from '../generated/sqlite/client.js';
import type { ContentStatus } from '../generated/sqlite/enums.js';

/**
 * "Live at instant t": PUBLISHED, publishAt empty or ≤ t, expiresAt empty
 * or > t. This is the one definition; every query that must only see live
 * content (delivery keys, recommendations, the matrix) builds on it.
 */
export function liveAt(at: Date): Prisma.ContentPieceWhereInput {
  return {
    status: 'PUBLISHED',
    AND: [{ OR: [{ publishAt: null }, { publishAt: { lte: at } }] }, { OR: [{ expiresAt: null }, { expiresAt: { gt: at } }] }],
  };
}

/** The same rule for a piece already in memory; test/content-pieces.test.ts checks both agree at the edges. */
export function isLiveAt(piece: { status: ContentStatus; publishAt: Date | null; expiresAt: Date | null }, at: Date): boolean {
  return (
    piece.status === 'PUBLISHED' &&
    (piece.publishAt === null || piece.publishAt.getTime() <= at.getTime()) &&
    (piece.expiresAt === null || piece.expiresAt.getTime() > at.getTime())
  );
}

/**
 * The pieces the caller may read: its workspace's, and for a DELIVERY key
 * only the ones live now. Every path to a ContentPiece must apply it, so a
 * delivery key can never see a draft.
 */
export function visibleContent(ctx: Context, now: Date = new Date()): Prisma.ContentPieceWhereInput {
  const scoped = { workspaceId: workspaceId(ctx) };
  return ctx.viewer?.role === 'DELIVERY' ? { ...scoped, ...liveAt(now) } : scoped;
}

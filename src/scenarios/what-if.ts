import { Prisma } from '../generated/sqlite/client.js';
import type { ContentStatus } from '../generated/sqlite/enums.js';
import type { Context } from '../context.js';
import { workspaceId } from '../context.js';
import { rawDate } from '../db/raw.js';
import { badUserInput, forbidden } from '../errors.js';
import type { TargetState } from '../matrix/cells.js';
import { databaseIdOf } from '../shared/global-id.js';

/**
 * A scenario as the reads see it: the ContentTarget rows its changes take
 * away and the ones they bring, as if the changes were made now. Applying a
 * scenario (apply.ts) writes exactly these through the content write code,
 * which stamps updatedAt with the moment of the write: so here every changed
 * and planned piece is "updated now", and its freshness follows.
 */
export interface WhatIfTarget extends TargetState {
  pieceId: string;
  locale: string;
  priority: number;
  /** publishAt, else the last update: what ranking orders by. */
  freshAt: Date;
}

/** An existing piece's fields as the scenario leaves them. */
export interface ChangedPiece {
  status: ContentStatus;
  publishAt: Date | null;
  expiresAt: Date | null;
  updatedAt: Date;
}

export interface WhatIf {
  scenarioId: string;
  /** Every current target row of a piece the scenario changes. */
  removed: WhatIfTarget[];
  /** Those pieces' rows as changed, and the planned pieces' rows. */
  added: WhatIfTarget[];
  changed: Map<string, ChangedPiece>;
}

/** Planned pieces are not stored as content: their target rows name them so, apart from any real piece. */
export const PLANNED_PREFIX = 'planned:';

/**
 * The scenario a query names in `argument`, loaded for its overlay. Only
 * EDITOR and ADMIN keys may ask (FORBIDDEN otherwise, naming the argument);
 * an id of another workspace, of another type or of nothing is
 * BAD_USER_INPUT, the same answer, so nothing confirms it exists.
 */
export async function loadWhatIf(ctx: Context, globalId: string, argument = 'scenario'): Promise<WhatIf> {
  if (ctx.viewer?.role !== 'EDITOR' && ctx.viewer?.role !== 'ADMIN') {
    throw forbidden('Scenarios are for EDITOR and ADMIN keys; a DELIVERY key always sees the real content.', argument);
  }
  const ws = workspaceId(ctx);
  const id = databaseIdOf(globalId, 'Scenario');
  const scenario = id
    ? await ctx.prisma.scenario.findFirst({
        where: { id, workspaceId: ws },
        select: {
          id: true,
          plannedPieces: {
            select: {
              id: true, status: true, locale: true, priority: true, publishAt: true, expiresAt: true, reviewAt: true,
              phases: { select: { phaseId: true } }, channels: { select: { channelId: true } }, segments: { select: { segmentId: true } },
            },
          },
          pieceChanges: { select: { pieceId: true, kind: true, publishAt: true, expiresAt: true, piece: { select: { status: true } } } },
        },
      })
    : null;
  if (!scenario) throw badUserInput(argument, 'no scenario with this id in this workspace', globalId);
  const now = new Date();
  const changed = new Map<string, ChangedPiece>();
  for (const change of scenario.pieceChanges) {
    // Archiving an archived piece changes nothing, as setContentStatus does.
    if (change.kind === 'ARCHIVE' && change.piece.status === 'ARCHIVED') continue;
    changed.set(change.pieceId, change.kind === 'ARCHIVE' ? { status: 'ARCHIVED', publishAt: null, expiresAt: null, updatedAt: now } : { status: change.piece.status, publishAt: change.publishAt, expiresAt: change.expiresAt, updatedAt: now });
  }
  const removed = changed.size ? await currentTargets(ctx, ws, [...changed.keys()]) : [];
  const added = removed.map((target) => changedTarget(target, changed.get(target.pieceId) as ChangedPiece));
  for (const piece of scenario.plannedPieces) {
    const segments = piece.segments.length ? piece.segments.map((s) => s.segmentId) : [''];
    for (const { phaseId } of piece.phases) {
      for (const { channelId } of piece.channels) {
        for (const segmentId of segments) {
          added.push({
            pieceId: `${PLANNED_PREFIX}${piece.id}`, workspaceId: ws, phaseId, channelId, segmentId, status: piece.status, locale: piece.locale, priority: piece.priority,
            publishAt: piece.publishAt, expiresAt: piece.expiresAt, reviewAt: piece.reviewAt, updatedAt: now, freshAt: piece.publishAt ?? now,
          });
        }
      }
    }
  }
  return { scenarioId: scenario.id, removed, added, changed };
}

/** A target row of a changed piece, as the change leaves it: an archive keeps its window, a move replaces it. */
function changedTarget(target: WhatIfTarget, piece: ChangedPiece): WhatIfTarget {
  const archived = piece.status === 'ARCHIVED';
  const publishAt = archived ? target.publishAt : piece.publishAt;
  return {
    ...target,
    status: piece.status,
    publishAt,
    expiresAt: archived ? target.expiresAt : piece.expiresAt,
    updatedAt: piece.updatedAt,
    freshAt: publishAt ?? piece.updatedAt,
  };
}

async function currentTargets(ctx: Context, ws: string, pieceIds: string[]): Promise<WhatIfTarget[]> {
  const rows = await ctx.prisma.$queryRaw<Record<keyof WhatIfTarget, unknown>[]>(
    Prisma.sql`SELECT ${TARGET_COLUMNS} FROM "ContentTarget" WHERE "workspaceId" = ${ws} AND "pieceId" IN (${Prisma.join(pieceIds)})`,
  );
  return rows.map(targetRow);
}

export const TARGET_COLUMNS = Prisma.raw(
  '"pieceId", "workspaceId", "phaseId", "channelId", "segmentId", "status", "locale", "priority", "freshAt", "publishAt", "expiresAt", "reviewAt", "updatedAt"',
);

/** A ContentTarget row as the drivers give it. */
export function targetRow(r: Record<keyof WhatIfTarget, unknown>): WhatIfTarget {
  return {
    pieceId: String(r.pieceId), workspaceId: String(r.workspaceId), phaseId: String(r.phaseId), channelId: String(r.channelId), segmentId: String(r.segmentId),
    status: String(r.status), locale: String(r.locale), priority: Number(r.priority), freshAt: rawDate(r.freshAt) as Date,
    publishAt: rawDate(r.publishAt), expiresAt: rawDate(r.expiresAt), reviewAt: rawDate(r.reviewAt), updatedAt: rawDate(r.updatedAt),
  };
}

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
  // Two statements: the scenario with its changes, and its planned pieces expanded as syncTargets expands a real piece.
  const rows = id
    ? await ctx.prisma.$queryRaw<Record<'id' | 'pieceId' | 'kind' | 'publishAt' | 'expiresAt' | 'status', unknown>[]>(Prisma.sql`
        SELECT s."id", c."pieceId", c."kind", c."publishAt", c."expiresAt", p."status"
          FROM "Scenario" s LEFT JOIN "ScenarioChange" c ON c."scenarioId" = s."id" LEFT JOIN "ContentPiece" p ON p."id" = c."pieceId"
         WHERE s."id" = ${id} AND s."workspaceId" = ${ws}`)
    : [];
  if (!rows.length) throw badUserInput(argument, 'no scenario with this id in this workspace', globalId);
  const now = new Date();
  const changed = new Map<string, ChangedPiece>();
  for (const change of rows) {
    if (change.pieceId === null) continue;
    const status = String(change.status) as ContentStatus;
    // Archiving an archived piece changes nothing, as setContentStatus does.
    if (change.kind === 'ARCHIVE' && status === 'ARCHIVED') continue;
    changed.set(
      String(change.pieceId),
      change.kind === 'ARCHIVE' ? { status: 'ARCHIVED', publishAt: null, expiresAt: null, updatedAt: now } : { status, publishAt: rawDate(change.publishAt), expiresAt: rawDate(change.expiresAt), updatedAt: now },
    );
  }
  const removed = changed.size ? await currentTargets(ctx, ws, [...changed.keys()]) : [];
  const added = removed.map((target) => changedTarget(target, changed.get(target.pieceId) as ChangedPiece));
  const planned = await ctx.prisma.$queryRaw<Record<keyof WhatIfTarget, unknown>[]>(Prisma.sql`
    SELECT ${PLANNED_PREFIX} || sp."id" AS "pieceId", ${ws} AS "workspaceId", pp."phaseId", pc."channelId", COALESCE(ps."segmentId", '') AS "segmentId",
           sp."status", sp."locale", sp."priority", sp."publishAt", sp."expiresAt", sp."reviewAt"
      FROM "ScenarioPiece" sp
      JOIN "ScenarioPiecePhase" pp ON pp."pieceId" = sp."id"
      JOIN "ScenarioPieceChannel" pc ON pc."pieceId" = sp."id"
      LEFT JOIN "ScenarioPieceSegment" ps ON ps."pieceId" = sp."id"
     WHERE sp."scenarioId" = ${id}`);
  for (const row of planned) {
    const publishAt = rawDate(row.publishAt);
    added.push(targetRow({ ...row, updatedAt: now, freshAt: publishAt ?? now }));
  }
  const scenario = { id: String(rows[0]?.id) };
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

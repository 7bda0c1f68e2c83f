import { Prisma } from '../generated/sqlite/client.js';
import type { ContentPiece } from '../generated/sqlite/client.js';
import type { Database } from '../db/client.js';
import type { Cell } from '../recommendations/cell.js';
import { rankCell, type CellRanking, type Options as RankOptions } from '../recommendations/ranking.js';
import { TARGET_COLUMNS, targetRow, type WhatIf, type WhatIfTarget } from './what-if.js';

/**
 * recommendedContent as if a scenario were made. A cell the scenario does
 * not touch is ranked as usual. A touched one is ranked here, in memory,
 * over the cell's target rows (one statement) with the scenario's rows
 * taken away and added, by the rules of the ranking statement
 * (recommendations/ranking.ts): live rows only, the asked locale when
 * anything live is in it, a piece at its nearest tier, then priority,
 * freshness and id, all descending; the pipeline counted only for an empty
 * first page. Planned pieces are never live, so they show in the gap only.
 * Only EDITOR and ADMIN rank so: the clock of a kept answer is not needed.
 */
export async function rankCellWithScenario(database: Database, workspaceId: string, cell: Cell, options: RankOptions, whatIf: WhatIf): Promise<CellRanking> {
  const tiers = new Map<string, number>([...cell.chain.map((s) => [s.id, s.depth] as const), ['', GENERIC]]);
  const inCell = (t: WhatIfTarget) => t.phaseId === cell.phase.id && t.channelId === cell.channel.id && tiers.has(t.segmentId);
  const added = whatIf.added.filter(inCell);
  const touched = new Set([...whatIf.removed.filter(inCell), ...added].map((t) => t.pieceId));
  if (!touched.size) return rankCell(database, workspaceId, cell, options);
  const rows = [...(await cellTargets(database, workspaceId, cell)).filter((t) => !whatIf.changed.has(t.pieceId)), ...added];

  const { at, locale, limit, offset } = options;
  const now = at.getTime();
  const live = rows.filter((t) => t.status === 'PUBLISHED' && (!t.publishAt || t.publishAt.getTime() <= now) && (!t.expiresAt || t.expiresAt.getTime() > now));
  const inLocale = (t: WhatIfTarget) => t.locale.toLowerCase() === (locale ?? '');
  const matching = locale !== null && live.some(inLocale);
  const shown = matching ? live.filter(inLocale) : live;
  // Generic rows count by row, targeted pieces once however many tiers they sit in: as the statement counts.
  const count = (of: WhatIfTarget[]) => of.filter((t) => t.segmentId === '').length + new Set(of.filter((t) => t.segmentId !== '').map((t) => t.pieceId)).size;
  const best = new Map<string, WhatIfTarget & { depth: number }>();
  for (const t of shown) {
    const depth = tiers.get(t.segmentId) as number;
    const seen = best.get(t.pieceId);
    if (!seen || depth < seen.depth) best.set(t.pieceId, { ...t, depth });
  }
  const ranked = [...best.values()].sort(
    (a, b) => a.depth - b.depth || b.priority - a.priority || b.freshAt.getTime() - a.freshAt.getTime() || (a.pieceId < b.pieceId ? 1 : a.pieceId > b.pieceId ? -1 : 0),
  );
  const found = ranked.slice(offset, offset + limit + 1);
  const page = found.slice(0, limit);
  const pipeline = rows.filter((t) => t.status === 'IDEA' || t.status === 'DRAFT' || t.status === 'IN_REVIEW' || t.status === 'SCHEDULED');
  const pieces = await piecesOf(database, workspaceId, page.map((t) => t.pieceId), whatIf);
  const total = count(shown);
  return {
    total: options.count ? total : null,
    // As the statement: without a count, only an empty first page says nothing is live.
    empty: (options.count && total === 0) || (offset === 0 && found.length === 0),
    localeFallback: locale !== null && !matching && live.length > 0,
    planned: offset === 0 && found.length === 0 ? count(pipeline) : 0,
    nextChange: null,
    page: page.map((t) => ({ piece: pieces.get(t.pieceId) as ContentPiece, depth: t.depth === GENERIC ? null : t.depth })),
    hasNextPage: found.length > limit,
  };
}

const GENERIC = 1_000_000;

async function cellTargets(database: Database, workspaceId: string, cell: Cell): Promise<WhatIfTarget[]> {
  const rows = await database.query<Record<keyof WhatIfTarget, unknown>>(Prisma.sql`
    SELECT ${TARGET_COLUMNS} FROM "ContentTarget"
     WHERE "phaseId" = ${cell.phase.id} AND "channelId" = ${cell.channel.id} AND "segmentId" IN (${Prisma.join([...cell.chain.map((s) => s.id), ''])})
       AND "workspaceId" = ${workspaceId}`);
  return rows.map(targetRow);
}

/** The page's pieces, with the fields the scenario changes as it changes them. */
async function piecesOf(database: Database, workspaceId: string, ids: string[], whatIf: WhatIf): Promise<Map<string, ContentPiece>> {
  if (!ids.length) return new Map();
  const pieces = await database.reader.contentPiece.findMany({ where: { workspaceId, id: { in: ids } } });
  return new Map(pieces.map((piece) => [piece.id, { ...piece, ...(whatIf.changed.get(piece.id) ?? {}) }]));
}

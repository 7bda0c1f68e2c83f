import { Prisma } from '../generated/sqlite/client.js';
import type { ContentPiece } from '../generated/sqlite/client.js';
import type { Database } from '../db/client.js';
import type { Cell } from '../recommendations/cell.js';
import { engagedSql, smoothedEngagement } from '../recommendations/engagement.js';
import { rankCell, type CellRanking, type Options as RankOptions } from '../recommendations/ranking.js';
import { TARGET_COLUMNS, targetRow, type WhatIf, type WhatIfTarget } from './what-if.js';

/**
 * recommendedContent as if a scenario were made. A cell the scenario does
 * not touch is ranked as usual. A touched one is ranked here, in memory,
 * over the cell's target rows (one statement) with the scenario's rows
 * taken away and added, by the rules of the ranking statement
 * (recommendations/ranking.ts): live rows only, the asked locale when
 * anything live is in it, a piece at its nearest tier, then priority,
 * engagement in the cell (one more statement), freshness and id, all descending; the pipeline counted only for an empty
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
  const engagementOf = await cellEngagement(database, workspaceId, cell);
  const ranked = [...best.values()]
    .map((t) => ({ ...t, engagement: engagementOf(t.pieceId) }))
    .sort(
      (a, b) =>
        a.depth - b.depth ||
        b.priority - a.priority ||
        b.engagement - a.engagement ||
        b.freshAt.getTime() - a.freshAt.getTime() ||
        (a.pieceId < b.pieceId ? 1 : a.pieceId > b.pieceId ? -1 : 0),
    );
  const found = ranked.slice(offset, offset + limit + 1);
  const page = found.slice(0, limit);
  const pipeline = rows.filter((t) => t.status === 'IDEA' || t.status === 'DRAFT' || t.status === 'IN_REVIEW' || t.status === 'SCHEDULED');
  const pieces = await piecesOf(database, workspaceId, found.map((t) => t.pieceId), whatIf);
  const rankedPiece = (t: (typeof found)[number]) => ({ piece: pieces.get(t.pieceId) as ContentPiece, depth: t.depth === GENERIC ? null : t.depth, engagement: t.engagement });
  const total = count(shown);
  return {
    total: options.count ? total : null,
    // As the statement: without a count, only an empty first page says nothing is live.
    empty: (options.count && total === 0) || (offset === 0 && found.length === 0),
    localeFallback: locale !== null && !matching && live.length > 0,
    planned: offset === 0 && found.length === 0 ? count(pipeline) : 0,
    nextChange: null,
    page: page.map(rankedPiece),
    // The piece after the page: whether engagement decided the last one's place.
    next: found.length > limit ? rankedPiece(found[limit] as (typeof found)[number]) : null,
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

/**
 * Each piece's smoothed engagement in the cell, from its InteractionTotal
 * rows as the ranking statement reads them (recommendations/engagement.ts):
 * interactions belong to the pieces, so a scenario does not change them.
 */
async function cellEngagement(database: Database, workspaceId: string, cell: Cell): Promise<(pieceId: string) => number> {
  const rows = await database.query<{ pieceId: string; impressions: unknown; engaged: unknown }>(Prisma.sql`
    SELECT i."pieceId", i.impressions, ${engagedSql('i')} AS engaged FROM "InteractionTotal" i
     WHERE i."workspaceId" = ${workspaceId} AND i."segmentId" = ${cell.chain[0]?.id ?? ''} AND i."phaseId" = ${cell.phase.id} AND i."channelId" = ${cell.channel.id}`);
  const totals = new Map(rows.map((row) => [row.pieceId, { impressions: Number(row.impressions), engaged: Number(row.engaged) }]));
  const impressions = [...totals.values()].reduce((sum, t) => sum + t.impressions, 0);
  const mean = impressions > 0 ? [...totals.values()].reduce((sum, t) => sum + t.engaged, 0) / impressions : 0;
  return (pieceId) => {
    const own = totals.get(pieceId);
    return smoothedEngagement(own?.engaged ?? 0, own?.impressions ?? 0, mean);
  };
}

/** The page's pieces, with the fields the scenario changes as it changes them. */
async function piecesOf(database: Database, workspaceId: string, ids: string[], whatIf: WhatIf): Promise<Map<string, ContentPiece>> {
  if (!ids.length) return new Map();
  const pieces = await database.reader.contentPiece.findMany({ where: { workspaceId, id: { in: ids } } });
  return new Map(pieces.map((piece) => [piece.id, { ...piece, ...(whatIf.changed.get(piece.id) ?? {}) }]));
}

import { Prisma } from '../generated/sqlite/client.js';
import type { ContentPiece } from '../generated/sqlite/client.js';
import type { Db } from '../db/client.js';
import { rawContentPiece } from '../db/raw.js';
import type { Cell } from './cell.js';

/**
 * Ranking over the ContentTarget read model. For the cell's phase and
 * channel, each segment of the chain (the asked segment, then its
 * ancestors) and the generic pieces ('' segment) form one tier, and each
 * tier is one range of the ranking index, already in rank order: priority,
 * then freshness (publishAt, else last update), then id, all descending.
 * So a page reads the first rows of each tier and stops, and counting reads
 * index entries only: the cost follows the cell, not the workspace.
 */

/** A live piece for the cell, with what its rank rests on. */
export interface RankedPiece {
  piece: ContentPiece;
  /** 0 = targeted at the segment itself, n = at its n-th ancestor, null = generic. */
  depth: number | null;
}

export interface CellCount {
  /** Live pieces for the cell (in the asked locale when some match it). */
  total: number;
  /** True when a locale was asked for and no live piece is in it. */
  localeFallback: boolean;
}

interface Options {
  at: Date;
  /** Lower-cased; null when no locale was asked for. */
  locale: string | null;
}

/** One statement: how many live pieces the cell has, in all and in the locale. */
export async function countLive(db: Db, cell: Cell, options: Options): Promise<CellCount> {
  const live = liveRows(cell, options.at);
  const targeted = Prisma.join(cell.chain.map((s) => s.id));
  const inLocale = Prisma.sql`AND lower(t.locale) = ${options.locale ?? ''}`;
  const [row] = await db.$queryRaw<{ generic: Count; targeted: Count; genericInLocale: Count; targetedInLocale: Count }[]>(Prisma.sql`
    SELECT
      (SELECT COUNT(*) FROM "ContentTarget" t WHERE ${live} AND t."segmentId" = '') AS generic,
      (SELECT COUNT(DISTINCT t."pieceId") FROM "ContentTarget" t WHERE ${live} AND t."segmentId" IN (${targeted})) AS targeted,
      (SELECT COUNT(*) FROM "ContentTarget" t WHERE ${live} AND t."segmentId" = '' ${inLocale}) AS "genericInLocale",
      (SELECT COUNT(DISTINCT t."pieceId") FROM "ContentTarget" t WHERE ${live} AND t."segmentId" IN (${targeted}) ${inLocale}) AS "targetedInLocale"
  `);
  const all = Number(row?.generic ?? 0) + Number(row?.targeted ?? 0);
  const matching = Number(row?.genericInLocale ?? 0) + Number(row?.targetedInLocale ?? 0);
  if (options.locale === null) return { total: all, localeFallback: false };
  return matching > 0 ? { total: matching, localeFallback: false } : { total: all, localeFallback: all > 0 };
}

/**
 * One statement: the page [offset, offset + limit) of the ranking. Each tier
 * contributes its first offset + limit rows; a piece targeted at several
 * segments of the chain keeps its nearest tier. That is enough: the rows a
 * tier loses to nearer tiers are already ranked ahead of it.
 */
export async function rankedPage(
  db: Db,
  workspaceId: string,
  cell: Cell,
  options: Options & { inLocaleOnly: boolean; limit: number; offset: number },
): Promise<RankedPiece[]> {
  const live = liveRows(cell, options.at);
  const locale = options.inLocaleOnly ? Prisma.sql`AND lower(t.locale) = ${options.locale ?? ''}` : Prisma.empty;
  const take = options.offset + options.limit;
  const tiers = [...cell.chain.map((s) => ({ segmentId: s.id, depth: s.depth })), { segmentId: '', depth: GENERIC_DEPTH }];
  const heads = tiers.map(
    (tier, i) => Prisma.sql`SELECT * FROM (
      SELECT t."pieceId", ${Prisma.raw(String(tier.depth))} AS depth, t.priority, t."freshAt" FROM "ContentTarget" t
       WHERE ${live} AND t."segmentId" = ${tier.segmentId} ${locale}
       ORDER BY t.priority DESC, t."freshAt" DESC, t."pieceId" DESC LIMIT ${take}
    ) AS ${Prisma.raw(`tier${i}`)}`,
  );
  const rows = await db.$queryRaw<(ContentPiece & { depth: Count })[]>(Prisma.sql`
    WITH heads AS (${Prisma.join(heads, ' UNION ALL ')}),
    ranked AS (
      SELECT "pieceId", MIN(depth) AS depth, MAX(priority) AS priority, MAX("freshAt") AS "freshAt" FROM heads GROUP BY "pieceId"
       ORDER BY MIN(depth) ASC, MAX(priority) DESC, MAX("freshAt") DESC, "pieceId" DESC
       LIMIT ${options.limit} OFFSET ${options.offset}
    )
    SELECT p.*, r.depth FROM ranked r JOIN "ContentPiece" p ON p.id = r."pieceId" AND p."workspaceId" = ${workspaceId}
     ORDER BY r.depth ASC, r.priority DESC, r."freshAt" DESC, r."pieceId" DESC
  `);
  return rows.map(({ depth, ...piece }) => ({ piece: rawContentPiece(piece), depth: Number(depth) === GENERIC_DEPTH ? null : Number(depth) }));
}

type Count = number | bigint;

const GENERIC_DEPTH = 1_000_000;

/** The cell's live rows: the leading columns of the ranking index, then the live window. */
function liveRows(cell: Cell, at: Date): Prisma.Sql {
  return Prisma.sql`t."phaseId" = ${cell.phase.id} AND t."channelId" = ${cell.channel.id} AND t.status = 'PUBLISHED'
    AND (t."publishAt" IS NULL OR t."publishAt" <= ${at}) AND (t."expiresAt" IS NULL OR t."expiresAt" > ${at})`;
}

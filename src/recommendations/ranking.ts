import { Prisma } from '../generated/sqlite/client.js';
import type { ContentPiece } from '../generated/sqlite/client.js';
import type { Db } from '../db/client.js';
import type { Cell } from './cell.js';

/** A live piece for the cell, with what its rank rests on. */
export interface RankedPiece {
  piece: ContentPiece;
  /** 0 = targeted at the segment itself, n = at its n-th ancestor, null = generic. */
  depth: number | null;
  localeMatch: boolean;
}

export interface RankedPage {
  pieces: RankedPiece[];
  /** All matching pieces, across pages; null when the page is past the end. */
  total: number | null;
  /** True when a locale was asked for and nothing in it matched. */
  localeFallback: boolean;
}

const GENERIC_DEPTH = 1_000_000;

/**
 * One statement over the ContentTarget read model: for the cell's phase and
 * channel, one index range per segment of the chain (the segment, its
 * ancestors) and one for generic pieces, keeping live rows only. Ranked by
 * specificity (nearer first), then priority, then freshness (publishAt,
 * else last update), with the id as the final tie-break so pages are
 * stable. With a locale, only pieces in it are returned, unless none are:
 * then all, as a fallback. Only the page's rows are joined to their pieces.
 */
export async function rankedPieces(
  db: Db,
  workspaceId: string,
  cell: Cell,
  options: { at: Date; locale: string | null; limit: number; offset: number },
): Promise<RankedPage> {
  const tiers = [Prisma.sql`('', ${Prisma.raw(String(GENERIC_DEPTH))})`, ...cell.chain.map((s) => Prisma.sql`(${s.id}, ${Prisma.raw(String(s.depth))})`)];
  const locale = options.locale ?? '';
  const rows = await db.$queryRaw<(ContentPiece & { depth: number | bigint; localeMatch: number | bigint; matched: number | bigint | null; total: number | bigint })[]>(Prisma.sql`
    WITH chain("segmentId", depth) AS (VALUES ${Prisma.join(tiers)}),
    hits AS (
      SELECT t."pieceId", MIN(c.depth) AS depth, MAX(t.priority) AS priority, MAX(t."freshAt") AS "freshAt",
             MAX(CASE WHEN ${locale} <> '' AND lower(t.locale) = lower(${locale}) THEN 1 ELSE 0 END) AS "localeMatch"
        FROM chain c CROSS JOIN "ContentTarget" t
       WHERE t."phaseId" = ${cell.phase.id} AND t."channelId" = ${cell.channel.id} AND t."segmentId" = c."segmentId"
         AND t.status = 'PUBLISHED'
         AND (t."publishAt" IS NULL OR t."publishAt" <= ${options.at})
         AND (t."expiresAt" IS NULL OR t."expiresAt" > ${options.at})
       GROUP BY t."pieceId"
    ),
    matching AS (SELECT h.*, SUM(h."localeMatch") OVER () AS matched FROM hits h),
    visible AS (SELECT v.* FROM matching v WHERE ${locale} = '' OR v."localeMatch" = 1 OR v.matched = 0),
    page AS (
      SELECT r.*, COUNT(*) OVER () AS total FROM visible r
       ORDER BY r.depth ASC, r.priority DESC, r."freshAt" DESC, r."pieceId" ASC
       LIMIT ${options.limit} OFFSET ${options.offset}
    )
    SELECT p.*, page.depth, page."localeMatch", page.matched, page.total
      FROM page JOIN "ContentPiece" p ON p.id = page."pieceId" AND p."workspaceId" = ${workspaceId}
     ORDER BY page.depth ASC, page.priority DESC, page."freshAt" DESC, page."pieceId" ASC
  `);
  const first = rows[0];
  return {
    pieces: rows.map(({ depth, localeMatch, matched: _m, total: _t, ...piece }) => ({
      piece: normalisePiece(piece),
      depth: Number(depth) === GENERIC_DEPTH ? null : Number(depth),
      localeMatch: Number(localeMatch) === 1,
    })),
    total: first ? Number(first.total) : options.offset === 0 ? 0 : null,
    localeFallback: options.locale !== null && first !== undefined && Number(first.matched ?? 0) === 0,
  };
}

/** Raw rows carry the database's own types: dates as Date or epoch numbers. */
function normalisePiece(row: ContentPiece): ContentPiece {
  const date = (v: unknown) => (v === null || v === undefined ? null : new Date(typeof v === 'bigint' ? Number(v) : (v as string | number | Date)));
  return {
    ...row,
    priority: Number(row.priority),
    publishAt: date(row.publishAt),
    expiresAt: date(row.expiresAt),
    reviewAt: date(row.reviewAt),
    createdAt: date(row.createdAt) as Date,
    updatedAt: date(row.updatedAt) as Date,
  };
}

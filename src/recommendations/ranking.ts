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
 * One statement: the live pieces targeting the cell's phase and channel, for
 * the segment, an ancestor or everyone, ranked by specificity (nearer
 * first), then priority, then freshness (publishAt, else last update), with
 * the id as the final tie-break so pages are stable. With a locale, only
 * pieces in it are returned, unless none are: then all, as a fallback.
 * Top-N happens in SQL. The candidates are read from the phase's and the
 * channel's link indexes (CROSS JOIN fixes that order on SQLite, whose
 * planner would otherwise scan every published piece of the workspace).
 */
export async function rankedPieces(
  db: Db,
  workspaceId: string,
  cell: Cell,
  options: { at: Date; locale: string | null; limit: number; offset: number },
): Promise<RankedPage> {
  const chain = Prisma.join(cell.chain.map((s) => Prisma.sql`(${s.id}, ${Prisma.raw(String(s.depth))})`));
  const locale = options.locale ?? '';
  const rows = await db.$queryRaw<(ContentPiece & { depth: number | bigint; localeMatch: number | bigint; matched: number | bigint | null; total: number | bigint })[]>(Prisma.sql`
    WITH chain("segmentId", depth) AS (VALUES ${chain}),
    candidates AS (
      SELECT p.*,
        CASE WHEN NOT EXISTS (SELECT 1 FROM "ContentSegment" g WHERE g."pieceId" = p.id) THEN ${GENERIC_DEPTH}
             ELSE (SELECT MIN(c.depth) FROM "ContentSegment" t JOIN chain c ON c."segmentId" = t."segmentId" WHERE t."pieceId" = p.id)
        END AS depth,
        CASE WHEN ${locale} <> '' AND lower(p.locale) = lower(${locale}) THEN 1 ELSE 0 END AS "localeMatch"
      FROM "ContentPhase" cp
      CROSS JOIN "ContentChannel" cc
      CROSS JOIN "ContentPiece" p
      WHERE cp."phaseId" = ${cell.phase.id} AND cc."pieceId" = cp."pieceId" AND cc."channelId" = ${cell.channel.id}
        AND p.id = cp."pieceId" AND p."workspaceId" = ${workspaceId} AND p.status = 'PUBLISHED'
        AND (p."publishAt" IS NULL OR p."publishAt" <= ${options.at})
        AND (p."expiresAt" IS NULL OR p."expiresAt" > ${options.at})
    ),
    matching AS (SELECT m.*, SUM(m."localeMatch") OVER () AS matched FROM candidates m WHERE m.depth IS NOT NULL),
    visible AS (SELECT v.* FROM matching v WHERE ${locale} = '' OR v."localeMatch" = 1 OR v.matched = 0)
    SELECT r.*, COUNT(*) OVER () AS total FROM visible r
    ORDER BY r.depth ASC, r.priority DESC, COALESCE(r."publishAt", r."updatedAt") DESC, r.id ASC
    LIMIT ${options.limit} OFFSET ${options.offset}
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

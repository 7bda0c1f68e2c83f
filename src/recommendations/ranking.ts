import { Prisma } from '../generated/sqlite/client.js';
import type { ContentPiece } from '../generated/sqlite/client.js';
import type { Database } from '../db/client.js';
import { rawContentPiece, rawDate } from '../db/raw.js';
import type { Cell } from './cell.js';

/**
 * Ranking over the ContentTarget read model, in one statement. The cell's
 * rows are one index range per segment of the chain (the asked segment,
 * then its ancestors) and one for the generic pieces ('' segment); a piece
 * keeps its nearest tier, and the order within a tier is priority, then
 * freshness (publishAt, else last update), then id, all descending. The
 * same statement counts the live pieces (in all and in the asked locale)
 * and the planned ones, and finds the next instant the cell's answer can
 * change by time alone, so a recommendation is one round trip whatever it
 * finds, and its cost follows the cell, not the workspace.
 */

/** A live piece for the cell, with what its rank rests on. */
export interface RankedPiece {
  piece: ContentPiece;
  /** 0 = targeted at the segment itself, n = at its n-th ancestor, null = generic. */
  depth: number | null;
}

export interface CellRanking {
  /** Live pieces for the cell, in the asked locale when some match it. */
  total: number;
  /** True when a locale was asked for and no live piece is in it. */
  localeFallback: boolean;
  /** Pieces for the cell in the pipeline (IDEA to SCHEDULED). */
  planned: number;
  /** The next instant after `at` at which a published piece of the cell goes live or expires; null if none. */
  nextChange: Date | null;
  /** The page asked for, best first. */
  page: RankedPiece[];
}

interface Options {
  at: Date;
  /** Lower-cased; null when no locale was asked for. */
  locale: string | null;
  limit: number;
  offset: number;
}

interface Row {
  total: Count;
  matching: Count;
  planned: Count;
  nextPublish: unknown;
  nextExpiry: unknown;
  rankDepth: Count | null;
  id: string | null;
}

type Count = number | bigint | string;

const GENERIC_DEPTH = 1_000_000;

export async function rankCell(database: Database, workspaceId: string, cell: Cell, options: Options): Promise<CellRanking> {
  const rows = await database.query<Row & ContentPiece>(rankingSql(workspaceId, cell, options));
  const [first] = rows;
  const all = Number(first?.total ?? 0);
  const matching = Number(first?.matching ?? 0);
  const localeFallback = options.locale !== null && matching === 0 && all > 0;
  return {
    total: options.locale !== null && matching > 0 ? matching : all,
    localeFallback,
    planned: Number(first?.planned ?? 0),
    nextChange: earliest(rawDate(first?.nextPublish), rawDate(first?.nextExpiry)),
    page: rows
      .filter((row) => row.id !== null)
      .map(({ total: _t, matching: _m, planned: _p, nextPublish: _n, nextExpiry: _e, rankDepth, ...piece }) => ({
        piece: rawContentPiece(piece as ContentPiece),
        depth: Number(rankDepth) === GENERIC_DEPTH ? null : Number(rankDepth),
      })),
  };
}

function rankingSql(workspaceId: string, cell: Cell, { at, locale, limit, offset }: Options): Prisma.Sql {
  const segments = Prisma.join([...cell.chain.map((s) => s.id), '']);
  // Depths are written as numbers, not parameters: PostgreSQL would type a parameter-only CASE as text.
  const depth = Prisma.sql`CASE t."segmentId" ${Prisma.join(cell.chain.map((s) => Prisma.sql`WHEN ${s.id} THEN ${Prisma.raw(String(s.depth))}`), ' ')} ELSE ${Prisma.raw(String(GENERIC_DEPTH))} END`;
  return Prisma.sql`
    WITH cell AS MATERIALIZED (
      SELECT t."pieceId", t.status, t.priority, t."freshAt", t."publishAt", t."expiresAt",
             CASE WHEN lower(t.locale) = ${locale ?? ''} THEN 1 ELSE 0 END AS "inLocale", ${depth} AS depth
        FROM "ContentTarget" t
       WHERE t."phaseId" = ${cell.phase.id} AND t."channelId" = ${cell.channel.id} AND t."segmentId" IN (${segments})
    ),
    live AS MATERIALIZED (
      SELECT "pieceId", MIN(depth) AS depth, MAX(priority) AS priority, MAX("freshAt") AS "freshAt", MAX("inLocale") AS "inLocale"
        FROM cell
       WHERE status = 'PUBLISHED' AND ("publishAt" IS NULL OR "publishAt" <= ${at}) AND ("expiresAt" IS NULL OR "expiresAt" > ${at})
       GROUP BY "pieceId"
    ),
    summary AS (
      SELECT COUNT(*) AS total, COALESCE(SUM("inLocale"), 0) AS matching,
             (SELECT COUNT(DISTINCT "pieceId") FROM cell WHERE status IN ('IDEA', 'DRAFT', 'IN_REVIEW', 'SCHEDULED')) AS planned,
             (SELECT MIN("publishAt") FROM cell WHERE status = 'PUBLISHED' AND "publishAt" > ${at}) AS "nextPublish",
             (SELECT MIN("expiresAt") FROM cell WHERE status = 'PUBLISHED' AND "expiresAt" > ${at}) AS "nextExpiry"
        FROM live
    ),
    page AS (
      SELECT live."pieceId", live.depth, live.priority, live."freshAt"
        FROM live, summary
       WHERE summary.matching = 0 OR live."inLocale" = 1
       ORDER BY live.depth ASC, live.priority DESC, live."freshAt" DESC, live."pieceId" DESC
       LIMIT ${limit} OFFSET ${offset}
    )
    SELECT summary.total, summary.matching, summary.planned, summary."nextPublish", summary."nextExpiry", page.depth AS "rankDepth", p.*
      FROM summary
      LEFT JOIN page ON 1 = 1
      LEFT JOIN "ContentPiece" p ON p.id = page."pieceId" AND p."workspaceId" = ${workspaceId}
     ORDER BY page.depth ASC, page.priority DESC, page."freshAt" DESC, page."pieceId" DESC`;
}

function earliest(a: Date | null, b: Date | null): Date | null {
  if (!a || !b) return a ?? b;
  return a.getTime() <= b.getTime() ? a : b;
}

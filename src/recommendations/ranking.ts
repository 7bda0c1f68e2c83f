import { Prisma } from '../generated/sqlite/client.js';
import type { ContentPiece } from '../generated/sqlite/client.js';
import type { Database } from '../db/client.js';
import { rawContentPiece, rawDate } from '../db/raw.js';
import type { Cell } from './cell.js';
import { engagedSql, PRIOR_IMPRESSIONS } from './engagement.js';

/**
 * Ranking over the ContentTarget read model, in one statement. The cell's
 * rows are one index range per segment of the chain (the asked segment,
 * then its ancestors) and one for the generic pieces ('' segment); a piece
 * keeps its nearest tier, and the order within a tier is priority, then
 * engagement in the cell (recommendations/engagement.ts, from the
 * InteractionTotal roll-up), then freshness (publishAt, else last update),
 * then id, all descending. The
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
  /** The smoothed engagement rate in the cell (the cell's mean for a piece without interactions there). */
  engagement: number;
}

export interface CellRanking {
  /** Live pieces for the cell, in the asked locale when some match it; null when not counted. */
  total: number | null;
  /** Nothing is live in the cell. */
  empty: boolean;
  /** True when a locale was asked for and no live piece is in it. */
  localeFallback: boolean;
  /** Pieces for the cell in the pipeline (IDEA to SCHEDULED), counted only when nothing is live (then for the gap). */
  planned: number;
  /** The next instant after `at` at which a published piece of the cell goes live or expires (when asked for); null if none. */
  nextChange: Date | null;
  /** The page asked for, best first. */
  page: RankedPiece[];
  /** The piece right after the page, if any: what the last piece of the page was ranked against. */
  next: RankedPiece | null;
  /** Whether more pieces follow the page. */
  hasNextPage: boolean;
}

export interface Options {
  at: Date;
  /** Lower-cased; null when no locale was asked for. */
  locale: string | null;
  limit: number;
  offset: number;
  /** Count the live pieces (totalCount): a scan of the cell's live rows, skipped when nobody asks. */
  count: boolean;
  /** Find the next publish or expiry (for a cache): a scan of the cell's published rows. */
  timed: boolean;
}

interface Row {
  total: Count | null;
  matching: Count;
  planned: Count;
  genericPublish: unknown;
  targetedPublish: unknown;
  genericExpiry: unknown;
  targetedExpiry: unknown;
  rankDepth: Count | null;
  rankEngagement: number | string | null;
  id: string | null;
}

type Count = number | bigint | string;

const GENERIC_DEPTH = 1_000_000;
/** Below any priority a piece can have (a 32-bit integer column). */
const LOWEST_PRIORITY = -2_147_483_648;

export async function rankCell(database: Database, workspaceId: string, cell: Cell, options: Options): Promise<CellRanking> {
  // One more than the page: whether more follow, without counting. Prepared: the text varies only with
  // the chain's length and whether a count, the next change and a locale are asked, a handful of forms.
  const rows = await database.query<Row & ContentPiece>(rankingSql(workspaceId, cell, { ...options, limit: options.limit + 1 }), { prepared: true });
  const [first] = rows;
  const found = rows.filter((row) => row.id !== null);
  const matching = Number(first?.matching ?? 0) > 0;
  const total = first?.total === null || first?.total === undefined ? null : Number(first.total);
  // Nothing live at all: known from the count, or from an empty first page.
  const empty = total === 0 || (options.offset === 0 && found.length === 0);
  const instants = [first?.genericPublish, first?.targetedPublish, first?.genericExpiry, first?.targetedExpiry].map(rawDate).filter((d): d is Date => d !== null);
  return {
    total,
    empty,
    localeFallback: options.locale !== null && !matching && !empty,
    planned: Number(first?.planned ?? 0),
    nextChange: instants.length ? new Date(Math.min(...instants.map((d) => d.getTime()))) : null,
    page: found.slice(0, options.limit).map(ranked),
    next: found.length > options.limit ? ranked(found[options.limit] as Row & ContentPiece) : null,
    hasNextPage: found.length > options.limit,
  };
}

function ranked(row: Row & ContentPiece): RankedPiece {
  return { piece: rawContentPiece(pieceOf(row)), depth: Number(row.rankDepth) === GENERIC_DEPTH ? null : Number(row.rankDepth), engagement: Number(row.rankEngagement ?? 0) };
}

/**
 * The statement. Counts are per tier kind: a generic piece has no segment,
 * so it sits in the '' tier only and is counted by rows; a targeted piece
 * may sit in several tiers of the chain and is counted once.
 *
 * The page's candidates are, per tier, its live rows (in the asked locale
 * when anything live is in it) whose priority reaches that of the tier's
 * (offset + limit)-th row in index order: one short index range. A row
 * below that priority has offset + limit pieces of higher priority at its
 * depth or nearer ahead of it, whatever the engagement, so it cannot reach
 * the page; a row ranked at too deep a tier (its nearer row fell below that
 * tier's bar) likewise has that many candidates ahead of it. So the page and
 * the piece after it come out as if every live piece were ranked, with and
 * without interactions, and a piece keeps its nearest tier. Ties at the bar
 * priority all join: only engagement can order them.
 *
 * Engagement comes from the cell's sums (InteractionCell, one row: the
 * mean) and each candidate's own InteractionTotal row (seeks in the
 * engagement index), in the same statement. A piece without interactions in
 * the cell sits at the mean.
 */
function rankingSql(workspaceId: string, cell: Cell, { at, locale, limit, offset, count, timed }: Options): Prisma.Sql {
  const chain = Prisma.join(cell.chain.map((s) => s.id));
  const inCell = Prisma.sql`t."phaseId" = ${cell.phase.id} AND t."channelId" = ${cell.channel.id}`;
  const live = Prisma.sql`(t."publishAt" IS NULL OR t."publishAt" <= ${at}) AND (t."expiresAt" IS NULL OR t."expiresAt" > ${at})`;
  const inLocale = Prisma.sql`lower(t.locale) = ${locale ?? ''}`;
  const tiers = [...cell.chain.map((s) => ({ id: s.id, depth: s.depth })), { id: '', depth: GENERIC_DEPTH }];
  // One pass over a tier kind's published rows, for whichever of the count and the next change is asked for.
  const aggregates = (tier: Prisma.Sql, distinct: string) =>
    count || timed
      ? Prisma.sql`SELECT
          ${count ? Prisma.sql`COUNT(${Prisma.raw(distinct)}CASE WHEN ${live} THEN t."pieceId" END)` : Prisma.sql`CAST(NULL AS INTEGER)`} AS live,
          ${timed ? Prisma.sql`MIN(CASE WHEN t."publishAt" > ${at} THEN t."publishAt" END)` : Prisma.sql`NULL`} AS "nextPublish",
          ${timed ? Prisma.sql`MIN(CASE WHEN t."expiresAt" > ${at} THEN t."expiresAt" END)` : Prisma.sql`NULL`} AS "nextExpiry"
          FROM "ContentTarget" t WHERE ${inCell} AND ${tier} AND t.status = 'PUBLISHED'`
      : Prisma.sql`SELECT CAST(NULL AS INTEGER) AS live, NULL AS "nextPublish", NULL AS "nextExpiry"`;
  // Whether anything live is in the asked locale: then only such pieces count and show.
  const matching = locale === null ? Prisma.sql`1 = 0` : Prisma.sql`EXISTS (SELECT 1 FROM "ContentTarget" t WHERE ${inCell} AND t."segmentId" IN (${chain}, '') AND t.status = 'PUBLISHED' AND ${live} AND ${inLocale})`;
  const counted = (tier: Prisma.Sql, distinct: string) =>
    Prisma.sql`(SELECT COUNT(${Prisma.raw(distinct)}t."pieceId") FROM "ContentTarget" t WHERE ${inCell} AND ${tier} AND t.status = 'PUBLISHED' AND ${live} AND ${inLocale})`;
  const inLocaleTotal = Prisma.sql`${counted(Prisma.sql`t."segmentId" = ''`, '')} + ${counted(Prisma.sql`t."segmentId" IN (${chain})`, 'DISTINCT ')}`;
  const pipeline = (tier: Prisma.Sql, distinct: string) =>
    Prisma.sql`(SELECT COUNT(${Prisma.raw(distinct)}t."pieceId") FROM "ContentTarget" t WHERE ${inCell} AND ${tier} AND t.status IN ('IDEA', 'DRAFT', 'IN_REVIEW', 'SCHEDULED'))`;
  const asked = cell.chain[0]?.id ?? '';
  const interactionsInCell = Prisma.sql`i."workspaceId" = ${workspaceId} AND i."segmentId" = ${asked} AND i."phaseId" = ${cell.phase.id} AND i."channelId" = ${cell.channel.id}`;
  // A tier's live rows, in the asked locale when anything live is in it.
  const shown = (tier: string) => Prisma.sql`${inCell} AND t."segmentId" = ${tier} AND t.status = 'PUBLISHED' AND ${live} AND ((SELECT matching FROM summary) = 0 OR ${inLocale})`;
  const inIndexOrder = Prisma.sql`ORDER BY t.priority DESC, t."freshAt" DESC, t."pieceId" DESC`;
  // The priority of a tier's (offset + limit)-th row in index order (the lowest priority when it has fewer).
  const cutoff = (tier: string) =>
    Prisma.sql`COALESCE((SELECT t.priority FROM "ContentTarget" t WHERE ${shown(tier)} ${inIndexOrder} LIMIT 1 OFFSET ${Math.max(0, offset + limit - 1)}), ${Prisma.raw(String(LOWEST_PRIORITY))})`;
  // Per tier: its first offset + limit rows, enough while nothing engages in the cell (every piece at
  // the mean); once something does, every row whose priority reaches the bar (skipped before otherwise).
  const heads = tiers.map(
    (tier, i) => Prisma.sql`SELECT * FROM (SELECT t."pieceId", ${Prisma.raw(String(tier.depth))} AS depth, t.priority, t."freshAt" FROM "ContentTarget" t
       WHERE ${shown(tier.id)} ${inIndexOrder} LIMIT ${offset + limit}) AS ${Prisma.raw(`head${i}`)}
      UNION ALL
      SELECT t."pieceId", ${Prisma.raw(String(tier.depth))} AS depth, t.priority, t."freshAt" FROM "ContentTarget" t
       WHERE (SELECT measured FROM rate) > 0 AND ${shown(tier.id)} AND t.priority >= ${cutoff(tier.id)}`,
  );
  // Whether anything was measured in the cell (else every piece sits at the mean), and Σ engaged / Σ impressions
  // as a float on both databases (0 without impressions): one row, the cell's sums kept at ingest.
  const cellRate = Prisma.sql`SELECT COUNT(*) AS measured, CASE WHEN SUM(i.impressions) > 0 THEN CAST(SUM(${engagedSql('i')}) AS DOUBLE PRECISION) / SUM(i.impressions) ELSE 0.0 END AS mean
      FROM "InteractionCell" i WHERE ${interactionsInCell} AND i.impressions + ${engagedSql('i')} > 0`;
  const prior = Prisma.raw(`${PRIOR_IMPRESSIONS}.0`);
  // A candidate's own roll-up, one index seek each: as a join, PostgreSQL's kept generic plan hashed
  // every roll-up of the cell (~1,400 with one per piece) for a page's few dozen candidates.
  const ownTotal = (column: Prisma.Sql) => Prisma.sql`(SELECT ${column} FROM "InteractionTotal" i WHERE ${interactionsInCell} AND i."pieceId" = h."pieceId")`;
  // Depths are written as numbers: PostgreSQL would type a parameter-only column as text.
  return Prisma.sql`
    WITH generic AS (${aggregates(Prisma.sql`t."segmentId" = ''`, '')}),
    targeted AS (${aggregates(Prisma.sql`t."segmentId" IN (${chain})`, 'DISTINCT ')}),
    summary AS MATERIALIZED (
      SELECT generic.live + targeted.live AS total, CASE WHEN ${matching} THEN 1 ELSE 0 END AS matching,
             generic."nextPublish" AS "genericPublish", targeted."nextPublish" AS "targetedPublish",
             generic."nextExpiry" AS "genericExpiry", targeted."nextExpiry" AS "targetedExpiry"
        FROM generic, targeted
    ),
    rate AS MATERIALIZED (${cellRate}),
    heads AS (${Prisma.join(heads, ' UNION ALL ')}),
    candidates AS (
      SELECT h."pieceId", h.depth, h.priority, h."freshAt",
             CAST((COALESCE(${ownTotal(engagedSql('i'))}, 0) + ${prior} * rate.mean) / (COALESCE(${ownTotal(Prisma.sql`i.impressions`)}, 0) + ${prior}) AS DOUBLE PRECISION) AS engagement
        FROM (SELECT "pieceId", MIN(depth) AS depth, MAX(priority) AS priority, MAX("freshAt") AS "freshAt" FROM heads GROUP BY "pieceId") AS h
       CROSS JOIN rate
    ),
    page AS (
      SELECT * FROM candidates
       ORDER BY depth ASC, priority DESC, engagement DESC, "freshAt" DESC, "pieceId" DESC
       LIMIT ${limit} OFFSET ${offset}
    )
    SELECT CASE WHEN summary.matching = 1 THEN ${count ? inLocaleTotal : Prisma.sql`NULL`} ELSE summary.total END AS total, summary.matching,
           CASE WHEN ${offset} = 0 AND NOT EXISTS (SELECT 1 FROM page) THEN ${pipeline(Prisma.sql`t."segmentId" = ''`, '')} + ${pipeline(Prisma.sql`t."segmentId" IN (${chain})`, 'DISTINCT ')} ELSE 0 END AS planned,
           summary."genericPublish", summary."targetedPublish", summary."genericExpiry", summary."targetedExpiry",
           page.depth AS "rankDepth", page.engagement AS "rankEngagement", p.*
      FROM summary
      LEFT JOIN page ON 1 = 1
      LEFT JOIN "ContentPiece" p ON p.id = page."pieceId" AND p."workspaceId" = ${workspaceId}
     ORDER BY page.depth ASC, page.priority DESC, page.engagement DESC, page."freshAt" DESC, page."pieceId" DESC`;
}

/** The piece's own columns of a row. */
function pieceOf(row: Row & ContentPiece): ContentPiece {
  const { total: _t, matching: _m, planned: _p, genericPublish: _gp, targetedPublish: _tp, genericExpiry: _ge, targetedExpiry: _te, rankDepth: _d, rankEngagement: _e, ...piece } = row;
  return piece as ContentPiece;
}

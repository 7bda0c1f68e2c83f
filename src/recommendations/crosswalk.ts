import { Prisma } from '../generated/sqlite/client.js';
import type { ContentPiece } from '../generated/sqlite/client.js';
import type { Database } from '../db/client.js';
import { rawContentPiece, rawDate } from '../db/raw.js';
import type { Catalog } from '../workspaces/catalog.js';
import type { Cell } from './cell.js';
import type { RankedPiece } from './ranking.js';

/**
 * The phase crosswalk: a workspace often runs several journey models whose
 * phases are the same kind of step under other names ("attention" in one,
 * "awareness" in another). When nothing live at all fits the asked cell in
 * the segment's own journey (no tier, no locale), a query that asks for it
 * gets the content tagged to the phases of the OTHER journey models with the
 * same archetype and the same scope, on the same channel, that is generic or
 * targeted at the asked segment or one of its ancestors. Content targeted at
 * segments of other journeys never crosses: it was made for another group.
 * The same ranking as in the own journey (segment tiers, priority,
 * freshness, the locale rule), in one statement.
 */

/** A phase of another journey model the crosswalk may take content from. */
export interface CrosswalkPhase {
  id: string;
  key: string;
  name: string;
  journeyKey: string;
}

/** A crosswalk piece: ranked like any other, and the phase it came through. */
export interface CrosswalkPiece extends RankedPiece {
  via: CrosswalkPhase;
}

export interface CrosswalkRanking {
  total: number;
  localeFallback: boolean;
  nextChange: Date | null;
  page: CrosswalkPiece[];
  hasNextPage: boolean;
}

interface Options {
  at: Date;
  locale: string | null;
  limit: number;
  offset: number;
  timed: boolean;
}

/**
 * The phases of the workspace's other journey models with the asked phase's
 * archetype and scope, by journey key, then position: the first one a piece
 * is tagged to is the one its reason names. From the catalog, no SQL.
 */
export function crosswalkPhases(catalog: Catalog, cell: Cell): CrosswalkPhase[] {
  const journeyKey = (id: string) => catalog.journeys.get(id)?.key ?? '';
  return [...catalog.phases.values()]
    .filter((p) => p.journeyId !== cell.journey.id && p.archetype === cell.phase.archetype && p.scope === cell.phase.scope)
    .sort((a, b) => journeyKey(a.journeyId).localeCompare(journeyKey(b.journeyId)) || a.position - b.position || a.key.localeCompare(b.key))
    .map((p) => ({ id: p.id, key: p.key, name: p.name, journeyKey: journeyKey(p.journeyId) }));
}

const GENERIC_DEPTH = 1_000_000;

interface Row {
  total: Count;
  matching: Count;
  nextPublish: unknown;
  nextExpiry: unknown;
  rankDepth: Count | null;
  rankVia: Count | null;
  id: string | null;
}
type Count = number | bigint | string;

/** One statement; the caller skips it when there are no crosswalk phases. */
export async function rankCrosswalk(database: Database, workspaceId: string, cell: Cell, phases: CrosswalkPhase[], options: Options): Promise<CrosswalkRanking> {
  const rows = await database.query<Row & ContentPiece>(crosswalkSql(workspaceId, cell, phases, { ...options, limit: options.limit + 1 }));
  const [first] = rows;
  const found = rows.filter((row) => row.id !== null);
  const total = Number(first?.total ?? 0);
  const instants = [first?.nextPublish, first?.nextExpiry].map(rawDate).filter((d): d is Date => d !== null);
  return {
    total,
    localeFallback: options.locale !== null && Number(first?.matching ?? 0) === 0 && total > 0,
    nextChange: instants.length ? new Date(Math.min(...instants.map((d) => d.getTime()))) : null,
    page: found.slice(0, options.limit).map((row) => ({
      piece: rawContentPiece(pieceOf(row)),
      depth: Number(row.rankDepth) === GENERIC_DEPTH ? null : Number(row.rankDepth),
      via: phases[Number(row.rankVia)] as CrosswalkPhase,
      // The crosswalk is ranked without engagement: it is recorded per cell, and these pieces are borrowed from others.
      engagement: 0,
    })),
    hasNextPage: found.length > options.limit,
  };
}

/**
 * A piece may sit in several tiers and several crosswalk phases: it keeps
 * its nearest tier and its first phase. With a locale asked, only pieces in
 * it count and show when any is live; else all, as a locale fallback.
 */
function crosswalkSql(workspaceId: string, cell: Cell, phases: CrosswalkPhase[], { at, locale, limit, offset, timed }: Options): Prisma.Sql {
  const chain = Prisma.join(cell.chain.map((s) => s.id));
  const rows = Prisma.sql`t."phaseId" IN (${Prisma.join(phases.map((p) => p.id))}) AND t."channelId" = ${cell.channel.id} AND t."segmentId" IN (${chain}, '') AND t.status = 'PUBLISHED'`;
  const live = Prisma.sql`(t."publishAt" IS NULL OR t."publishAt" <= ${at}) AND (t."expiresAt" IS NULL OR t."expiresAt" > ${at})`;
  // Numbers written out: PostgreSQL would type a parameter-only column as text.
  const depth = Prisma.sql`CASE t."segmentId" ${Prisma.join(cell.chain.map((s) => Prisma.sql`WHEN ${s.id} THEN ${Prisma.raw(String(s.depth))}`), ' ')} ELSE ${Prisma.raw(String(GENERIC_DEPTH))} END`;
  const via = Prisma.sql`CASE t."phaseId" ${Prisma.join(phases.map((p, i) => Prisma.sql`WHEN ${p.id} THEN ${Prisma.raw(String(i))}`), ' ')} END`;
  const inLocale = locale === null ? Prisma.sql`1 = 0` : Prisma.sql`lower(t.locale) = ${locale}`;
  const clock = timed
    ? Prisma.sql`SELECT MIN(CASE WHEN t."publishAt" > ${at} THEN t."publishAt" END) AS "nextPublish", MIN(CASE WHEN t."expiresAt" > ${at} THEN t."expiresAt" END) AS "nextExpiry" FROM "ContentTarget" t WHERE ${rows}`
    : Prisma.sql`SELECT NULL AS "nextPublish", NULL AS "nextExpiry"`;
  return Prisma.sql`
    WITH hits AS (
      SELECT t."pieceId", MIN(${depth}) AS depth, MIN(${via}) AS via, MAX(t.priority) AS priority, MAX(t."freshAt") AS "freshAt",
             MAX(CASE WHEN ${inLocale} THEN 1 ELSE 0 END) AS "inLocale"
        FROM "ContentTarget" t WHERE ${rows} AND ${live}
       GROUP BY t."pieceId"
    ),
    summary AS (SELECT COALESCE(MAX("inLocale"), 0) AS matching FROM hits),
    chosen AS (SELECT hits.* FROM hits, summary WHERE summary.matching = 0 OR hits."inLocale" = 1),
    page AS (SELECT * FROM chosen ORDER BY depth ASC, priority DESC, "freshAt" DESC, "pieceId" DESC LIMIT ${limit} OFFSET ${offset}),
    clock AS (${clock})
    SELECT (SELECT COUNT(*) FROM chosen) AS total, summary.matching, clock."nextPublish", clock."nextExpiry",
           page.depth AS "rankDepth", page.via AS "rankVia", p.*
      FROM summary CROSS JOIN clock
      LEFT JOIN page ON 1 = 1
      LEFT JOIN "ContentPiece" p ON p.id = page."pieceId" AND p."workspaceId" = ${workspaceId}
     ORDER BY page.depth ASC, page.priority DESC, page."freshAt" DESC, page."pieceId" DESC`;
}

function pieceOf(row: Row & ContentPiece): ContentPiece {
  const { total: _t, matching: _m, nextPublish: _np, nextExpiry: _ne, rankDepth: _d, rankVia: _v, ...piece } = row;
  return piece as ContentPiece;
}

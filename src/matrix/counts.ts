import { Prisma } from '../generated/sqlite/client.js';
import type { Db } from '../db/client.js';

/**
 * The matrix's one aggregate statement: over the ContentTarget read model
 * (one row per piece × phase × channel × segment, '' for generic pieces),
 * GROUP BY (segment, phase, channel) with the count per status and the live
 * counts the cell status needs. Freshness needs the pieces' reviewAt and
 * updatedAt, which the read model does not carry: a subquery over
 * ContentPiece's indexes gives the stale pieces as one set. The database
 * does the counting; the caller adds the generic ('' segment) group to each
 * segment row.
 */
export interface CountParams {
  workspaceId: string;
  at: Date;
  /** Live pieces last updated at or before this instant (and without reviewAt) are stale. */
  freshSince: Date;
  /** at + the expiry look-ahead: the end of the window EXPIRING looks into. */
  horizon: Date;
  segmentIds: string[];
  phaseIds: string[];
  channelIds: string[];
}

export interface TargetCounts {
  segmentId: string;
  phaseId: string;
  channelId: string;
  idea: number;
  draft: number;
  inReview: number;
  scheduled: number;
  published: number;
  archived: number;
  /** Live at `at`. */
  live: number;
  /** Live and fresh: reviewAt after `at`, or without reviewAt updated after `freshSince`. */
  liveFresh: number;
  /**
   * Live at the end of the look-ahead window: PUBLISHED (or SCHEDULED with a
   * publishAt) by then and not expired by then. Live pieces that last, plus
   * the ones that replace the expiring ones.
   */
  liveAtHorizon: number;
}

type Raw = Record<Exclude<keyof TargetCounts, 'liveFresh'> | 'liveStale', string | number | bigint>;

export async function countTargets(db: Db, params: CountParams): Promise<TargetCounts[]> {
  if (!params.phaseIds.length || !params.channelIds.length) return [];
  const { at, horizon, freshSince } = params;
  const live = Prisma.sql`t.status = 'PUBLISHED' AND (t."publishAt" IS NULL OR t."publishAt" <= ${at}) AND (t."expiresAt" IS NULL OR t."expiresAt" > ${at})`;
  // Stale live pieces, as one set the database builds once (from the reviewAt and updatedAt indexes)
  // and probes per row: far cheaper than fetching every targeted piece by its key.
  const stale = Prisma.sql`t."pieceId" IN (SELECT sp.id FROM "ContentPiece" sp WHERE sp."workspaceId" = ${params.workspaceId}
      AND (sp."reviewAt" <= ${at} OR (sp."reviewAt" IS NULL AND sp."updatedAt" <= ${freshSince})))`;
  const atHorizon = Prisma.sql`(t.status = 'PUBLISHED' AND (t."publishAt" IS NULL OR t."publishAt" <= ${horizon})
      OR t.status = 'SCHEDULED' AND t."publishAt" <= ${horizon})
    AND (t."expiresAt" IS NULL OR t."expiresAt" > ${horizon})`;
  const count = (condition: Prisma.Sql, name: string) => Prisma.sql`SUM(CASE WHEN ${condition} THEN 1 ELSE 0 END) AS ${Prisma.raw(`"${name}"`)}`;
  const status = (value: string, name: string) => count(Prisma.sql`t.status = ${Prisma.raw(`'${value}'`)}`, name);
  // No workspaceId condition on the targets: the phase ids are the workspace's already, and
  // without it both databases read the (phase, channel, segment) index ranges in group order.
  const rows = await db.$queryRaw<Raw[]>(Prisma.sql`
    SELECT t."segmentId", t."phaseId", t."channelId",
           ${status('IDEA', 'idea')}, ${status('DRAFT', 'draft')}, ${status('IN_REVIEW', 'inReview')},
           ${status('SCHEDULED', 'scheduled')}, ${status('PUBLISHED', 'published')}, ${status('ARCHIVED', 'archived')},
           ${count(live, 'live')}, ${count(Prisma.sql`${live} AND ${stale}`, 'liveStale')}, ${count(atHorizon, 'liveAtHorizon')}
      FROM "ContentTarget" t
     WHERE t."phaseId" IN (${Prisma.join(params.phaseIds)})
       AND t."channelId" IN (${Prisma.join(params.channelIds)})
       AND t."segmentId" IN (${Prisma.join(['', ...params.segmentIds])})
     GROUP BY t."segmentId", t."phaseId", t."channelId"
  `);
  return rows.map((r) => ({
    segmentId: String(r.segmentId),
    phaseId: String(r.phaseId),
    channelId: String(r.channelId),
    idea: Number(r.idea),
    draft: Number(r.draft),
    inReview: Number(r.inReview),
    scheduled: Number(r.scheduled),
    published: Number(r.published),
    archived: Number(r.archived),
    live: Number(r.live),
    liveFresh: Number(r.live) - Number(r.liveStale),
    liveAtHorizon: Number(r.liveAtHorizon),
  }));
}

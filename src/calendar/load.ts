import type { Db } from '../db/client.js';
import type { Provider } from '../db/config.js';
import { rawContentPiece, rawDate } from '../db/raw.js';
import { Prisma } from '../generated/sqlite/client.js';
import type { Channel, ContentPiece, Phase, Segment } from '../generated/sqlite/client.js';

/**
 * The calendar's two statements: the workspace's taxonomy (its silence
 * window, journeys, segments, phases and channels, all small) and the pieces
 * with a date in range together with their targeting. The count stays two
 * whatever the workspace's size; everything else happens in memory.
 */
export interface Taxonomy {
  workspace: { id: string; name: string; silenceDays: number };
  journeys: Map<string, { id: string; key: string }>;
  segments: Segment[];
  phases: Phase[];
  channels: Channel[];
}

/** A piece with the ids it targets; segmentIds empty = generic. */
export interface CalendarPiece extends ContentPiece {
  phaseIds: string[];
  channelIds: string[];
  segmentIds: string[];
}

type Count = number | bigint | null;

interface TaxonomyRow {
  kind: 'workspace' | 'journey' | 'segment' | 'phase' | 'channel';
  id: string;
  journeyId: string | null;
  parentId: string | null;
  key: string | null;
  name: string;
  description: string | null;
  market: string | null;
  position: Count;
  archetype: string | null;
  scope: string | null;
  channelKind: string | null;
  number: Count;
  createdAt: unknown;
  updatedAt: unknown;
}

export async function loadTaxonomy(db: Db, workspaceId: string): Promise<Taxonomy | null> {
  const rows = await db.$queryRaw<TaxonomyRow[]>(Prisma.sql`
    SELECT 'workspace' AS kind, w.id, NULL AS "journeyId", NULL AS "parentId", NULL AS key, w.name, NULL AS description, NULL AS market,
           CAST(NULL AS INTEGER) AS position, NULL AS archetype, NULL AS scope, NULL AS "channelKind", w."silenceDays" AS "number", w."createdAt", w."updatedAt"
      FROM "Workspace" w WHERE w.id = ${workspaceId}
    UNION ALL
    SELECT 'journey', j.id, NULL, NULL, j.key, j.name, NULL, NULL, NULL, NULL, NULL, NULL, NULL, j."createdAt", j."updatedAt"
      FROM "JourneyModel" j WHERE j."workspaceId" = ${workspaceId}
    UNION ALL
    SELECT 'segment', s.id, s."journeyId", s."parentId", s.key, s.name, s.description, CAST(s.market AS TEXT), NULL, NULL, NULL, NULL, NULL, s."createdAt", s."updatedAt"
      FROM "Segment" s WHERE s."workspaceId" = ${workspaceId}
    UNION ALL
    SELECT 'phase', p.id, p."journeyId", NULL, p.key, p.name, p.description, NULL, p.position, CAST(p.archetype AS TEXT), CAST(p.scope AS TEXT), NULL, NULL, p."createdAt", p."updatedAt"
      FROM "Phase" p WHERE p."workspaceId" = ${workspaceId}
    UNION ALL
    SELECT 'channel', c.id, NULL, NULL, c.key, c.name, NULL, NULL, NULL, NULL, NULL, CAST(c.kind AS TEXT), c."maxPerWeek", c."createdAt", c."updatedAt"
      FROM "Channel" c WHERE c."workspaceId" = ${workspaceId}
  `);
  const workspace = rows.find((r) => r.kind === 'workspace');
  if (!workspace) return null;
  const base = (r: TaxonomyRow) => ({ id: r.id, workspaceId, key: r.key as string, name: r.name, createdAt: rawDate(r.createdAt) as Date, updatedAt: rawDate(r.updatedAt) as Date });
  const of = (kind: TaxonomyRow['kind']) => rows.filter((r) => r.kind === kind);
  return {
    workspace: { id: workspace.id, name: workspace.name, silenceDays: Number(workspace.number) },
    journeys: new Map(of('journey').map((r) => [r.id, { id: r.id, key: r.key as string }])),
    segments: of('segment')
      .map((r) => ({ ...base(r), journeyId: r.journeyId as string, parentId: r.parentId, description: r.description, market: r.market as Segment['market'] }))
      .sort(byKey),
    phases: of('phase')
      .map((r) => ({
        ...base(r),
        journeyId: r.journeyId as string,
        description: r.description,
        position: Number(r.position),
        archetype: r.archetype as Phase['archetype'],
        scope: r.scope as Phase['scope'],
      }))
      .sort((a, b) => a.journeyId.localeCompare(b.journeyId) || a.position - b.position),
    channels: of('channel')
      .map((r) => ({ ...base(r), kind: r.channelKind as Channel['kind'], maxPerWeek: r.number === null ? null : Number(r.number) }))
      .sort(byKey),
  };
}

export interface PieceWindow {
  workspaceId: string;
  /** Pieces publishing in [publishFrom, publishTo): wider than the range, so edge weeks count whole. */
  publishFrom: Date;
  publishTo: Date;
  /** Pieces expiring or due for review in [from, to). */
  from: Date;
  to: Date;
  statuses?: readonly string[] | null;
  formats?: readonly string[] | null;
}

/**
 * One statement: the pieces with an event in the window, each with its
 * phase, channel and segment ids aggregated from the link tables (each
 * subquery one primary-key range), so no statement per piece or relation.
 */
export async function loadPieces(db: Db, provider: Provider, window: PieceWindow): Promise<CalendarPiece[]> {
  // The same aggregate under two names; ids are cuids, so a comma separates them safely.
  const agg = Prisma.raw(provider === 'postgresql' ? 'string_agg' : 'group_concat');
  const statuses = window.statuses?.length ? Prisma.sql`AND CAST(p.status AS TEXT) IN (${Prisma.join(window.statuses)})` : Prisma.empty;
  const formats = window.formats?.length ? Prisma.sql`AND CAST(p.format AS TEXT) IN (${Prisma.join(window.formats)})` : Prisma.empty;
  const rows = await db.$queryRaw<(ContentPiece & { phaseIds: string | null; channelIds: string | null; segmentIds: string | null })[]>(Prisma.sql`
    SELECT p.*,
           (SELECT ${agg}(l."phaseId", ',') FROM "ContentPhase" l WHERE l."pieceId" = p.id) AS "phaseIds",
           (SELECT ${agg}(l."channelId", ',') FROM "ContentChannel" l WHERE l."pieceId" = p.id) AS "channelIds",
           (SELECT ${agg}(l."segmentId", ',') FROM "ContentSegment" l WHERE l."pieceId" = p.id) AS "segmentIds"
      FROM "ContentPiece" p
     WHERE p."workspaceId" = ${window.workspaceId}
       AND ((p."publishAt" >= ${window.publishFrom} AND p."publishAt" < ${window.publishTo})
         OR (p."expiresAt" >= ${window.from} AND p."expiresAt" < ${window.to})
         OR (p."reviewAt" >= ${window.from} AND p."reviewAt" < ${window.to}))
       ${statuses} ${formats}
  `);
  return rows.map(({ phaseIds, channelIds, segmentIds, ...piece }) => ({
    ...rawContentPiece(piece as ContentPiece),
    phaseIds: ids(phaseIds),
    channelIds: ids(channelIds),
    segmentIds: ids(segmentIds),
  }));
}

function ids(list: string | null): string[] {
  return list ? list.split(',').sort() : [];
}

function byKey<T extends { key: string }>(a: T, b: T): number {
  return a.key.localeCompare(b.key);
}

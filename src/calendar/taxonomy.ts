import { rawDate } from '../db/raw.js';
import { Prisma } from '../generated/sqlite/client.js';
import type { Channel, Phase, Segment } from '../generated/sqlite/client.js';
import type { CalendarDatabase, Count } from './sql.js';

/**
 * The workspace's taxonomy as the calendar needs it, in one statement: its
 * name and silence window, journeys, segments, phases and channels (all
 * small). Keys in the arguments resolve against it in memory.
 */
export interface Taxonomy {
  workspace: { id: string; name: string; silenceDays: number };
  journeys: Map<string, { id: string; key: string }>;
  segments: Segment[];
  phases: Phase[];
  channels: Channel[];
}


interface TaxonomyRow {
  kind: 'workspace' | 'journey' | 'segment' | 'phase' | 'channel';
  id: string;
  journeyId: string | null;
  parentId: string | null;
  key: string | null;
  name: string;
  description: string | null;
  market: string | null;
  position: Count | null;
  archetype: string | null;
  scope: string | null;
  channelKind: string | null;
  number: Count | null;
  createdAt: unknown;
  updatedAt: unknown;
}

export async function loadTaxonomy(db: CalendarDatabase, workspaceId: string): Promise<Taxonomy | null> {
  const rows = await db.query<TaxonomyRow>(Prisma.sql`
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

function byKey<T extends { key: string }>(a: T, b: T): number {
  return a.key.localeCompare(b.key);
}

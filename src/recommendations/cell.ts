import { Prisma } from '../generated/sqlite/client.js';
import type { Scope } from '../generated/sqlite/enums.js';
import type { Db } from '../db/client.js';
import { badUserInput } from '../errors.js';

/** The (segment, phase, channel) a recommendation is asked for, resolved from keys. */
export interface Cell {
  /** The segment first (depth 0), then its ancestors, nearest first. */
  chain: { id: string; key: string; name: string; depth: number }[];
  journey: { id: string; key: string };
  phase: { id: string; key: string; scope: Scope };
  channel: { id: string; key: string };
}

interface Row {
  kind: 'segment' | 'journey' | 'phase' | 'channel';
  id: string;
  key: string;
  name: string;
  depth: number | bigint | null;
  extra: string | null;
}

/**
 * One statement: the segment and its ancestors (a recursive walk up the
 * tree), the segment's journey, the phase within that journey and the
 * channel. A missing row means a bad key, reported by argument name.
 */
export async function resolveCell(db: Db, workspaceId: string, keys: { segment: string; phase: string; channel: string }): Promise<Cell> {
  const rows = await db.$queryRaw<Row[]>(Prisma.sql`
    WITH RECURSIVE chain AS (
      SELECT s.id, s."parentId", s.key, s.name, s."journeyId", 0 AS depth
        FROM "Segment" s WHERE s."workspaceId" = ${workspaceId} AND s.key = ${keys.segment}
      UNION ALL
      SELECT p.id, p."parentId", p.key, p.name, p."journeyId", c.depth + 1
        FROM "Segment" p JOIN chain c ON p.id = c."parentId" WHERE c.depth < 64
    )
    SELECT 'segment' AS kind, id, key, name, depth, NULL AS extra FROM chain
    UNION ALL
    SELECT 'journey', j.id, j.key, j.name, NULL, NULL FROM "JourneyModel" j
      WHERE j.id = (SELECT "journeyId" FROM chain WHERE depth = 0)
    UNION ALL
    SELECT 'phase', ph.id, ph.key, ph.name, NULL, CAST(ph.scope AS TEXT) FROM "Phase" ph
      WHERE ph."journeyId" = (SELECT "journeyId" FROM chain WHERE depth = 0) AND ph.key = ${keys.phase}
    UNION ALL
    SELECT 'channel', ch.id, ch.key, ch.name, NULL, NULL FROM "Channel" ch
      WHERE ch."workspaceId" = ${workspaceId} AND ch.key = ${keys.channel}
  `);
  const of = (kind: Row['kind']) => rows.filter((r) => r.kind === kind);
  const segments = of('segment').map((r) => ({ id: r.id, key: r.key, name: r.name, depth: Number(r.depth) })).sort((a, b) => a.depth - b.depth);
  const [journey] = of('journey');
  const [phase] = of('phase');
  const [channel] = of('channel');
  if (!segments.length || !journey) throw badUserInput('segment', `no segment with key "${keys.segment}" in this workspace`, keys.segment);
  if (!phase) throw badUserInput('phase', `no phase "${keys.phase}" in journey "${journey.key}", which segment "${keys.segment}" follows`, keys.phase);
  if (!channel) throw badUserInput('channel', `no channel with key "${keys.channel}" in this workspace`, keys.channel);
  return {
    chain: segments,
    journey: { id: journey.id, key: journey.key },
    phase: { id: phase.id, key: phase.key, scope: phase.extra as Scope },
    channel: { id: channel.id, key: channel.key },
  };
}

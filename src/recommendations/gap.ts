import { Prisma } from '../generated/sqlite/client.js';
import type { Db } from '../db/client.js';
import { expectedMinimum, type CoverageRuleFacts } from '../gaps/expectation.js';
import { gapSeverity, type GapKind, type GapTouchpoint } from '../gaps/severity.js';
import type { Cell } from './cell.js';

/** An expected cell with nothing live: what the integrator should alert on. */
export interface CellGap {
  kind: Extract<GapKind, 'MISSING' | 'PLANNED_ONLY'>;
  severity: number;
  expectedMinimum: number;
  /** Pieces in the pipeline (IDEA..SCHEDULED) for the cell. */
  planned: number;
  touchpoints: { id: string; name: string; emotion: number; salesOpportunity: boolean }[];
}

interface Row {
  kind: 'touchpoint' | 'rule' | 'planned';
  id: string | null;
  name: string | null;
  emotion: number | bigint | null;
  flag: number | bigint | boolean | null;
  segmentId: string | null;
  phaseId: string | null;
  channelId: string | null;
  minLive: number | bigint | null;
}

/**
 * One statement, run only when nothing is live: the touchpoints at the cell
 * (for the segment or for all segments), the coverage rules that match it,
 * and how many pieces for it are in the pipeline. Null when the cell is not
 * expected: then an empty answer is no gap.
 */
export async function cellGap(db: Db, workspaceId: string, cell: Cell): Promise<CellGap | null> {
  const segment = cell.chain[0]?.id ?? '';
  const chainIds = Prisma.join(cell.chain.map((s) => s.id));
  const rows = await db.$queryRaw<Row[]>(Prisma.sql`
    SELECT 'touchpoint' AS kind, t.id, t.name, t.emotion, t."salesOpportunity" AS flag,
           t."segmentId", NULL AS "phaseId", NULL AS "channelId", NULL AS "minLive"
      FROM "Touchpoint" t
      WHERE t."workspaceId" = ${workspaceId} AND t."phaseId" = ${cell.phase.id} AND t."channelId" = ${cell.channel.id}
        AND (t."segmentId" IS NULL OR t."segmentId" = ${segment})
    UNION ALL
    SELECT 'rule', r.id, NULL, NULL, r."notExpected", r."segmentId", r."phaseId", r."channelId", r."minLive"
      FROM "CoverageRule" r
      WHERE r."workspaceId" = ${workspaceId}
        AND (r."segmentId" IS NULL OR r."segmentId" = ${segment})
        AND (r."phaseId" IS NULL OR r."phaseId" = ${cell.phase.id})
        AND (r."channelId" IS NULL OR r."channelId" = ${cell.channel.id})
    UNION ALL
    SELECT 'planned', NULL, NULL, COUNT(*), NULL, NULL, NULL, NULL, NULL
      FROM "ContentPiece" p
      JOIN "ContentPhase" cp ON cp."pieceId" = p.id AND cp."phaseId" = ${cell.phase.id}
      JOIN "ContentChannel" cc ON cc."pieceId" = p.id AND cc."channelId" = ${cell.channel.id}
      WHERE p."workspaceId" = ${workspaceId} AND p.status IN ('IDEA', 'DRAFT', 'IN_REVIEW', 'SCHEDULED')
        AND (NOT EXISTS (SELECT 1 FROM "ContentSegment" g WHERE g."pieceId" = p.id)
             OR EXISTS (SELECT 1 FROM "ContentSegment" g WHERE g."pieceId" = p.id AND g."segmentId" IN (${chainIds})))
  `);
  const touchpoints = rows
    .filter((r) => r.kind === 'touchpoint')
    .map((r) => ({ id: r.id as string, name: r.name as string, emotion: Number(r.emotion), salesOpportunity: Boolean(Number(r.flag)) }));
  const rules: CoverageRuleFacts[] = rows
    .filter((r) => r.kind === 'rule')
    .map((r) => ({ segmentId: r.segmentId, phaseId: r.phaseId, channelId: r.channelId, minLive: r.minLive === null ? null : Number(r.minLive), notExpected: Boolean(Number(r.flag)) }));
  const minimum = expectedMinimum(rules, touchpoints.length);
  if (minimum === 0) return null;
  const planned = Number(rows.find((r) => r.kind === 'planned')?.emotion ?? 0);
  const kind = planned > 0 ? 'PLANNED_ONLY' : 'MISSING';
  return { kind, severity: gapSeverity(kind, cell.phase.scope, touchpoints as GapTouchpoint[]), expectedMinimum: minimum, planned, touchpoints };
}

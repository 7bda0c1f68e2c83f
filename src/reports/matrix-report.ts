import { DateTime } from 'luxon';
import type { Database } from '../db/client.js';
import { Scope } from '../generated/sqlite/enums.js';
import { rankGaps, type ContentGap } from '../gaps/ranking.js';
import type { GapKind } from '../gaps/severity.js';
import {
  booleanParameter,
  enumListParameter,
  enumParameter,
  instantParameter,
  listParameter,
  ParameterError,
  timeZoneParameter,
} from '../http/url-parameters.js';
import { contentMatrix, type Matrix, type MatrixCell } from '../matrix/analysis.js';

/**
 * What the matrix reports draw: the matrix as contentMatrix answers it (the
 * same code path and filters) and its gaps as contentGaps ranks them. Query
 * parameters are named like contentMatrix's arguments; `kinds` filters the
 * gap list as contentGaps does; `timeZone` sets how instants are written.
 */
export interface MatrixReport {
  matrix: Matrix;
  /** Ranked, most severe first, filtered by `kinds`. */
  gaps: ContentGap[];
  /** Every cell's gap, whatever `kinds`: the heat map's tooltips tell them all. */
  gapOf: Map<MatrixCell, ContentGap>;
  timeZone: string;
  /** The matrix's instant, ISO 8601 in `timeZone`. */
  atText: string;
}

const GAP_KINDS: Record<GapKind, GapKind> = { MISSING: 'MISSING', STALE: 'STALE', THIN: 'THIN', EXPIRING: 'EXPIRING', PLANNED_ONLY: 'PLANNED_ONLY', UNDERPERFORMING: 'UNDERPERFORMING' };

export async function loadMatrixReport(database: Database, workspaceId: string, params: URLSearchParams): Promise<MatrixReport> {
  const journey = params.get('journey');
  if (!journey) throw new ParameterError('journey', `is required: the key of the journey model to draw (${await journeyKeys(database, workspaceId)})`);
  const timeZone = timeZoneParameter(params);
  const kinds = enumListParameter(params, 'kinds', GAP_KINDS);
  const matrix = await contentMatrix(database, workspaceId, {
    journey,
    segments: listParameter(params, 'segments'),
    includeSubSegments: booleanParameter(params, 'includeSubSegments') ?? true,
    scope: enumParameter(params, 'scope', Scope),
    channels: listParameter(params, 'channels'),
    at: instantParameter(params, 'at', timeZone) ?? new Date(),
  }, { interactions: true });
  // The gap list is contentGaps' (underperforming cells included); a square shows its coverage gap.
  const all = rankGaps(matrix, null, { performance: true });
  return {
    matrix,
    gaps: kinds ? all.filter((gap) => (kinds as readonly string[]).includes(gap.kind)) : all,
    gapOf: new Map(all.filter((gap) => gap.kind !== 'UNDERPERFORMING').map((gap) => [gap.cell, gap])),
    timeZone,
    atText: isoIn(matrix.at, timeZone),
  };
}

/** The links handed out carry no journey: the refusal names the ones there are. */
async function journeyKeys(database: Database, workspaceId: string): Promise<string> {
  const journeys = await database.reader.journeyModel.findMany({ where: { workspaceId }, select: { key: true }, orderBy: { key: 'asc' } });
  return journeys.length ? `one of ${journeys.map((j) => `journey=${j.key}`).join(', ')}` : 'the workspace has none yet';
}

/** An instant as ISO 8601 with the zone's offset at that instant, to the second: 2026-03-29T09:00:00+02:00. */
export function isoIn(at: Date, timeZone: string): string {
  return DateTime.fromJSDate(at, { zone: timeZone }).toISO({ suppressMilliseconds: true }) as string;
}

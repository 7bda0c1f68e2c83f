import { encodeGlobalID } from '@pothos/plugin-relay';
import type { CalendarEntry } from '../calendar/calendar.js';
import { isoIn, type MatrixReport } from './matrix-report.js';

/**
 * The CSV exports (RFC 4180: comma-separated, CRLF line ends, quotes where
 * needed), for spreadsheets. Headers are the column lists below, in this
 * order, and only ever grow at the end; enum values are the API's (MISSING,
 * BECOME, PUBLISH...). Instants are ISO 8601 with the offset of the asked
 * time zone. The file starts with a byte-order mark, which Excel needs to
 * read UTF-8. A text cell that a spreadsheet would run as a formula (it
 * starts with =, +, -, @, a tab or a carriage return) gets a leading
 * apostrophe, as OWASP advises against CSV injection; numbers are written
 * as numbers.
 */
type Value = string | number | null;

export const MATRIX_COLUMNS = [
  'journey', 'at', 'segment', 'segmentName', 'parentSegment', 'depth', 'phase', 'phaseName', 'position', 'scope', 'channel', 'channelName',
  'status', 'expectedMinimum', 'liveCount', 'freshLiveCount', 'liveAfterLookaheadCount', 'plannedCount',
  'idea', 'draft', 'inReview', 'scheduled', 'published', 'archived', 'touchpoints', 'gapKind', 'gapSeverity', 'gapMessage',
] as const;

export const GAP_COLUMNS = [
  'rank', 'kind', 'severity', 'journey', 'at', 'segment', 'segmentName', 'phase', 'phaseName', 'scope', 'channel', 'channelName',
  'status', 'liveCount', 'expectedMinimum', 'plannedCount', 'suggestedFormats', 'touchpoints', 'message',
] as const;

export const CALENDAR_COLUMNS = [
  'at', 'timeZone', 'event', 'piece', 'externalId', 'title', 'status', 'format', 'phases', 'channels', 'segments', 'url', 'publishAt', 'expiresAt', 'reviewAt',
] as const;

/** Several values in one cell (touchpoints, keys, formats). */
const LIST = '; ';

export function matrixCsv(report: MatrixReport): string {
  const { matrix } = report;
  return csv(
    MATRIX_COLUMNS,
    matrix.cells.map((cell) => {
      const gap = report.gapOf.get(cell);
      return [
        matrix.journey.key, report.atText, cell.segment.key, cell.segment.name, cell.segment.parentKey, cell.segment.depth,
        cell.phase.key, cell.phase.name, cell.phase.position, cell.phase.scope, cell.channel.key, cell.channel.name,
        cell.status, cell.expectedMinimum, cell.live, cell.liveFresh, cell.liveAtHorizon, cell.planned,
        cell.counts.idea, cell.counts.draft, cell.counts.inReview, cell.counts.scheduled, cell.counts.published, cell.counts.archived,
        cell.touchpoints.map((t) => t.name).join(LIST), gap?.kind ?? null, gap?.severity ?? null, gap?.message ?? null,
      ];
    }),
  );
}

export function gapsCsv(report: MatrixReport): string {
  const { matrix } = report;
  return csv(
    GAP_COLUMNS,
    report.gaps.map(({ cell, ...gap }, i) => [
      i + 1, gap.kind, gap.severity, matrix.journey.key, report.atText, cell.segment.key, cell.segment.name, cell.phase.key, cell.phase.name, cell.phase.scope,
      cell.channel.key, cell.channel.name, cell.status, cell.live, cell.expectedMinimum, cell.planned,
      gap.suggestedFormats.join(LIST), cell.touchpoints.map((t) => t.name).join(LIST), gap.message,
    ]),
  );
}

export function calendarCsv(entries: CalendarEntry[], journeyKeys: Map<string, { key: string }>, timeZone: string): string {
  const instant = (at: Date | null) => (at ? isoIn(at, timeZone) : null);
  return csv(
    CALENDAR_COLUMNS,
    entries.map(({ piece, event, at, targeting }) => [
      instant(at), timeZone, event, encodeGlobalID('ContentPiece', piece.id), piece.externalId, piece.title, piece.status, piece.format,
      targeting.phasesOf(piece).map((p) => `${journeyKeys.get(p.journeyId)?.key ?? ''}:${p.key}`).join(LIST),
      targeting.channelsOf(piece).map((c) => c.key).join(LIST),
      targeting.targetedSegmentsOf(piece).map((s) => s.key).join(LIST),
      piece.url, instant(piece.publishAt), instant(piece.expiresAt), instant(piece.reviewAt),
    ]),
  );
}

function csv(columns: readonly string[], rows: Value[][]): string {
  return `\ufeff${[columns.map(field), ...rows.map((row) => row.map(field))].map((line) => line.join(',')).join('\r\n')}\r\n`;
}

/** One field: a formula-looking text defused, then quoted when it holds a comma, a quote, a line break or edge spaces. */
function field(value: Value): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

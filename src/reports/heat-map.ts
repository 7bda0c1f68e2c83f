import type { Scope } from '../generated/sqlite/enums.js';
import type { MatrixCell } from '../matrix/analysis.js';
import type { CellStatus } from '../matrix/status.js';
import { clipped, escapeXml } from './markup.js';
import type { MatrixReport } from './matrix-report.js';

/**
 * The content matrix as a heat map (SVG): rows are segments, indented by
 * the tree; columns are phases under their scope; each cell holds one square
 * per channel, in the matrix's channel order, coloured by status. Each
 * square's <title> (the browser's tooltip) tells its counts and its gap.
 * Squares carry their keys and status as data attributes, for tests and for
 * anyone styling or scripting the picture where they embed it. Plain SVG
 * 1.1: no script, no external reference, no font file.
 */
export const STATUS_COLOURS: Record<CellStatus, string> = {
  MISSING: '#d73027',
  STALE: '#fc8d59',
  THIN: '#fee08b',
  PLANNED_ONLY: '#91bfdb',
  EXPIRING: '#a6d96a',
  COVERED: '#1a9850',
  NOT_EXPECTED: '#e6e6e6',
};

/** In the legend's order: the worst first. */
const STATUS_WORDS: Record<CellStatus, string> = {
  MISSING: 'Missing: nothing live or planned',
  STALE: 'Stale: every live piece past review',
  THIN: 'Thin: fewer live than expected',
  PLANNED_ONLY: 'Planned only: nothing live yet',
  EXPIRING: 'Expiring: covered, not for long',
  COVERED: 'Covered',
  NOT_EXPECTED: 'Not expected',
};

const SCOPE_WORDS: Record<Scope, string> = { BECOME: 'Become a customer', BE: 'Be a customer', STAY: 'Stay a customer' };

const PAD = 16;
const LABEL_WIDTH = 240;
const INDENT = 14;
const SQUARE = 12;
const SQUARE_GAP = 2;
const CELL_PAD = 6;
const MIN_COLUMN = 96;
const ROW = 20;
const HEADER = 52;
const COVERAGE_WIDTH = 90;
const LEGEND_ITEM = 230;
const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif" font-size="12"';

export function heatMapSvg(report: MatrixReport): string {
  const { matrix } = report;
  const squares = matrix.channels.length;
  const column = Math.max(MIN_COLUMN, squares * (SQUARE + SQUARE_GAP) - SQUARE_GAP + 2 * CELL_PAD);
  const left = PAD + LABEL_WIDTH;
  const top = PAD + HEADER;
  const gridWidth = matrix.phases.length * column;
  const width = left + gridWidth + COVERAGE_WIDTH + PAD;
  const legendColumns = Math.max(1, Math.floor((width - 2 * PAD) / LEGEND_ITEM));
  const legendTop = top + matrix.segments.length * ROW + 24;
  const statusRows = Math.ceil(Object.keys(STATUS_COLOURS).length / legendColumns);
  const channelTop = legendTop + 22 + statusRows * ROW + 8;
  const channelRows = Math.ceil(matrix.channels.length / legendColumns);
  const height = channelTop + 22 + channelRows * ROW + PAD;

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="heat-map-title" ${FONT}>`,
    `<title id="heat-map-title">${escapeXml(`Content matrix of ${matrix.journey.name} (${matrix.journey.key}) at ${report.atText}`)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
  );

  // Scope bands over their phases (a scope's phases are consecutive by position; a scope that recurs gets a band each time).
  let start = 0;
  matrix.phases.forEach((phase, i) => {
    const next = matrix.phases[i + 1];
    if (next && next.scope === phase.scope) return;
    const x = left + start * column;
    const w = (i + 1 - start) * column;
    out.push(
      `<g class="scope" data-scope="${phase.scope}"><rect x="${x + 1}" y="${PAD}" width="${w - 2}" height="20" fill="#f2f2f2"/>`,
      `<text x="${x + w / 2}" y="${PAD + 14}" text-anchor="middle" font-weight="600">${escapeXml(clipped(SCOPE_WORDS[phase.scope], Math.floor(w / 7)))}</text></g>`,
    );
    start = i + 1;
  });
  matrix.phases.forEach((phase, i) => {
    const x = left + i * column;
    out.push(
      `<text class="phase" data-phase="${escapeXml(phase.key)}" x="${x + column / 2}" y="${PAD + 40}" text-anchor="middle"><title>${escapeXml(`${phase.name} (${phase.key}, ${phase.scope})`)}</title>${escapeXml(clipped(phase.name, Math.floor(column / 7)))}</text>`,
    );
  });
  out.push(`<text x="${left + gridWidth + 8}" y="${PAD + 40}">Coverage</text>`);

  const cellsOf = new Map<string, MatrixCell[]>();
  for (const cell of matrix.cells) {
    const key = `${cell.segment.id}|${cell.phase.id}`;
    cellsOf.set(key, [...(cellsOf.get(key) ?? []), cell]);
  }
  matrix.segments.forEach((segment, row) => {
    const y = top + row * ROW;
    const coverage = matrix.summary.perSegment[row];
    out.push(
      `<g class="row" data-segment="${escapeXml(segment.key)}">`,
      `<text class="segment" x="${PAD + segment.depth * INDENT}" y="${y + 14}"><title>${escapeXml(`${segment.name} (${segment.key})`)}</title>${escapeXml(clipped(segment.name, Math.floor((LABEL_WIDTH - segment.depth * INDENT) / 7)))}</text>`,
    );
    if (row % 2 === 0) out.push(`<rect x="${left}" y="${y}" width="${gridWidth}" height="${ROW}" fill="#fafafa"/>`);
    matrix.phases.forEach((phase, i) => {
      const cells = cellsOf.get(`${segment.id}|${phase.id}`) ?? [];
      cells.forEach((cell, c) => {
        const x = left + i * column + CELL_PAD + c * (SQUARE + SQUARE_GAP);
        out.push(
          `<rect class="square" data-segment="${escapeXml(segment.key)}" data-phase="${escapeXml(phase.key)}" data-channel="${escapeXml(cell.channel.key)}" data-status="${cell.status}" x="${x}" y="${y + (ROW - SQUARE) / 2}" width="${SQUARE}" height="${SQUARE}" fill="${STATUS_COLOURS[cell.status]}"><title>${escapeXml(tooltip(cell, report))}</title></rect>`,
        );
      });
    });
    const ratio = coverage && coverage.expectedCells > 0 ? ` (${Math.round((100 * coverage.coveredCells) / coverage.expectedCells)}%)` : '';
    out.push(`<text x="${left + gridWidth + 8}" y="${y + 14}">${coverage ? `${coverage.coveredCells}/${coverage.expectedCells}${ratio}` : ''}</text></g>`);
  });

  out.push(`<text x="${PAD}" y="${legendTop + 14}" font-weight="600">Status of each square</text>`);
  (Object.keys(STATUS_COLOURS) as CellStatus[]).forEach((status, i) => {
    const x = PAD + (i % legendColumns) * LEGEND_ITEM;
    const y = legendTop + 22 + Math.floor(i / legendColumns) * ROW;
    out.push(
      `<g class="legend" data-status="${status}"><rect x="${x}" y="${y + 3}" width="${SQUARE}" height="${SQUARE}" fill="${STATUS_COLOURS[status]}" stroke="#999999" stroke-width="0.5"/>`,
      `<text x="${x + SQUARE + 6}" y="${y + 14}">${escapeXml(STATUS_WORDS[status])}</text></g>`,
    );
  });
  out.push(`<text x="${PAD}" y="${channelTop + 14}" font-weight="600">Squares in each cell, left to right</text>`);
  matrix.channels.forEach((channel, i) => {
    const x = PAD + (i % legendColumns) * LEGEND_ITEM;
    const y = channelTop + 22 + Math.floor(i / legendColumns) * ROW;
    out.push(`<text class="legend-channel" data-channel="${escapeXml(channel.key)}" x="${x}" y="${y + 14}">${escapeXml(clipped(`${i + 1}. ${channel.name}`, 32))}</text>`);
  });
  out.push('</svg>');
  return out.join('\n');
}

/** The square's tooltip: where it is, its status and counts, and the gap's sentence when it has one. */
function tooltip(cell: MatrixCell, report: MatrixReport): string {
  const c = cell.counts;
  const lines = [
    `${cell.segment.name} · ${cell.phase.name} (${cell.phase.scope}) · ${cell.channel.name}`,
    `${cell.status}: ${cell.live} live (${cell.liveFresh} fresh), ${cell.planned} planned, ${cell.expectedMinimum} expected`,
    `Ideas ${c.idea}, drafts ${c.draft}, in review ${c.inReview}, scheduled ${c.scheduled}, published ${c.published}, archived ${c.archived}`,
  ];
  const gap = report.gapOf.get(cell);
  if (gap) lines.push(gap.message);
  return lines.join('\n');
}

import { heatMapSvg } from './heat-map.js';
import { escapeXml } from './markup.js';
import type { MatrixReport } from './matrix-report.js';

/**
 * The HTML report: the heat map and the ranked gap list on one page that
 * needs nothing else: the SVG is inline, the styles are in the page, there
 * is no script and no font or image to fetch. Saved as a file it still
 * opens, and its own Content-Security-Policy (a meta element, repeating the
 * HTTP header) travels with it. The print styles lay it out in landscape,
 * keep the colours and repeat the gap table's header on every page.
 */
export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/**
 * `query` is the page's own query string (token and filters): the links to
 * the same report as a picture and as spreadsheets carry it, relative to
 * the page, so they open with the same token and filters.
 */
export function reportPage(report: MatrixReport, query: URLSearchParams): string {
  const { matrix, gaps } = report;
  const link = (file: string, label: string) => `<a href="${escapeXml(`${file}?${query}`)}">${label}</a>`;
  const title = `Content matrix: ${matrix.journey.name}`;
  const overall = matrix.summary.overall;
  const ratio = overall.expectedCells ? ` (${Math.round((100 * overall.coveredCells) / overall.expectedCells)}%)` : '';
  const rows = gaps.map(
    (gap, i) =>
      `<tr class="gap" data-segment="${escapeXml(gap.cell.segment.key)}" data-phase="${escapeXml(gap.cell.phase.key)}" data-channel="${escapeXml(gap.cell.channel.key)}" data-kind="${gap.kind}">` +
      `<td class="number">${i + 1}</td><td class="number">${gap.severity.toFixed(1)}</td><td>${gap.kind}</td>` +
      `<td>${escapeXml(gap.cell.segment.name)}</td><td>${escapeXml(gap.cell.phase.name)}</td><td>${escapeXml(gap.cell.channel.name)}</td>` +
      `<td>${escapeXml(gap.message)}</td><td>${gap.suggestedFormats.join(', ')}</td></tr>`,
  );
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeXml(REPORT_CSP)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeXml(title)}</title>
<style>
  body { font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 24px; color: #1a1a1a; }
  h1 { font-size: 20px; margin: 0 0 4px; }
  h2 { font-size: 16px; margin: 24px 0 8px; }
  .meta { color: #555; margin: 0 0 16px; }
  .heat-map { overflow-x: auto; }
  .heat-map svg { display: block; }
  table { border-collapse: collapse; width: 100%; font-size: 13px; }
  th, td { border-bottom: 1px solid #ddd; padding: 4px 6px; text-align: left; vertical-align: top; }
  th { background: #f2f2f2; }
  .number { text-align: right; white-space: nowrap; }
  nav a { margin-right: 12px; }
  @page { size: A4 landscape; margin: 12mm; }
  @media print {
    body { margin: 0; }
    nav { display: none; }
    * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
    .heat-map { overflow: visible; }
    .heat-map svg { max-width: 100%; height: auto; }
    thead { display: table-header-group; }
    tr { break-inside: avoid; }
    h2 { break-after: avoid; }
  }
</style>
</head>
<body>
<header>
<h1>${escapeXml(title)}</h1>
<p class="meta">Journey <code>${escapeXml(matrix.journey.key)}</code> at ${escapeXml(report.atText)} · ${matrix.segments.length} segments × ${matrix.phases.length} phases × ${matrix.channels.length} channels · ${overall.coveredCells} of ${overall.expectedCells} expected cells covered${ratio}</p>
<nav>Download: ${link('matrix.svg', 'picture (SVG)')} ${link('matrix.csv', 'matrix (CSV)')} ${link('gaps.csv', 'gaps (CSV)')}</nav>
</header>
<section class="heat-map" aria-label="Heat map">
${heatMapSvg(report)}
</section>
<section class="gaps">
<h2>Gaps, most severe first (${gaps.length})</h2>
${
  gaps.length
    ? `<table>
<thead><tr><th class="number">#</th><th class="number">Severity</th><th>Kind</th><th>Segment</th><th>Phase</th><th>Channel</th><th>Why</th><th>Formats to make</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>`
    : '<p>No gaps: every expected cell is covered.</p>'
}
</section>
</body>
</html>
`;
}

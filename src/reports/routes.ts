/**
 * The reports, mounted by src/server.ts under GET /reports/: the content
 * matrix as a heat map (matrix.svg, matrix.html) and CSV exports
 * (matrix.csv, gaps.csv, calendar.csv). Browsers, wikis and spreadsheets
 * open them by a link, so a report token in the query string stands for the
 * workspace (src/reports/tokens.ts); filters are query parameters named like
 * the GraphQL arguments. Refusals answer JSON shaped like GraphQL errors,
 * with the same stable codes: UNAUTHENTICATED (401), NOT_FOUND (404),
 * BAD_USER_INPUT naming the parameter in `extensions.argument` (400).
 */
import { feedArgs } from '../calendar/feed.js';
import { openCalendar } from '../calendar/calendar.js';
import { analysisOf } from '../calendar/sql.js';
import { linkTokenGate } from '../auth/link-tokens.js';
import { readsFor } from '../db/read-routing.js';
import type { Database } from '../db/client.js';
import { badParameter, ParameterError } from '../http/url-parameters.js';
import { calendarCsv, gapsCsv, matrixCsv } from './csv.js';
import { heatMapSvg } from './heat-map.js';
import { loadMatrixReport, type MatrixReport } from './matrix-report.js';
import { REPORT_CSP, reportPage } from './page.js';
import { REPORT_TOKENS, REPORTS_PATH } from './tokens.js';
import { refusal } from '../http/refusal.js';
import { READ_METHODS } from '../http/routes.js';

type Report = (database: Database, workspaceId: string, params: URLSearchParams) => Promise<Response>;

const REPORTS: Record<string, Report> = {
  'matrix.svg': ofMatrix(heatMapSvg, 'image/svg+xml', 'content-matrix', 'svg', 'inline'),
  'matrix.html': ofMatrix(reportPage, 'text/html', 'content-matrix', 'html', 'inline'),
  'matrix.csv': ofMatrix(matrixCsv, 'text/csv', 'content-matrix', 'csv', 'attachment'),
  'gaps.csv': ofMatrix(gapsCsv, 'text/csv', 'content-gaps', 'csv', 'attachment'),
  'calendar.csv': async (database, workspaceId, params) => {
    const args = feedArgs(params);
    const calendar = await openCalendar(analysisOf(database), workspaceId, args);
    return answer(calendarCsv(await calendar.allEntries(), calendar.taxonomy.journeys, args.timeZone ?? 'UTC'), 'text/csv', 'content-calendar.csv', 'attachment');
  },
};

/** A report of one journey's matrix, drawn or written from the one MatrixReport; its file is named after the journey. */
function ofMatrix(render: (report: MatrixReport, params: URLSearchParams) => string, type: string, name: string, extension: string, disposition: 'inline' | 'attachment'): Report {
  return async (database, workspaceId, params) => {
    const report = await loadMatrixReport(database, workspaceId, params);
    return answer(render(report, params), type, `${name}-${report.matrix.journey.key}.${extension}`, disposition);
  };
}

/** The longest a parameter may be, as for GraphQL string arguments. */
const MAX_PARAMETER = 10_000;

/** Whether a request is for a report (rate-limited per address and token by src/http/admission.ts). */
export function isReportRequest(request: Request, url: URL): boolean {
  return url.pathname.startsWith(REPORTS_PATH) && READ_METHODS.includes(request.method);
}

export function reportsHandler(database: Database): (request: Request) => Promise<Response> {
  const workspaceOfToken = linkTokenGate(database.reader, REPORT_TOKENS);
  return async (request) => {
    const url = new URL(request.url);
    const name = url.pathname.slice(REPORTS_PATH.length);
    const report = Object.hasOwn(REPORTS, name) ? REPORTS[name] : undefined;
    if (!report) {
      return refusal(404, 'NOT_FOUND', `No such report. Reports: ${Object.keys(REPORTS).map((name) => REPORTS_PATH + name).join(', ')}.`);
    }
    const token = url.searchParams.get('token');
    if (!token) return refusal(401, 'UNAUTHENTICATED', `Add your report token: ${url.pathname}?token=<token>.`);
    const workspaceId = await workspaceOfToken(token);
    if (!workspaceId) return refusal(401, 'UNAUTHENTICATED', 'This report token is unknown or revoked.');
    try {
      checkParameters(url.searchParams);
      return await report(readsFor(database, null), workspaceId, url.searchParams);
    } catch (error) {
      const bad = badParameter(error);
      if (bad) return refusal(400, 'BAD_USER_INPUT', `Bad parameter "${bad.parameter}": ${bad.message}`, bad.parameter);
      throw error;
    }
  };
}

/** A NUL (which PostgreSQL refuses as a parameter) or an endless value names nothing: refused before any SQL. */
function checkParameters(params: URLSearchParams): void {
  for (const [name, value] of params) {
    if (value.includes('\u0000')) throw new ParameterError(name, 'must not contain NUL characters (U+0000)');
    if (value.length > MAX_PARAMETER) throw new ParameterError(name, `is longer than ${MAX_PARAMETER} characters`);
  }
}

function answer(body: string, type: string, filename: string, disposition: 'inline' | 'attachment'): Response {
  return new Response(body, {
    status: 200,
    headers: {
      'content-type': `${type}; charset=utf-8`,
      'content-disposition': `${disposition}; filename="${filename}"`,
      'content-security-policy': REPORT_CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'private, max-age=60',
    },
  });
}

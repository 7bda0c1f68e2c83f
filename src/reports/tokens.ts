import { linkTokenApi, type LinkTokenKind } from '../auth/link-tokens.js';

/**
 * Report tokens open the workspace's reports (the matrix as a heat map,
 * the CSV exports) by a link: a strategist opens it in a browser, embeds
 * it in a wiki or loads it into a spreadsheet, none of which send an
 * Authorization header. A token only reads its own workspace
 * (src/auth/link-tokens.ts); it never opens the calendar feed, nor a
 * calendar token the reports.
 */
export const REPORTS_PATH = '/reports/';
export const HEAT_MAP_PAGE = `${REPORTS_PATH}matrix.html`;

export const REPORT_TOKENS: LinkTokenKind = {
  model: 'ReportToken',
  field: 'reportToken',
  noun: 'report token',
  prefix: 'cpr_',
  description: 'A read-only token for the workspace\'s reports: the content matrix as a heat map (SVG, HTML) and the CSV exports of the matrix, the gaps and the calendar. The token itself is never readable: only its prefix.',
  whenRevoked: 'the reports answer 401 to it',
  nameDescription: 'Who or what reads with it, e.g. "Strategy wiki".',
  url: {
    field: 'reportUrl',
    description: `The HTML heat map's absolute URL with this token, e.g. https://api.example.com${HEAT_MAP_PAGE}?token=cpr_...; add journey=<key> (required) and contentMatrix's filters (segments, includeSubSegments, scope, channels, at) as query parameters. The same token opens matrix.svg, matrix.csv, gaps.csv and calendar.csv beside it. It starts with the server's configured public address, or else the address this request was sent to. Null when refused.`,
    path: (token) => `${HEAT_MAP_PAGE}?${new URLSearchParams({ token })}`,
  },
};

linkTokenApi(REPORT_TOKENS);

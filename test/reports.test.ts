import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSecret } from '../src/auth/keys.js';
import { createServer } from '../src/server.js';
import { CALENDAR_COLUMNS, GAP_COLUMNS, MATRIX_COLUMNS } from '../src/reports/csv.js';
import { withTableGone } from './support/failing-server.js';
import { startTestApp, type TestApp, type WorkspaceKeys } from './support/app.js';
import { Fixture } from './support/fixtures.js';
import { workspaceSnapshot } from './support/snapshot.js';

/**
 * Report tokens and the routes they open: who may make them, what a token
 * shows (its own workspace only, and nothing once revoked), how bad filters
 * are refused, and the CSV exports' columns, time zones and escaping. The
 * browser's view of the HTML and SVG is test/reports-browser.test.ts.
 */
const CREATE = /* GraphQL */ `
  mutation ($input: CreateReportTokenInput!) {
    createReportToken(input: $input) { reportToken { id name prefix revoked } token reportUrl userErrors { field code message } }
  }
`;
const REVOKE = /* GraphQL */ `
  mutation ($id: ID!) { revokeReportToken(input: { id: $id }) { reportToken { revoked revokedAt } userErrors { field code message } } }
`;
const REPORTS = ['matrix.svg', 'matrix.html', 'matrix.csv', 'gaps.csv', 'calendar.csv'];
const AT = '2026-03-29T12:00:00Z';

/** Names a spreadsheet would run, and markup, in every kind of text a report writes. */
const NAMES = {
  journey: 'Reis <b>&</b>',
  families: '=cmd|\' /C calc\'!A0',
  kids: '+kids <i>"klein"</i>',
  phase: '@fase & <u>',
  channel: '-mail, "nieuws"',
  touchpoint: '=HYPERLINK("http://evil.example") <tp>',
  title: '=1+2 "titel" <script>',
};

let app: TestApp;
let ws: WorkspaceKeys;
let other: WorkspaceKeys;
let token: string;
let otherToken: string;

beforeAll(async () => {
  app = await startTestApp();
  ws = await app.workspace('Fietsenwinkel');
  const f = new Fixture(app.database.prisma, ws.workspaceId);
  await f.journey('shop', [['attention', 'BECOME'], ['onboard', 'BE'], ['always', 'STAY']]);
  await f.segment('families');
  await f.segment('kids', 'families');
  await f.channel('email');
  await f.channel('social');
  await f.touchpoint(NAMES.touchpoint, 'attention', 'email');
  await f.touchpoint('Welkom', 'onboard', 'social');
  await f.piece({ title: NAMES.title, phases: ['onboard'], channels: ['social'], segments: ['kids'], status: 'PUBLISHED', publishAt: new Date('2026-03-28T23:30:00Z') });
  await f.piece({ title: 'Zomeractie', phases: ['attention'], channels: ['email'], status: 'SCHEDULED', publishAt: new Date('2026-07-01T08:00:00Z') });
  const db = app.database.prisma;
  await db.journeyModel.updateMany({ where: { workspaceId: ws.workspaceId }, data: { name: NAMES.journey } });
  await db.segment.updateMany({ where: { workspaceId: ws.workspaceId, key: 'families' }, data: { name: NAMES.families } });
  await db.segment.updateMany({ where: { workspaceId: ws.workspaceId, key: 'kids' }, data: { name: NAMES.kids } });
  await db.phase.updateMany({ where: { workspaceId: ws.workspaceId, key: 'attention' }, data: { name: NAMES.phase } });
  await db.channel.updateMany({ where: { workspaceId: ws.workspaceId, key: 'email' }, data: { name: NAMES.channel } });

  other = await app.workspace('Concurrent');
  const g = new Fixture(app.database.prisma, other.workspaceId);
  await g.journey('shop', [['attention', 'BECOME']]);
  await g.segment('families');
  await g.channel('email');
  await g.touchpoint('Geheim moment', 'attention', 'email');
  await g.piece({ title: 'Geheim van de concurrent', phases: ['attention'], channels: ['email'], status: 'SCHEDULED', publishAt: new Date('2026-04-01T08:00:00Z') });
  await db.segment.updateMany({ where: { workspaceId: other.workspaceId }, data: { name: 'Geheime gezinnen' } });

  token = (await app.gql(ws.EDITOR, CREATE, { input: { name: 'Strategie-wiki' } })).data?.createReportToken.token;
  otherToken = (await app.gql(other.ADMIN, CREATE, { input: { name: 'Concurrent' } })).data?.createReportToken.token;
});
afterAll(() => app.close());

async function get(report: string, query: Record<string, string>, as = token) {
  const response = await app.fetch(`/reports/${report}?${new URLSearchParams({ token: as, ...query })}`);
  return { status: response.status, headers: response.headers, body: await response.text() };
}

/** RFC 4180, as a spreadsheet reads it (byte-order mark dropped): rows of fields. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const body = text.replace(/^\ufeff/, '');
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\r' && body[i + 1] === '\n') rows.push([...row, field]), (row = []), (field = ''), i++;
    else field += c;
  }
  return rows;
}

/** CSV rows as objects by header. */
function records(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  return rows.map((row) => Object.fromEntries((header ?? []).map((name, i) => [name, row[i] ?? ''])));
}

describe('report tokens', () => {
  it('an EDITOR creates one, shown once with the report\'s URL, stored only as a hash', async () => {
    const res = await app.gql(ws.EDITOR, CREATE, { input: { name: 'Kwartaaloverleg' } });
    const created = res.data?.createReportToken;
    expect(created.userErrors).toEqual([]);
    expect(created.token).toMatch(/^cpr_[A-Za-z0-9_-]{43}$/);
    expect(created.reportUrl).toBe(`http://test/reports/matrix.html?token=${encodeURIComponent(created.token)}`);
    expect(created.reportToken).toMatchObject({ name: 'Kwartaaloverleg', prefix: created.token.slice(0, 10), revoked: false });
    const stored = await app.database.prisma.reportToken.findFirstOrThrow({ where: { name: 'Kwartaaloverleg' } });
    expect(stored.tokenHash).toBe(hashSecret(created.token));
    expect(JSON.stringify(stored)).not.toContain(created.token);
    const listed = await app.gql(ws.ADMIN, '{ reportTokens { totalCount edges { node { name } } } }');
    expect(listed.data?.reportTokens.edges.map((e: { node: { name: string } }) => e.node.name)).toEqual(['Strategie-wiki', 'Kwartaaloverleg']);
  });

  it('a DELIVERY key can neither create nor list nor revoke them, and writes nothing', async () => {
    const before = await workspaceSnapshot(app.database.prisma, ws.workspaceId);
    const created = await app.gql(ws.DELIVERY, CREATE, { input: { name: 'Website' } });
    expect(created.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const listed = await app.gql(ws.DELIVERY, '{ reportTokens { totalCount } }');
    expect(listed.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const id = (await app.gql(ws.EDITOR, '{ reportTokens { edges { node { id } } } }')).data?.reportTokens.edges[0].node.id;
    const revoked = await app.gql(ws.DELIVERY, REVOKE, { id });
    expect(revoked.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await workspaceSnapshot(app.database.prisma, ws.workspaceId)).toEqual(before);
  });

  it('refuses a name that is empty, and another workspace\'s token as not found', async () => {
    const empty = await app.gql(ws.EDITOR, CREATE, { input: { name: '  ' } });
    expect(empty.data?.createReportToken.userErrors).toMatchObject([{ field: ['input', 'name'], code: 'INVALID' }]);
    const theirs = (await app.gql(other.EDITOR, '{ reportTokens { edges { node { id } } } }')).data?.reportTokens.edges[0].node.id;
    const res = await app.gql(ws.EDITOR, REVOKE, { id: theirs });
    expect(res.data?.revokeReportToken.userErrors).toMatchObject([{ field: ['input', 'id'], code: 'NOT_FOUND' }]);
    expect(await get('matrix.csv', { journey: 'shop' }, otherToken)).toMatchObject({ status: 200 });
  });

  it('a revoked token opens no report from then on, and revoking it again is refused', async () => {
    const created = (await app.gql(ws.EDITOR, CREATE, { input: { name: 'Tijdelijk' } })).data?.createReportToken;
    expect((await get('matrix.html', { journey: 'shop' }, created.token)).status).toBe(200);
    const revoked = await app.gql(ws.EDITOR, REVOKE, { id: created.reportToken.id });
    expect(revoked.data?.revokeReportToken).toMatchObject({ reportToken: { revoked: true }, userErrors: [] });
    for (const report of REPORTS) {
      const res = await get(report, { journey: 'shop' }, created.token);
      expect(res.status, report).toBe(401);
      expect(JSON.parse(res.body).errors[0]).toEqual({ message: 'This report token is unknown or revoked.', extensions: { code: 'UNAUTHENTICATED' } });
    }
    const again = await app.gql(ws.EDITOR, REVOKE, { id: created.reportToken.id });
    expect(again.data?.revokeReportToken.userErrors).toMatchObject([{ code: 'INVALID', message: 'Report token "Tijdelijk" is already revoked.' }]);
  });

  it('a report token does not open the calendar feed, nor a calendar token the reports', async () => {
    const calendarToken = (await app.gql(ws.EDITOR, 'mutation { createCalendarToken(input: { name: "Agenda" }) { token } }')).data?.createCalendarToken.token;
    expect((await app.fetch(`/calendar.ics?token=${encodeURIComponent(token)}`)).status).toBe(401);
    expect((await get('matrix.svg', { journey: 'shop' }, calendarToken)).status).toBe(401);
    expect((await app.fetch(`/calendar.ics?token=${encodeURIComponent(calendarToken)}`)).status).toBe(200);
  });
});

describe('the report routes', () => {
  it('each shows its own workspace only, whatever the filters name', async () => {
    for (const report of REPORTS) {
      const mine = await get(report, { journey: 'shop', at: AT });
      expect(mine.status, report).toBe(200);
      expect(mine.body, report).not.toMatch(/Geheim|Concurrent/);
      const theirs = await get(report, { journey: 'shop', at: AT }, otherToken);
      expect(theirs.status, report).toBe(200);
      expect(theirs.body, report).not.toMatch(/Fietsenwinkel|Zomeractie|kids|Reis|onboard/);
    }
    expect((await get('matrix.csv', { journey: 'shop', at: AT }, otherToken)).body).toContain('Geheime gezinnen');
    expect((await get('calendar.csv', { from: '2026-03-01', to: '2026-05-01' }, otherToken)).body).toContain('Geheim van de concurrent');
  });

  it('refuses a missing or unknown token, and an unknown report, with stable codes', async () => {
    const missing = await app.fetch('/reports/matrix.svg?journey=shop');
    expect(missing.status).toBe(401);
    expect((await missing.json()).errors[0].extensions).toEqual({ code: 'UNAUTHENTICATED' });
    expect((await get('matrix.svg', { journey: 'shop' }, 'cpr_nope')).status).toBe(401);
    for (const path of ['/reports/nothing.csv', '/reports/constructor', '/reports/']) {
      const unknown = await app.fetch(`${path}?token=${token}`);
      expect(unknown.status, path).toBe(404);
      expect((await unknown.json()).errors[0]).toMatchObject({ message: expect.stringContaining('/reports/matrix.svg'), extensions: { code: 'NOT_FOUND' } });
    }
  });

  it('refuses each bad filter as BAD_USER_INPUT naming the parameter, before reading anything', async () => {
    // Syntax is checked before any SQL but the token's lookup; keys (journey, segments, channels) against the frame the matrix reads anyway.
    const cases: [string, Record<string, string>, string, RegExp, 'syntax' | 'key'][] = [
      ['matrix.svg', {}, 'journey', /is required: the key of the journey model to draw \(one of journey=shop\)/, 'key'],
      ['matrix.html', { journey: 'nope' }, 'journey', /no journey model with key "nope"/, 'key'],
      ['matrix.csv', { journey: 'shop', scope: 'LATER' }, 'scope', /"LATER" is not one of BECOME, BE, STAY/, 'syntax'],
      ['matrix.csv', { journey: 'shop', segments: 'families,ghosts' }, 'segments', /ghosts/, 'key'],
      ['matrix.csv', { journey: 'shop', channels: 'fax' }, 'channels', /fax/, 'key'],
      ['matrix.svg', { journey: 'shop', at: 'yesterday' }, 'at', /not an ISO-8601 date/, 'syntax'],
      ['matrix.svg', { journey: 'shop', includeSubSegments: 'maybe' }, 'includeSubSegments', /not true or false/, 'syntax'],
      ['gaps.csv', { journey: 'shop', kinds: 'MISSING,BAD' }, 'kinds', /"BAD" is not one of/, 'syntax'],
      ['gaps.csv', { journey: 'shop', timeZone: 'Mars/Olympus' }, 'timeZone', /not a known IANA time zone/, 'syntax'],
      ['calendar.csv', { from: 'soon' }, 'from', /not an ISO-8601 date/, 'syntax'],
      ['calendar.csv', { from: '2026-05-01', to: '2026-04-01' }, 'to', /after "from"/, 'syntax'],
      ['calendar.csv', { statuses: 'LIVE' }, 'statuses', /"LIVE" is not one of/, 'syntax'],
      ['matrix.csv', { journey: 'shop\u0000' }, 'journey', /NUL/, 'syntax'],
    ];
    for (const [report, query, parameter, message, kind] of cases) {
      let res: Awaited<ReturnType<typeof get>> | undefined;
      const statements = await app.countStatements(async () => (res = await get(report, query)));
      expect(res?.status, `${report} ${parameter}`).toBe(400);
      const [error] = JSON.parse(res?.body ?? '').errors;
      expect(error.extensions, `${report} ${parameter}`).toEqual({ code: 'BAD_USER_INPUT', argument: parameter });
      expect(error.message, `${report} ${parameter}`).toMatch(message);
      expect(error.message).toMatch(new RegExp(`^Bad parameter "${parameter}": `));
      if (kind === 'syntax') expect(statements, `${report} ${parameter}`).toBe(1);
    }
  });

  it('answer with their type, a policy that forbids scripts, and no referrer (the token is in the URL)', async () => {
    const types: Record<string, string> = { svg: 'image/svg+xml', html: 'text/html', csv: 'text/csv' };
    for (const report of REPORTS) {
      const res = await get(report, { journey: 'shop' });
      expect(res.headers.get('content-type')).toBe(`${types[report.split('.')[1] as string]}; charset=utf-8`);
      expect(res.headers.get('content-security-policy')).toMatch(/^default-src 'none'; /);
      expect(res.headers.get('content-security-policy')).not.toContain('script-src');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('content-disposition')).toMatch(report.endsWith('.csv') ? /^attachment; filename="content-[a-z]+(-shop)?\.csv"$/ : /^inline; filename="content-matrix-shop\.(svg|html)"$/);
    }
  });
});

describe('the heat map', () => {
  const SQUARE = /<rect class="square" data-segment="([^"]*)" data-phase="([^"]*)" data-channel="([^"]*)" data-status="([A-Z_]+)"/g;
  const squaresOf = (svg: string) => [...svg.matchAll(SQUARE)].map((m) => m.slice(1).join(' '));

  it('draws one square per cell and channel with contentMatrix\'s status, in its order', async () => {
    const res = await app.gql(ws.EDITOR, `{ contentMatrix(journey: "shop", at: "${AT}") { cells { segment { key } phase { key } channel { key } status } } }`);
    const cells = res.data?.contentMatrix.cells as { segment: { key: string }; phase: { key: string }; channel: { key: string }; status: string }[];
    const expected = cells.map((c) => [c.segment.key, c.phase.key, c.channel.key, c.status].join(' '));
    expect(squaresOf((await get('matrix.svg', { journey: 'shop', at: AT })).body)).toEqual(expected);
    expect(squaresOf((await get('matrix.html', { journey: 'shop', at: AT })).body)).toEqual(expected);
  });

  it('indents sub-segments under their parent and groups phases under their scope', async () => {
    const { body } = await get('matrix.svg', { journey: 'shop', at: AT });
    const rows = [...body.matchAll(/<g class="row" data-segment="([^"]*)">\n<text class="segment" x="(\d+)"/g)].map((m) => [m[1], Number(m[2])]);
    expect(rows).toEqual([['families', 16], ['kids', 30]]);
    expect([...body.matchAll(/<g class="scope" data-scope="([A-Z]+)">/g)].map((m) => m[1])).toEqual(['BECOME', 'BE', 'STAY']);
    expect([...body.matchAll(/<g class="legend" data-status="([A-Z_]+)">/g)].map((m) => m[1])).toEqual(['MISSING', 'STALE', 'THIN', 'PLANNED_ONLY', 'EXPIRING', 'COVERED', 'NOT_EXPECTED']);
  });

  it('takes contentMatrix\'s filters: scope, channels, segments with or without their sub-segments', async () => {
    const keys = async (query: Record<string, string>) => new Set(squaresOf((await get('matrix.svg', { journey: 'shop', at: AT, ...query })).body).map((s) => s.split(' ').slice(0, 3).join(' ')));
    expect(await keys({ scope: 'BE' })).toEqual(new Set(['families onboard email', 'families onboard social', 'kids onboard email', 'kids onboard social']));
    expect(await keys({ scope: 'BE', channels: 'social' })).toEqual(new Set(['families onboard social', 'kids onboard social']));
    expect(await keys({ scope: 'BE', channels: 'social', segments: 'families', includeSubSegments: 'false' })).toEqual(new Set(['families onboard social']));
    expect(await keys({ scope: 'BE', channels: 'social', segments: 'families' })).toEqual(new Set(['families onboard social', 'kids onboard social']));
  });
});

describe('escaping in the SVG and the HTML', () => {
  it('writes every stored name as escaped text, never as markup', async () => {
    for (const report of ['matrix.svg', 'matrix.html']) {
      const { body } = await get(report, { journey: 'shop', at: AT });
      for (const raw of ['<b>', '<i>', '<u>', '<tp>', '<script', '"klein"', '"nieuws"', '("http://evil']) expect(body, `${report} ${raw}`).not.toContain(raw);
      expect(body).toContain('Reis &lt;b&gt;&amp;&lt;/b&gt;');
      expect(body).toContain('+kids &lt;i&gt;&quot;klein&quot;&lt;/i&gt;');
      expect(body).toContain('@fase &amp; &lt;u&gt;');
      expect(body).toContain('-mail, &quot;nieuws&quot;');
      expect(body).toContain('=HYPERLINK(&quot;http://evil.example&quot;) &lt;tp&gt;');
      expect(body).toContain('=cmd|&#39; /C calc&#39;!A0');
    }
  });

  it('keeps a control character stored before today\'s rules from breaking the XML', async () => {
    const db = app.database.prisma;
    await db.segment.updateMany({ where: { workspaceId: ws.workspaceId, key: 'families' }, data: { name: 'Gezinnen\u0001\u0008 met \u001f kinderen' } });
    try {
      const { body } = await get('matrix.svg', { journey: 'shop' });
      expect(body).toContain('Gezinnen\ufffd\ufffd met \ufffd kinderen');
      expect(body).not.toMatch(/[\u0001\u0008\u001f]/);
    } finally {
      await db.segment.updateMany({ where: { workspaceId: ws.workspaceId, key: 'families' }, data: { name: NAMES.families } });
    }
  });
});

describe('CSV exports', () => {
  it('the matrix: the documented header, then one row per cell and channel, as contentMatrix answers it', async () => {
    const { body } = await get('matrix.csv', { journey: 'shop', at: AT });
    // A byte-order mark first, for Excel (Response.text() drops it, as spreadsheets do).
    const bytes = new Uint8Array(await (await app.fetch(`/reports/matrix.csv?token=${token}&journey=shop`)).arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(body.endsWith('\r\n')).toBe(true);
    expect(parseCsv(body)[0]).toEqual([...MATRIX_COLUMNS]);
    const rows = records(body);
    const res = await app.gql(ws.EDITOR, `{ contentMatrix(journey: "shop", at: "${AT}") { cells { segment { key } phase { key } channel { key } status liveCount plannedCount expectedMinimum } } }`);
    const cells = res.data?.contentMatrix.cells as { segment: { key: string }; phase: { key: string }; channel: { key: string }; status: string; liveCount: number; plannedCount: number; expectedMinimum: number }[];
    expect(rows).toHaveLength(2 * 3 * 2);
    expect(rows.map((r) => [r.segment, r.phase, r.channel, r.status, r.liveCount, r.plannedCount, r.expectedMinimum].join(' '))).toEqual(
      cells.map((c) => [c.segment.key, c.phase.key, c.channel.key, c.status, c.liveCount, c.plannedCount, c.expectedMinimum].join(' ')),
    );
    const kids = rows.find((r) => r.segment === 'kids' && r.phase === 'onboard' && r.channel === 'social');
    expect(kids).toMatchObject({ journey: 'shop', at: '2026-03-29T12:00:00Z', parentSegment: 'families', depth: '1', scope: 'BE', status: 'COVERED', published: '1', touchpoints: 'Welkom', gapKind: '', gapMessage: '' });
    const missing = rows.find((r) => r.segment === 'families' && r.phase === 'attention' && r.channel === 'email');
    expect(missing).toMatchObject({ status: 'PLANNED_ONLY', gapKind: 'PLANNED_ONLY', plannedCount: '1', scheduled: '1' });
    expect(missing?.gapMessage).toContain('Nothing is live yet');
  });

  it('the gaps: ranked as contentGaps ranks them, filtered by kinds', async () => {
    const all = records((await get('gaps.csv', { journey: 'shop', at: AT })).body);
    const res = await app.gql(ws.EDITOR, `{ contentGaps(journey: "shop", at: "${AT}", first: 100) { edges { node { kind severity message segment { key } phase { key } channel { key } suggestedFormats } } } }`);
    const gaps = res.data?.contentGaps.edges.map((e: { node: unknown }) => e.node) as { kind: string; severity: number; message: string; segment: { key: string }; phase: { key: string }; channel: { key: string }; suggestedFormats: string[] }[];
    expect(gaps.length).toBeGreaterThan(1);
    expect(all.map((r) => [r.rank, r.kind, r.severity, r.segment, r.phase, r.channel, r.suggestedFormats].join(' '))).toEqual(
      gaps.map((g, i) => [i + 1, g.kind, g.severity, g.segment.key, g.phase.key, g.channel.key, g.suggestedFormats.join('; ')].join(' ')),
    );
    // A message that starts like a formula would is defused; the rest reads as written.
    expect(all.map((r) => (r.message ?? '').replace(/^'(?=[=+\-@])/, ''))).toEqual(gaps.map((g) => g.message));
    const planned = records((await get('gaps.csv', { journey: 'shop', at: AT, kinds: 'PLANNED_ONLY' })).body);
    expect(planned.map((r) => r.kind)).toEqual(gaps.filter((g) => g.kind === 'PLANNED_ONLY').map(() => 'PLANNED_ONLY'));
    expect(planned.map((r) => r.rank)).toEqual(planned.map((_, i) => String(i + 1)));
    expect(parseCsv((await get('gaps.csv', { journey: 'shop' })).body)[0]).toEqual([...GAP_COLUMNS]);
  });

  it('the calendar: each entry with its instants in ISO 8601 in the asked time zone', async () => {
    const { body } = await get('calendar.csv', { from: '2026-03-01', to: '2026-08-01', timeZone: 'Europe/Amsterdam' });
    expect(parseCsv(body)[0]).toEqual([...CALENDAR_COLUMNS]);
    const rows = records(body);
    expect(rows.map((r) => [r.at, r.event, r.status].join(' '))).toEqual([
      // 23:30 UTC on the 28th is 00:30 on the 29th in Amsterdam, still winter time (+01:00) until 02:00 that night.
      '2026-03-29T00:30:00+01:00 PUBLISH PUBLISHED',
      '2026-07-01T10:00:00+02:00 PUBLISH SCHEDULED',
    ]);
    expect(rows[0]).toMatchObject({ timeZone: 'Europe/Amsterdam', phases: 'shop:onboard', channels: 'social', segments: 'kids', format: 'ARTICLE', publishAt: '2026-03-29T00:30:00+01:00', expiresAt: '' });
    expect(rows[1]).toMatchObject({ phases: 'shop:attention', channels: 'email', segments: '' });
    const utc = records((await get('calendar.csv', { from: '2026-03-01', to: '2026-08-01' })).body);
    expect(utc.map((r) => r.at)).toEqual(['2026-03-28T23:30:00Z', '2026-07-01T08:00:00Z']);
  });

  it('defuses every text a spreadsheet would run as a formula, and quotes what needs quoting', async () => {
    const matrix = records((await get('matrix.csv', { journey: 'shop', at: AT })).body);
    const families = matrix.find((r) => r.segment === 'families' && r.phase === 'attention' && r.channel === 'email');
    expect(families).toMatchObject({
      segmentName: `'${NAMES.families}`,
      phaseName: `'${NAMES.phase}`,
      channelName: `'${NAMES.channel}`,
      touchpoints: `'${NAMES.touchpoint}`,
    });
    expect(matrix.find((r) => r.segment === 'kids')?.segmentName).toBe(`'${NAMES.kids}`);
    const calendar = records((await get('calendar.csv', { from: '2026-03-01', to: '2026-08-01' })).body);
    expect(calendar[0]?.title).toBe(`'${NAMES.title}`);
    // No field of any export starts with a formula character once read by a spreadsheet.
    for (const report of ['matrix.csv', 'gaps.csv', 'calendar.csv']) {
      const { body } = await get(report, { journey: 'shop', at: AT, from: '2026-03-01', to: '2026-08-01' });
      for (const row of parseCsv(body).slice(1)) for (const field of row) expect(field, report).not.toMatch(/^[=+\-@\t\r]/);
    }
  });

  it('a tab or a carriage return at the start of a text is defused too', async () => {
    const db = app.database.prisma;
    await db.contentPiece.updateMany({ where: { workspaceId: ws.workspaceId, title: 'Zomeractie' }, data: { title: '\t=Zomer\r\nactie' } });
    try {
      const rows = records((await get('calendar.csv', { from: '2026-03-01', to: '2026-08-01' })).body);
      expect(rows[1]?.title).toBe("'\t=Zomer\r\nactie");
    } finally {
      await db.contentPiece.updateMany({ where: { workspaceId: ws.workspaceId, title: '\t=Zomer\r\nactie' }, data: { title: 'Zomeractie' } });
    }
  });
});

describe('the reports under load and failure', () => {
  it('every report request pays into its token\'s budget, and an unknown token is refused from memory the second time', async () => {
    const yoga = createServer({ database: app.database, mode: 'production', rateLimits: { perKey: 2, perIp: 1000, windowSeconds: 60, trustProxy: true } });
    const from = (ip: string) => ({ headers: { 'x-forwarded-for': `10.0.0.9, ${ip}` } });
    try {
      const url = `http://test/reports/gaps.csv?journey=shop&token=${token}`;
      expect((await yoga.fetch(url, from('192.0.2.1'))).status).toBe(200);
      expect((await yoga.fetch(url, from('192.0.2.2'))).status).toBe(200);
      let third: Response | undefined;
      const statements = await app.countStatements(async () => (third = await yoga.fetch(url, from('192.0.2.3'))));
      expect(third?.status).toBe(429);
      expect((await third?.json()).errors[0]).toMatchObject({ message: expect.stringContaining('this report token'), extensions: { code: 'RATE_LIMITED' } });
      expect(statements).toBe(0);

      const unknown = `http://test/reports/matrix.svg?journey=shop&token=cpr_unknown`;
      expect(await app.countStatements(async () => expect((await yoga.fetch(unknown, from('192.0.2.4'))).status).toBe(401))).toBeGreaterThan(0);
      expect(await app.countStatements(async () => expect((await yoga.fetch(unknown, from('192.0.2.4'))).status).toBe(401))).toBe(0);
    } finally {
      await yoga.dispose();
    }
  });

  it('answers a plain 500 over HTTP when the database fails, with no stack, SQL or table name', async () => {
    await withTableGone('ReportToken', async (fetchPath, logged) => {
      const response = await fetchPath('/reports/matrix.html?token=cpr_anything&journey=shop');
      expect(response.status).toBe(500);
      expect(await response.text()).toBe('Unexpected error.\n');
      expect(logged).toContainEqual(expect.objectContaining({ level: 'error', msg: 'Report failed' }));
    });
  });
});

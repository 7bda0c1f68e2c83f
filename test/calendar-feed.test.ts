import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEED_EVENT_MINUTES } from '../src/calendar/feed.js';
import { loadConfig } from '../src/config.js';
import { createServer } from '../src/server.js';
import { startTestApp, type TestApp, type WorkspaceKeys } from './support/app.js';
import { Fixture } from './support/fixtures.js';

const CREATE = /* GraphQL */ `
  mutation ($input: CreateCalendarTokenInput!) {
    createCalendarToken(input: $input) { calendarToken { id name prefix revoked } token feedUrl userErrors { field code message } }
  }
`;
const REVOKE = /* GraphQL */ `
  mutation ($id: ID!) { revokeCalendarToken(input: { id: $id }) { calendarToken { revoked revokedAt } userErrors { field code } } }
`;

let app: TestApp;
let feed: ReturnType<typeof createServer>;
let ws: WorkspaceKeys;
let other: WorkspaceKeys;
let fixture: Fixture;
let token: string;
let tokenId: string;

const DAY = 86_400_000;
const today = new Date(Math.floor(Date.now() / DAY) * DAY);
const days = (n: number, hour = 9) => new Date(today.getTime() + n * DAY + hour * 3_600_000);

beforeAll(async () => {
  app = await startTestApp();
  feed = createServer({ database: app.database, mode: 'production' });
  ws = await app.workspace('Fietsenwinkel');
  fixture = new Fixture(app.database.prisma, ws.workspaceId);
  await fixture.journey('shop', [['attention', 'BECOME'], ['always', 'STAY']]);
  await fixture.segment('families');
  await fixture.segment('students');
  await fixture.channel('email', 2);
  await fixture.channel('social');
  await fixture.piece({ title: 'Fiets, slot; en \\ meer: een héél lange titel die zeker over de vijfenzeventig octetten van een regel gaat', phases: ['attention'], channels: ['social'], segments: ['students'], status: 'SCHEDULED', publishAt: days(3) });
  await fixture.piece({ title: 'Nieuwsbrief', phases: ['always'], channels: ['email'], status: 'PUBLISHED', publishAt: days(-10), expiresAt: days(20), reviewAt: days(40) });
  await fixture.piece({ title: 'Gezinsdag', phases: ['attention'], channels: ['email', 'social'], segments: ['families'], status: 'DRAFT', publishAt: days(200) });
  await fixture.piece({ title: 'Oud nieuws', phases: ['attention'], channels: ['social'], segments: ['families'], status: 'PUBLISHED', publishAt: days(-100) });
  await app.database.prisma.contentPiece.updateMany({ where: { title: 'Nieuwsbrief' }, data: { url: 'https://fiets.example/nieuwsbrief' } });

  other = await app.workspace('Concurrent');
  const g = new Fixture(app.database.prisma, other.workspaceId);
  await g.journey('shop', [['attention', 'BECOME']]);
  await g.segment('families');
  await g.channel('social');
  await g.piece({ title: 'Geheim van de concurrent', phases: ['attention'], channels: ['social'], segments: ['families'], status: 'SCHEDULED', publishAt: days(3) });

  const created = await app.gql(ws.EDITOR, CREATE, { input: { name: 'Marketing agenda' } });
  token = created.data?.createCalendarToken.token;
  tokenId = created.data?.createCalendarToken.calendarToken.id;
});
afterAll(async () => {
  await feed.dispose();
  await app.close();
});

async function get(query: string) {
  const response = await feed.fetch(`http://test/calendar.ics?${query}`);
  return { status: response.status, type: response.headers.get('content-type'), body: await response.text() };
}

function events(body: string) {
  const calendar = new ICAL.Component(ICAL.parse(body));
  return calendar.getAllSubcomponents('vevent').map((component) => {
    const event = new ICAL.Event(component);
    return {
      uid: event.uid,
      summary: event.summary,
      start: event.startDate.toJSDate(),
      end: event.endDate.toJSDate(),
      seconds: event.duration.toSeconds(),
      utc: event.startDate.zone?.tzid === 'UTC',
      url: component.getFirstPropertyValue('url'),
      description: event.description,
    };
  });
}

describe('the iCalendar feed', () => {
  it('createCalendarToken answers the token once, with the feed URL; the token is stored hashed', async () => {
    expect(token).toMatch(/^cpc_/);
    const res = await app.gql(ws.EDITOR, '{ calendarTokens { totalCount edges { node { name prefix revoked } } } }');
    expect(res.data?.calendarTokens).toEqual({ totalCount: 1, edges: [{ node: { name: 'Marketing agenda', prefix: token.slice(0, 10), revoked: false } }] });
    const row = await app.database.prisma.calendarToken.findFirstOrThrow({ where: { workspaceId: ws.workspaceId } });
    expect(row.tokenHash).not.toContain(token);
    expect(JSON.stringify(await app.gql(ws.EDITOR, '{ calendarTokens { edges { node { tokenHash } } } }'))).toContain('Cannot query field');
  });

  it('serves one event per entry, parsed by a real iCalendar parser, with stable UIDs, UTC starts, summary and URL', async () => {
    const created = await app.gql(ws.EDITOR, CREATE, { input: { name: 'Tweede' } });
    expect(created.data?.createCalendarToken.feedUrl).toBe(`http://test/calendar.ics?token=${created.data?.createCalendarToken.token}`);
    const res = await get(`token=${encodeURIComponent(token)}`);
    expect(res.status).toBe(200);
    expect(res.type).toContain('text/calendar');
    expect(res.body).toContain('X-WR-CALNAME:Content calendar · Fietsenwinkel');
    const parsed = events(res.body);
    // The default window is 90 days back and 300 ahead: "Oud nieuws" (100 days ago) is outside.
    expect(parsed.map((e) => e.summary).sort()).toEqual([
      'Expires: Nieuwsbrief · email · all segments',
      'Publish: Fiets, slot; en \\ meer: een héél lange titel die zeker over de vijfenzeventig octetten van een regel gaat · social · STUDENTS',
      'Publish: Gezinsdag · email, social · FAMILIES',
      'Publish: Nieuwsbrief · email · all segments',
      'Review: Nieuwsbrief · email · all segments',
    ]);
    const [piece] = await app.database.prisma.contentPiece.findMany({ where: { title: 'Nieuwsbrief' } });
    const publish = parsed.find((e) => e.summary.startsWith('Publish: Nieuwsbrief'))!;
    expect(publish).toMatchObject({ uid: `${piece!.id}-publish@content-planning`, start: days(-10), utc: true, url: 'https://fiets.example/nieuwsbrief' });
    expect(publish.description).toContain('Status: Published');
    expect(res.body).toMatch(/\r\nDTSTART:\d{8}T\d{6}Z\r\n/);
  });

  it('folds lines at 75 octets and escapes commas, semicolons and backslashes', async () => {
    const { body } = await get(`token=${encodeURIComponent(token)}`);
    const lines = body.split('\r\n');
    expect(lines.every((line) => Buffer.byteLength(line, 'utf8') <= 75)).toBe(true);
    expect(lines.some((line) => line.startsWith(' '))).toBe(true);
    expect(body.replace(/\r\n /g, '')).toContain('SUMMARY:Publish: Fiets\\, slot\\; en \\\\ meer');
  });

  it('keeps UIDs when a piece moves, so calendar programs update instead of duplicating', async () => {
    const before = events((await get(`token=${token}`)).body);
    await app.database.prisma.contentPiece.updateMany({ where: { title: 'Gezinsdag' }, data: { publishAt: days(201, 14) } });
    const after = events((await get(`token=${token}`)).body);
    expect(after.map((e) => e.uid).sort()).toEqual(before.map((e) => e.uid).sort());
    expect(after.find((e) => e.summary.includes('Gezinsdag'))?.start).toEqual(days(201, 14));
  });

  it('filters by segments, channels, statuses and range given as query parameters', async () => {
    const students = events((await get(`token=${token}&segments=students`)).body).map((e) => e.summary.split(' · ')[0]);
    expect(students.sort()).toEqual(['Expires: Nieuwsbrief', 'Publish: Fiets, slot; en \\ meer: een héél lange titel die zeker over de vijfenzeventig octetten van een regel gaat', 'Publish: Nieuwsbrief', 'Review: Nieuwsbrief']);
    const social = events((await get(`token=${token}&channels=social&statuses=DRAFT,SCHEDULED`)).body).map((e) => e.summary.split(' · ')[0]);
    expect(social.sort()).toEqual(['Publish: Fiets, slot; en \\ meer: een héél lange titel die zeker over de vijfenzeventig octetten van een regel gaat', 'Publish: Gezinsdag']);
    const from = days(-120, 0).toISOString();
    const to = days(-90, 0).toISOString();
    const old = events((await get(`token=${token}&from=${from}&to=${to}&timeZone=Europe/Amsterdam`)).body);
    expect(old.map((e) => e.summary)).toEqual(['Publish: Oud nieuws · social · FAMILIES']);
  });

  it('text stored before the input rules (line breaks, control characters) cannot forge events or break the feed', async () => {
    const forged = (uid: string) => `\r\nEND:VCALENDAR\r\nBEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:${uid}\r\nDTSTART:20260101T000000Z\r\nSUMMARY:Free bikes\r\nEND:VEVENT\r\n`;
    const hostile = await app.workspace('placeholder');
    const db = app.database.prisma;
    // Straight into the database, as data written before validation could be.
    await db.workspace.update({ where: { id: hostile.workspaceId }, data: { name: `Evil, Inc.;\\${forged('forged-by-name')}X-END:\u001b\u0085\u007f` } });
    const h = new Fixture(db, hostile.workspaceId);
    await h.journey('shop', [['attention', 'BECOME']]);
    await h.segment('families');
    await h.channel('social');
    const piece = await h.piece({ title: 'Real', phases: ['attention'], channels: ['social'], segments: ['families'], status: 'SCHEDULED', publishAt: days(3) });
    await db.contentPiece.update({ where: { id: piece.id }, data: { title: `Real${forged('forged-by-title')}`, url: `https://fiets.example/a${forged('forged-by-url')}`, externalId: `cms\u000b1\r\n` } });
    await db.channel.updateMany({ where: { workspaceId: hostile.workspaceId }, data: { name: `Social\u0001\u001b${forged('forged-by-channel')}` } });
    const created = await app.gql(hostile.EDITOR, CREATE, { input: { name: 'Hostile agenda' } });

    const res = await get(`token=${created.data?.createCalendarToken.token}`);
    expect(res.status).toBe(200);
    const calendar = new ICAL.Component(ICAL.parse(res.body));
    expect(calendar.name).toBe('vcalendar');
    const name = `Content calendar · Evil, Inc.;\\${forged('forged-by-name').replace(/\r\n/g, '  ')}X-END:   `;
    expect([calendar.getFirstPropertyValue('name'), calendar.getFirstPropertyValue('x-wr-calname')]).toEqual([name, name]);
    const parsed = events(res.body);
    expect(parsed.map((e) => e.uid)).toEqual([`${piece.id}-publish@content-planning`]);
    expect(parsed[0]!.summary).toMatch(/^Publish: Real {2}END:VCALENDAR {2}BEGIN:VCALENDAR/);
    expect(res.body).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/);
    expect(res.body.split('\r\n').filter((line) => /^(BEGIN|END):/.test(line))).toEqual(['BEGIN:VCALENDAR', 'BEGIN:VEVENT', 'END:VEVENT', 'END:VCALENDAR']);
  });

  it('answers 400 naming the parameter for bad parameters', async () => {
    const cases: [string, string][] = [
      ['from=gisteren', 'from'],
      ['timeZone=Mars/Olympus', 'timeZone'],
      ['segments=pensioners', 'segments'],
      ['channels=fax', 'channels'],
      ['phases=shop:nope', 'phases'],
      ['statuses=LIVE', 'statuses'],
      ['formats=SCROLL', 'formats'],
      ['scope=ALWAYS', 'scope'],
      ['from=2026-03-01&to=2026-02-01', 'to'],
      ['from=2026-01-01&to=2027-06-01', 'to'],
    ];
    for (const [query, parameter] of cases) {
      const res = await get(`token=${token}&${query}`);
      expect([query, res.status, res.body]).toEqual([query, 400, expect.stringContaining(`Bad parameter "${parameter}"`)]);
    }
  });

  it('answers 401 without a token, with an unknown one, and once it is revoked', async () => {
    expect((await get('')).status).toBe(401);
    expect(await get('token=cpc_unknown')).toMatchObject({ status: 401, body: expect.stringContaining('unknown or revoked') });
    const created = await app.gql(ws.ADMIN, CREATE, { input: { name: 'Kortstondig' } });
    const { token: short, calendarToken } = created.data?.createCalendarToken;
    expect((await get(`token=${short}`)).status).toBe(200);
    const revoked = await app.gql(ws.EDITOR, REVOKE, { id: calendarToken.id });
    expect(revoked.data?.revokeCalendarToken).toMatchObject({ calendarToken: { revoked: true }, userErrors: [] });
    expect((await get(`token=${short}`)).status).toBe(401);
    const again = await app.gql(ws.EDITOR, REVOKE, { id: calendarToken.id });
    expect(again.data?.revokeCalendarToken).toEqual({ calendarToken: null, userErrors: [{ field: ['input', 'id'], code: 'INVALID' }] });
    const listed = await app.gql(ws.EDITOR, '{ all: calendarTokens(includeRevoked: true) { totalCount } live: calendarTokens { totalCount } }');
    expect(listed.data).toEqual({ all: { totalCount: 3 }, live: { totalCount: 2 } });
  });

  it('refuses a nameless token with INVALID and writes nothing', async () => {
    const before = await app.database.prisma.calendarToken.count();
    const res = await app.gql(ws.EDITOR, CREATE, { input: { name: '  ' } });
    expect(res.data?.createCalendarToken).toMatchObject({ calendarToken: null, token: null, feedUrl: null, userErrors: [{ field: ['input', 'name'], code: 'INVALID' }] });
    expect(await app.database.prisma.calendarToken.count()).toBe(before);
  });

  it('tokens are for editors and admins: a delivery key may not create, list or revoke them', async () => {
    expect((await app.gql(ws.DELIVERY, CREATE, { input: { name: 'Website' } })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await app.gql(ws.DELIVERY, '{ calendarTokens { totalCount } }')).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await app.gql(ws.DELIVERY, REVOKE, { id: tokenId })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const node = await app.gql(ws.DELIVERY, 'query ($id: ID!) { node(id: $id) { id } }', { id: tokenId });
    expect(node.data?.node ?? null).toBeNull();
    expect(await app.database.prisma.calendarToken.count({ where: { workspaceId: ws.workspaceId, name: 'Website' } })).toBe(0);
  });

  it('a token shows its own workspace only, and another workspace can neither see nor revoke it', async () => {
    const mine = events((await get(`token=${token}`)).body);
    expect(mine.map((e) => e.summary).join('\n')).not.toContain('concurrent');
    const theirs = await app.gql(other.EDITOR, CREATE, { input: { name: 'Concurrent agenda' } });
    const theirEvents = events((await get(`token=${theirs.data?.createCalendarToken.token}`)).body);
    expect(theirEvents.map((e) => e.summary)).toEqual(['Publish: Geheim van de concurrent · social · FAMILIES']);
    expect((await app.gql(other.EDITOR, '{ calendarTokens { totalCount } }')).data?.calendarTokens.totalCount).toBe(1);
    expect((await app.gql(other.ADMIN, 'query ($id: ID!) { node(id: $id) { id } }', { id: tokenId })).data?.node).toBeNull();
    const revoke = await app.gql(other.EDITOR, REVOKE, { id: tokenId });
    expect(revoke.data?.revokeCalendarToken.userErrors).toEqual([{ field: ['input', 'id'], code: 'NOT_FOUND' }]);
    expect((await get(`token=${token}`)).status).toBe(200);
  });
});

describe('the feed\'s URL and its events', () => {
  it('createCalendarToken answers an absolute URL: PUBLIC_URL when set, else the address the request was sent to', async () => {
    const derived = (await app.gql(ws.EDITOR, CREATE, { input: { name: 'Afgeleid' } })).data?.createCalendarToken;
    expect(derived.feedUrl).toBe(`http://test/calendar.ics?token=${derived.token}`);
    const publicUrl = loadConfig({ PUBLIC_URL: 'https://plan.example.com/api/' }).publicUrl;
    const behindProxy = createServer({ database: app.database, mode: 'production', publicUrl });
    try {
      const response = await behindProxy.fetch('http://10.0.0.7:4000/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ws.EDITOR}` },
        body: JSON.stringify({ query: CREATE, variables: { input: { name: 'Publiek' } } }),
      });
      const configured = ((await response.json()) as { data: { createCalendarToken: { token: string; feedUrl: string } } }).data.createCalendarToken;
      expect(configured.feedUrl).toBe(`https://plan.example.com/api/calendar.ics?token=${configured.token}`);
      // What the proxy passes on opens the feed.
      expect((await get(new URL(configured.feedUrl).search.slice(1))).status).toBe(200);
    } finally {
      await behindProxy.dispose();
    }
  });

  it(`gives every event an end, ${FEED_EVENT_MINUTES} minutes after its moment`, async () => {
    const { body } = await get(`token=${token}`);
    const parsed = events(body);
    expect(parsed.length).toBeGreaterThan(0);
    for (const event of parsed) {
      expect(event.end.getTime() - event.start.getTime(), event.summary).toBe(FEED_EVENT_MINUTES * 60_000);
      expect(event.seconds).toBe(FEED_EVENT_MINUTES * 60);
    }
    expect(body.split('\r\n').filter((line) => line.startsWith('DTEND:'))).toHaveLength(parsed.length);
  });

  it('describes a piece\'s format and status in words', async () => {
    await app.database.prisma.contentPiece.updateMany({ where: { title: 'Gezinsdag' }, data: { format: 'HOW_TO_VIDEO' } });
    await app.database.prisma.contentPiece.updateMany({ where: { title: 'Nieuwsbrief' }, data: { format: 'FAQ' } });
    const parsed = events((await get(`token=${token}`)).body);
    const description = (title: string) => parsed.find((e) => e.summary.startsWith(`Publish: ${title}`))!.description.split('\n').slice(0, 2);
    expect(description('Gezinsdag')).toEqual(['Format: How-to video', 'Status: Draft']);
    expect(description('Nieuwsbrief')).toEqual(['Format: FAQ', 'Status: Published']);
    expect(description('Fiets')).toEqual(['Format: Article', 'Status: Scheduled']);
    for (const event of parsed) expect(event.description).not.toMatch(/\ba [AEIOU]|[A-Z]{2,}_[A-Z]/);
  });
});

describe('the iCalendar feed when the database fails', () => {
  it('answers a plain 500 over HTTP, with no stack, SQL or table name', async () => {
    const { withTableGone } = await import('./support/failing-server.js');
    await withTableGone('CalendarToken', async (fetchPath, logged) => {
      const response = await fetchPath('/calendar.ics?token=cpc_anything');
      expect(response.status).toBe(500);
      expect(await response.text()).toBe('Unexpected error.\n');
      expect(logged).toContainEqual(expect.objectContaining({ level: 'error', msg: 'Calendar feed failed' }));
    });
  });
});

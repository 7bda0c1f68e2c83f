import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { getNamedType, isObjectType } from 'graphql';
import { schema } from '../src/schema.js';
import { startTestApp, type GraphQLResponse, type TestApp, type WorkspaceKeys } from './support/app.js';
import { Fixture } from './support/fixtures.js';
import { buildWorld, firstId, type World } from './support/world.js';

/**
 * Paging: one rule for every list (first/last 0..100, refused above), and
 * cursors that are honoured only by the list, workspace and visibility they
 * were issued for. A cursor carries sort values inside the list's own
 * scope, so no row is ever looked up by a cursor.
 */

type Role = 'ADMIN' | 'EDITOR' | 'DELIVERY';

/** Every keyset list: its query with `$first/$last/$after/$before`, the role that reads it and the path to the connection. */
interface List {
  name: string;
  role: Role;
  query: string;
}

const page = 'totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id } }';
const PAGING = '$first: Int, $last: Int, $after: String, $before: String';
const paged = 'first: $first, last: $last, after: $after, before: $before';

const LISTS: List[] = [
  { name: 'journeys', role: 'DELIVERY', query: `query (${PAGING}) { list: journeys(${paged}) { ${page} } }` },
  { name: 'segments', role: 'DELIVERY', query: `query (${PAGING}) { list: segments(${paged}) { ${page} } }` },
  { name: 'channels', role: 'DELIVERY', query: `query (${PAGING}) { list: channels(${paged}) { ${page} } }` },
  { name: 'touchpoints', role: 'EDITOR', query: `query (${PAGING}) { list: touchpoints(${paged}) { ${page} } }` },
  { name: 'coverageRules', role: 'EDITOR', query: `query (${PAGING}) { list: coverageRules(${paged}) { ${page} } }` },
  { name: 'apiKeys', role: 'ADMIN', query: `query (${PAGING}) { list: apiKeys(includeRevoked: true, ${paged}) { ${page} } }` },
  { name: 'calendarTokens', role: 'EDITOR', query: `query (${PAGING}) { list: calendarTokens(includeRevoked: true, ${paged}) { ${page} } }` },
  { name: 'webhookEndpoints', role: 'ADMIN', query: `query (${PAGING}) { list: webhookEndpoints(${paged}) { ${page} } }` },
  { name: 'reportTokens', role: 'EDITOR', query: `query (${PAGING}) { list: reportTokens(includeRevoked: true, ${paged}) { ${page} } }` },
  ...['UPDATED_AT_DESC', 'PUBLISH_AT_ASC', 'PUBLISH_AT_DESC', 'PRIORITY_DESC', 'TITLE_ASC'].flatMap((order) =>
    (['EDITOR', 'DELIVERY'] as const).map((role) => ({
      name: `contentPieces(${order}) as ${role}`,
      role,
      query: `query (${PAGING}) { list: contentPieces(orderBy: ${order}, ${paged}) { ${page} } }`,
    })),
  ),
];

let app: TestApp;
let ws: WorkspaceKeys;

beforeAll(async () => {
  app = await startTestApp();
  ws = await app.workspace('Paged');
  await fill(new Fixture(app.database.prisma, ws.workspaceId));
});
afterAll(() => app.close());

/** Enough rows for several pages of every list, with ties and nulls in every sort column. */
async function fill(f: Fixture) {
  const db = app.database.prisma;
  await f.journey('shop', [['attention', 'BECOME'], ['purchase', 'BE'], ['loyalty', 'STAY']]);
  for (const key of ['c-journey', 'a-journey', 'e-journey', 'd-journey', 'f-journey']) await f.journey(key, []);
  await f.journey('b2b', [['aware', 'BECOME'], ['decide', 'BECOME']]);
  for (let i = 0; i < 11; i++) await f.segment(`seg-${String(i).padStart(2, '0')}`);
  for (let i = 0; i < 9; i++) await f.channel(`ch-${String(i).padStart(2, '0')}`);
  const phases = ['shop:attention', 'shop:purchase', 'shop:loyalty', 'b2b:aware', 'b2b:decide'];
  for (let i = 0; i < 13; i++) {
    // Names repeat and phases and channels collide, so the later keys of the journey order decide.
    await f.touchpoint(`touchpoint ${i % 4}`, phases[i % phases.length]!, `ch-0${i % 3}`);
  }
  const created = new Date('2026-01-01T00:00:00Z');
  for (let i = 0; i < 8; i++) {
    const rule = await f.rule({ channel: `ch-0${i}` }, { minLive: 1 + (i % 3) });
    // Equal creation instants: the id breaks the tie.
    await db.coverageRule.update({ where: { id: rule.id }, data: { createdAt: new Date(created.getTime() + Math.floor(i / 3) * 1000) } });
  }
  const statuses = ['PUBLISHED', 'PUBLISHED', 'DRAFT', 'PUBLISHED', 'IDEA'] as const;
  const publishAt = [null, new Date('2026-02-01T00:00:00Z'), null, new Date('2026-02-01T00:00:00Z'), new Date('2026-03-01T00:00:00Z')];
  for (let i = 0; i < 27; i++) {
    await f.piece({
      title: `Piece ${['b', 'a', 'c', 'a'][i % 4]} ${i % 5}`,
      phases: [phases[i % 3]!],
      channels: [`ch-0${i % 4}`],
      status: statuses[i % statuses.length],
      priority: [10, 50, 50, 90][i % 4],
      publishAt: publishAt[i % publishAt.length] ?? null,
      updatedAt: new Date(created.getTime() + (i % 6) * 60_000),
    });
  }
  for (let i = 0; i < 4; i++) await app.gql(ws.ADMIN, `mutation { createApiKey(input: { name: "extra ${i}", role: DELIVERY }) { secret } }`);
  for (let i = 0; i < 9; i++) await app.gql(ws.EDITOR, `mutation { createCalendarToken(input: { name: "token ${i}" }) { token } }`);
  for (let i = 0; i < 9; i++) await app.gql(ws.ADMIN, `mutation { createWebhookEndpoint(input: { url: "https://93.184.215.14/hook-${i}" }) { secret } }`);
  for (let i = 0; i < 9; i++) await app.gql(ws.EDITOR, `mutation { createReportToken(input: { name: "report ${i}" }) { token } }`);
}

async function read(list: List, variables: Record<string, unknown>, keys = ws) {
  const res = await app.gql(keys[list.role], list.query, variables);
  expect(res.errors, `${list.name} ${JSON.stringify(variables)}`).toBeUndefined();
  return res.data?.list as { totalCount: number; pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null }; edges: { cursor: string; node: { id: string } }[] };
}

const ids = (connection: { edges: { node: { id: string } }[] }) => connection.edges.map((e) => e.node.id);

describe('walking every list', () => {
  it.each(LISTS.map((list) => [list.name, list] as const))('%s: pages forward and backward visit every item once, in order', async (_name, list) => {
    const all = await read(list, { first: 100 });
    expect(all.edges.length).toBe(all.totalCount);
    expect(all.totalCount).toBeGreaterThan(6);

    const forward: string[] = [];
    let after: string | null = null;
    for (let pages = 0; ; pages++) {
      const connection = await read(list, { first: 4, after });
      forward.push(...ids(connection));
      expect(connection.pageInfo.hasPreviousPage).toBe(after !== null);
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
      expect(pages).toBeLessThan(50);
    }
    expect(forward).toEqual(ids(all));

    const backward: string[] = [];
    let before: string | null = null;
    for (let pages = 0; ; pages++) {
      const connection = await read(list, { last: 4, before });
      backward.unshift(...ids(connection));
      if (!connection.pageInfo.hasPreviousPage) break;
      before = connection.pageInfo.startCursor;
      expect(pages).toBeLessThan(50);
    }
    expect(backward).toEqual(ids(all));
  });

  it('a DELIVERY key pages through live pieces only, and an EDITOR through all', async () => {
    const delivery = await read(LISTS.find((l) => l.name === 'contentPieces(TITLE_ASC) as DELIVERY')!, { first: 100 });
    const editor = await read(LISTS.find((l) => l.name === 'contentPieces(TITLE_ASC) as EDITOR')!, { first: 100 });
    expect(delivery.totalCount).toBeLessThan(editor.totalCount);
    expect(ids(editor)).toEqual(expect.arrayContaining(ids(delivery)));
  });

  it('a page of `first: 0` reads no rows but says whether items follow', async () => {
    const list = LISTS[1]!;
    const empty = await read(list, { first: 0 });
    expect(empty.edges).toEqual([]);
    expect(empty.pageInfo.hasNextPage).toBe(true);
    expect(empty.totalCount).toBeGreaterThan(0);
  });
});

describe('cursors are honoured only where they were issued', () => {
  let A: World;
  let B: World;
  let logged: ReturnType<typeof vi.spyOn>[] = [];

  beforeAll(async () => {
    A = await buildWorld(app, 'ALPHA');
    B = await buildWorld(app, 'BRAVO');
  });
  afterEach(() => {
    // Refusals are the client's mistake: nothing, let alone a stack, goes to the log.
    for (const spy of logged) {
      expect(spy).not.toHaveBeenCalled();
      spy.mockRestore();
    }
    logged = [];
  });
  const watchLogs = () => {
    logged = [vi.spyOn(console, 'error'), vi.spyOn(console, 'warn'), vi.spyOn(console, 'log'), vi.spyOn(console, 'info')];
  };

  /** Sends `cursor` as `argument` and expects a BAD_USER_INPUT naming it, with no SQL at all. */
  async function expectRefused(list: List, keys: WorkspaceKeys, argument: 'after' | 'before', cursor: string) {
    await app.gql(keys[list.role], '{ viewer { role } }'); // the key is cached: a refusal then costs nothing
    watchLogs();
    let res: GraphQLResponse = { status: 0 };
    const statements = await app.countStatements(async () => {
      res = await app.gql(keys[list.role], list.query, argument === 'after' ? { first: 2, after: cursor } : { last: 2, before: cursor });
    });
    expect(res.data ?? null, list.name).toBeNull();
    expect(res.errors?.[0]?.extensions, list.name).toMatchObject({ code: 'BAD_USER_INPUT', argument });
    expect(statements, list.name).toBe(0);
  }

  async function cursorOf(list: List, keys: WorkspaceKeys): Promise<string> {
    const connection = await read(list, { first: 1 }, keys);
    expect(connection.pageInfo.endCursor).toBeTruthy();
    return connection.pageInfo.endCursor as string;
  }

  it.each(LISTS.map((list) => [list.name, list] as const))('%s: another workspace\'s cursor is refused, as after and as before', async (_name, list) => {
    const theirs = await cursorOf(list, A.keys);
    await expectRefused(list, B.keys, 'after', theirs);
    await expectRefused(list, B.keys, 'before', theirs);
  });

  it('refuses the cursor format that positioned a page by another workspace\'s row id', async () => {
    const list = LISTS.find((l) => l.name === 'contentPieces(TITLE_ASC) as EDITOR')!;
    const forged = Buffer.from(`GPC:S:${firstId(A, 'ContentPiece')}`).toString('base64');
    await expectRefused(list, B.keys, 'after', forged);
  });

  it('refuses an EDITOR\'s cursor to a DELIVERY key of the same workspace: it may point among drafts', async () => {
    const editor = LISTS.find((l) => l.name === 'contentPieces(TITLE_ASC) as EDITOR')!;
    const delivery = LISTS.find((l) => l.name === 'contentPieces(TITLE_ASC) as DELIVERY')!;
    await expectRefused(delivery, ws, 'after', await cursorOf(editor, ws));
  });

  it('refuses a cursor of another list, or of the same list in another order', async () => {
    const channels = LISTS.find((l) => l.name === 'channels')!;
    const segments = LISTS.find((l) => l.name === 'segments')!;
    await expectRefused(segments, ws, 'after', await cursorOf(channels, ws));
    const byTitle = LISTS.find((l) => l.name === 'contentPieces(TITLE_ASC) as EDITOR')!;
    const byPriority = LISTS.find((l) => l.name === 'contentPieces(PRIORITY_DESC) as EDITOR')!;
    await expectRefused(byPriority, ws, 'after', await cursorOf(byTitle, ws));
  });

  it('refuses tampered and made-up cursors', async () => {
    const list = LISTS.find((l) => l.name === 'contentPieces(TITLE_ASC) as EDITOR')!;
    const real = await cursorOf(list, ws);
    const [body, mac] = real.split('.') as [string, string];
    const values = JSON.parse(Buffer.from(body, 'base64url').toString()) as unknown[];
    const altered = Buffer.from(JSON.stringify(['A', ...values.slice(1)])).toString('base64url');
    for (const cursor of [`${altered}.${mac}`, `${body}.${mac.slice(0, -2)}AA`, body, '%%%not-a-cursor', 'GPC:N:-1', Buffer.from('GPC:J:[1]').toString('base64'), 'x'.repeat(5000)]) {
      await expectRefused(list, ws, 'after', cursor);
    }
  });
});

describe('page sizes', () => {
  /** Every root field returning a connection, with the arguments it cannot do without. */
  const REQUIRED: Record<string, string> = {
    recommendedContent: 'segment: "seg-00", phase: "attention", channel: "ch-00"',
    contentGaps: 'journey: "shop"',
    touchpointPaths: 'journey: "b2b", segment: "seg-00"',
  };
  const connections = Object.values(schema.getQueryType()!.getFields()).filter((field) => getNamedType(field.type).name.endsWith('Connection'));

  it('covers every connection of the schema', () => {
    expect(connections.map((f) => f.name).sort()).toEqual(
      ['apiKeys', 'calendarTokens', 'channels', 'contentGaps', 'contentPieces', 'coverageRules', 'journeys', 'recommendedContent', 'reportTokens', 'scenarios', 'segments', 'touchpointPaths', 'touchpoints', 'webhookEndpoints'].sort(),
    );
  });

  const cases = (name: string, hasLast: boolean): [string, string][] => [
    ['first: 101', 'first'],
    ['first: -1', 'first'],
    ...(hasLast ? ([['last: -5', 'last'], ['last: 101', 'last'], ['first: 2, last: 2', 'last']] as [string, string][]) : []),
    ...(name === 'contentGaps' || name === 'recommendedContent' ? [] : ([['after: "x", before: "y"', 'before']] as [string, string][])),
  ];

  it.each(connections.map((f) => [f.name, f] as const))('%s refuses page sizes outside 0..100 and mixed directions as BAD_USER_INPUT naming the argument', async (name, field) => {
    const hasLast = field.args.some((a) => a.name === 'last');
    const key = name === 'apiKeys' || name === 'webhookEndpoints' ? ws.ADMIN : ws.EDITOR;
    for (const [args, argument] of cases(name, hasLast)) {
      const all = [REQUIRED[name], args].filter(Boolean).join(', ');
      const res = await app.gql(key, `{ ${name}(${all}) { totalCount } }`);
      expect(res.errors?.[0]?.extensions, `${name}(${all})`).toMatchObject({ code: 'BAD_USER_INPUT', argument });
    }
  });

  it('the calendar\'s findings follow the same rule, and their cursors page both ways', async () => {
    const calendarType = getNamedType(schema.getQueryType()!.getFields().contentCalendar!.type);
    expect(isObjectType(calendarType) && getNamedType(calendarType.getFields().findings!.type).name).toMatch(/Connection$/);
    const query = (paging: string) =>
      `{ contentCalendar(from: "2026-01-01T00:00:00Z", to: "2026-12-31T00:00:00Z") { findings(${paging}) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { node { kind start } } } } }`;
    for (const [paging, argument] of [['first: -2', 'first'], ['first: 101', 'first'], ['last: -1', 'last'], ['after: "%%%"', 'after']]) {
      const res = await app.gql(ws.EDITOR, query(paging as string));
      expect(res.errors?.[0]?.extensions, paging).toMatchObject({ code: 'BAD_USER_INPUT', argument });
    }
  });
});

describe('the calendar\'s findings', () => {
  it('page forward and backward, each finding once, with cursors of their own list', async () => {
    const { loadDemoWorkspace } = await import('../src/demo/demo.js');
    const demo = await loadDemoWorkspace(app.database);
    const editor = demo.keys.find((k) => k.role === 'EDITOR')!.secret;
    const query = `query (${PAGING}) { contentCalendar(from: "${new Date(Date.now() - 200 * 86_400_000).toISOString()}", to: "${new Date(Date.now() + 190 * 86_400_000).toISOString()}") {
      findings(${paged}) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { kind start message } } } } }`;
    const findings = async (variables: Record<string, unknown>) => {
      const res = await app.gql(editor, query, variables);
      expect(res.errors).toBeUndefined();
      return res.data?.contentCalendar.findings;
    };
    const all = await findings({ first: 100 });
    expect(all.totalCount).toBeGreaterThanOrEqual(3);
    const messages = (page: { edges: { node: { message: string } }[] }) => page.edges.map((e) => e.node.message);
    const forward: string[] = [];
    for (let after: string | null = null; ; ) {
      const page = await findings({ first: 1, after });
      forward.push(...messages(page));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(forward).toEqual(messages(all));
    const backward: string[] = [];
    for (let before: string | null = null; ; ) {
      const page = await findings({ last: 2, before });
      backward.unshift(...messages(page));
      if (!page.pageInfo.hasPreviousPage) break;
      before = page.pageInfo.startCursor;
    }
    expect(backward).toEqual(messages(all));
    // Another workspace's editor cannot use them.
    const res = await app.gql(ws.EDITOR, query, { first: 1, after: all.edges[0].cursor });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
  });
});

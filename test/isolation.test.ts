import { getNamedType, isEnumType, isListType, isScalarType, type GraphQLField, type GraphQLInputType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../src/schema.js';
import { createServer } from '../src/server.js';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { startTestApp, type GraphQLResponse, type TestApp } from './support/app.js';
import { buildValue, isRequired, selectionOf } from './support/schema-walk.js';
import { workspaceSnapshot } from './support/snapshot.js';
import { buildWorld, firstId, idTypeOf, leaksOf, PHASES, type World } from './support/world.js';

/**
 * Workspace isolation, generated from the schema: every root query and every
 * mutation is called with workspace B's key and workspace A's ids and keys,
 * and nothing of A may come back or change. Both workspaces use the same
 * keys (journey "shop", segment "families", channel "email", externalId
 * "ext-1", ...), so a lookup that forgot the workspace would find A's rows.
 * A's names carry the marker ALPHA; B's carry BRAVO.
 */

/** Root fields the generator does not call, and why. A new root field must be generated or listed here. */
const NOT_GENERATED: Record<string, string> = {
  node: 'takes any global ID: called below with every id of A, one by one',
  nodes: 'takes any global IDs: called below with all ids of A at once',
};

const KEY_OF_ROOT_FIELD: Record<string, string> = { journey: 'shop', segment: 'families', channel: 'email' };
const DAY = 86_400_000;

let app: TestApp;
let feed: ReturnType<typeof createServer>;
let A: World;
let B: World;

beforeAll(async () => {
  app = await startTestApp();
  feed = createServer({ database: app.database, mode: 'production' });
  A = await buildWorld(app, 'ALPHA');
  B = await buildWorld(app, 'BRAVO');
});
afterAll(async () => {
  await feed.dispose();
  await app.close();
});

/** Values an attacker in B would send: B's (shared) keys, A's ids. Records whether an id of A was used. */
function attackerValues(rootField: string, usedIds: string[]) {
  const globalId = (type: string) => {
    const id = encodeGlobalID(type, firstId(A, type));
    usedIds.push(id);
    return id;
  };
  return (type: GraphQLInputType, path: string[], field: string): unknown => {
    if (isListType(type)) {
      const item = getNamedType(type).name;
      if (field === 'touchpoints') return [globalId('Touchpoint')];
      if (field === 'segments') return ['families'];
      if (field === 'channels') return ['email'];
      if (field === 'phases' && item === 'String') return [...PHASES];
      if (field === 'events') {
        const event = { clientEventId: 'bravo-event', type: 'IMPRESSION', segment: 'families', phase: 'attention', channel: 'email', occurredAt: new Date().toISOString(), visitorId: 'v', sessionId: 's' };
        return [{ ...event, pieceId: globalId('ContentPiece') }, { ...event, clientEventId: 'bravo-event-2', externalId: 'ext-1', touchpointId: globalId('Touchpoint') }];
      }
      return undefined;
    }
    if (isEnumType(type)) return type.getValues()[0]?.value;
    if (!isScalarType(type)) throw new Error(`no value for ${path.join('.')}`);
    switch (type.name) {
      case 'ID':
        if (field === 'id' && path.length === 2) return globalId(idTypeOf(rootField));
        if (field === 'sync') return globalId('ContentSync');
        if (field === 'scenario') return globalId('Scenario');
        if (field === 'piece') return globalId('ContentPiece');
        if (field === 'deliveryId') return globalId('WebhookDelivery');
        if (field === 'piece') return globalId('ContentPiece');
        throw new Error(`no id known for ${path.join('.')}`);
      case 'String':
        // Days (contentPerformance, touchpointPaths): a range around today.
        if (field === 'from') return new Date(Date.now() - 60 * DAY).toISOString().slice(0, 10);
        if (field === 'to') return new Date(Date.now() + 60 * DAY).toISOString().slice(0, 10);
        if (path.length === 1 && field === 'key') return KEY_OF_ROOT_FIELD[rootField] ?? fail(path);
        return stringFor(field);
      case 'Int':
        return { first: 20, position: 0, priority: 50, minLive: 1, emotion: 1, maxPerWeek: 2 }[field] ?? 30;
      case 'Boolean':
        return false;
      case 'Float':
        return 1;
      case 'DateTime':
        if (field === 'from') return new Date(Date.now() - 60 * DAY).toISOString();
        if (field === 'to') return new Date(Date.now() + 60 * DAY).toISOString();
        if (field === 'at') return new Date().toISOString();
        return new Date(Date.now() + 30 * DAY).toISOString();
      case 'Locale':
        return 'nl-NL';
      case 'URL':
        return 'https://example.com/bravo';
      default:
        throw new Error(`no value for scalar ${type.name} at ${path.join('.')}`);
    }
  };
}

function stringFor(field: string): string {
  const known: Record<string, string> = {
    journey: 'shop', segment: 'families', parent: 'families', channel: 'email', phase: 'attention', externalId: 'ext-1',
    key: 'bravo-new', template: 'five-a', timeZone: 'Europe/Amsterdam', search: 'piece', url: 'https://example.com/bravo-new',
  };
  return known[field] ?? `BRAVO new ${field}`;
}

function fail(path: string[]): never {
  throw new Error(`no value for ${path.join('.')}`);
}

/** Fields whose values point at other objects: always sent, so every reference is tried with A's id or a shared key. */
const REFERENCE_FIELDS = new Set(['id', 'journey', 'segment', 'segments', 'parent', 'channel', 'channels', 'phase', 'phases', 'touchpoints', 'externalId', 'filter']);
const PAGING = new Set(['after', 'before', 'last']);

const nestedArgs = (field: GraphQLField<unknown, unknown>) => {
  if (field.args.some(isRequired)) return null;
  return field.args.some((a) => a.name === 'first') ? '(first: 5)' : '';
};

/** A document calling `field` with its arguments as variables, selecting everything down to `depth`. */
function document(operation: 'query' | 'mutation', field: GraphQLField<unknown, unknown>, args: string[], depth: number): string {
  const vars = field.args.filter((a) => args.includes(a.name));
  const header = vars.length ? `(${vars.map((a) => `$${a.name}: ${String(a.type)}`).join(', ')})` : '';
  const call = vars.length ? `(${vars.map((a) => `${a.name}: $${a.name}`).join(', ')})` : '';
  const selection = selectionOf(schema, field.type, { depth, nestedArgs });
  return `${operation}${header} { ${field.name}${call}${selection ? ` { ${selection} }` : ''} }`;
}

function variablesFor(field: GraphQLField<unknown, unknown>, all: boolean, usedIds: string[]) {
  const choose = attackerValues(field.name, usedIds);
  const variables: Record<string, unknown> = {};
  for (const arg of field.args) {
    if (PAGING.has(arg.name)) continue;
    if (!isRequired(arg) && !all) continue;
    variables[arg.name] = buildValue(arg.type, [arg.name], choose, (name, required) => required || all || REFERENCE_FIELDS.has(name));
  }
  return variables;
}

/** Nothing of A in a response, except the ids the caller sent itself (echoed in "No Segment with id ..." messages). */
function expectNoLeak(response: unknown, sent: string[] = []) {
  const leaks = leaksOf(A, response).filter((leak) => !sent.some((id) => leak.endsWith(`(contains ${id})`)));
  expect(leaks, JSON.stringify(response).slice(0, 2000)).toEqual([]);
}

/**
 * The deepest selection the server's query limits accept, from `from` levels
 * down: the limits refuse a document before it runs, so a retry is safe.
 */
async function deepest(call: (depth: number) => Promise<GraphQLResponse>, from = 4): Promise<GraphQLResponse> {
  for (let depth = from; ; depth--) {
    const res = await call(depth);
    const limited = res.errors?.some((e) => e.extensions?.code === 'QUERY_LIMIT_EXCEEDED');
    if (!limited || depth === 1) return res;
  }
}

const queryFields = Object.values(schema.getQueryType()!.getFields());
/** Query arguments that name one object by id (not a filter over many): another workspace's id is refused there. */
const ONE_OBJECT_ARGUMENTS = ['scenario', 'piece'];
const mutationFields = Object.values(schema.getMutationType()!.getFields());

describe('every root field is covered', () => {
  it('each query and mutation can be generated, or is listed with a reason', () => {
    const missing: string[] = [];
    for (const field of [...queryFields, ...mutationFields]) {
      if (NOT_GENERATED[field.name]) continue;
      try {
        variablesFor(field, true, []);
        variablesFor(field, false, []);
      } catch (error) {
        missing.push(`${field.name}: ${(error as Error).message}`);
      }
    }
    expect(missing).toEqual([]);
    for (const name of Object.keys(NOT_GENERATED)) expect(schema.getQueryType()!.getFields()[name] ?? schema.getMutationType()!.getFields()[name]).toBeDefined();
  });
});

describe('queries with B\'s key return nothing of A', () => {
  for (const field of queryFields.filter((f) => !NOT_GENERATED[f.name])) {
    for (const all of [false, true]) {
      it(`${field.name} (${all ? 'every argument, with shared keys and A\'s ids' : 'required arguments only'}), deep selection`, async () => {
        const used: string[] = [];
        const variables = variablesFor(field, all, used);
        const res = await deepest((depth) => app.gql(B.keys.ADMIN, document('query', field, Object.keys(variables), depth), variables));
        const naming = ONE_OBJECT_ARGUMENTS.find((argument) => argument in variables);
        if (naming) {
          // A's scenario or piece is unusable in B: refused as naming nothing, with only the caller's own id echoed.
          expect(res.errors?.map((e) => e.extensions), JSON.stringify(res.errors)).toEqual([expect.objectContaining({ code: 'BAD_USER_INPUT', argument: naming })]);
          expectNoLeak(res, used);
          return;
        }
        expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
        expect(res.data?.[field.name]).toBeDefined();
        expectNoLeak(res);
      });
    }
  }

  it('the deep selections do find B\'s own objects (the test can see a leak)', async () => {
    const field = schema.getQueryType()!.getFields().contentPieces!;
    const res = await app.gql(B.keys.ADMIN, document('query', field, [], 4));
    expect(JSON.stringify(res)).toContain('BRAVO piece 1');
    expect(leaksOf(B, res).length).toBeGreaterThan(0);
  });

  it('node(id) answers null for every id of A, of every type', async () => {
    for (const [type, ids] of nodeIds(A)) {
      for (const id of ids) {
        const res = await app.gql(B.keys.ADMIN, `query ($id: ID!) { node(id: $id) { __typename id } }`, { id: encodeGlobalID(type, id) });
        expect(res.errors).toBeUndefined();
        expect(res.data?.node, `${type} ${id}`).toBeNull();
      }
    }
  });

  it('nodes(ids) answers null for every id of A, with a deep selection', async () => {
    const ids = nodeIds(A).flatMap(([type, list]) => list.map((id) => encodeGlobalID(type, id)));
    const res = await app.gql(B.keys.ADMIN, `query ($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }`, { ids });
    expect(res.errors).toBeUndefined();
    expect(res.data?.nodes).toEqual(ids.map(() => null));
  });

  it('B\'s own ids still resolve through node(id), so the null above means isolation', async () => {
    const res = await app.gql(B.keys.ADMIN, `query ($id: ID!) { node(id: $id) { id } }`, { id: encodeGlobalID('Segment', firstId(B, 'Segment')) });
    expect(res.data?.node).not.toBeNull();
  });
});

describe('mutations with B\'s key change nothing of A', () => {
  for (const field of mutationFields.filter((f) => !NOT_GENERATED[f.name])) {
    it(`${field.name} with A's ids and the shared keys in its input`, async () => {
      const usedIds: string[] = [];
      const variables = variablesFor(field, false, usedIds);
      const before = await workspaceSnapshot(app.database.prisma, A.keys.workspaceId);
      const res = await deepest((depth) => app.gql(B.keys.ADMIN, document('mutation', field, Object.keys(variables), depth), variables), 3);
      expect(res.status).toBeLessThan(500);
      expect(await workspaceSnapshot(app.database.prisma, A.keys.workspaceId)).toEqual(before);
      expectNoLeak(res, usedIds);
      if (usedIds.length > 0) {
        // An id of A is refused as unknown: NOT_FOUND naming the field, or a GraphQL error.
        const userErrors = (res.data?.[field.name]?.userErrors ?? []) as { code: string; field: string[] }[];
        // recordInteractions refuses per event: every one with an id of A as unknown.
        const events = (res.data?.[field.name]?.refused ?? null) as { code: string }[] | null;
        const refusedEvents = events !== null && events.length === (variables.input as { events?: unknown[] } | undefined)?.events?.length && events.every((e) => e.code.startsWith('UNKNOWN_'));
        const refused = (res.errors?.length ?? 0) > 0 || userErrors.some((e) => e.code === 'NOT_FOUND') || refusedEvents;
        expect(refused, JSON.stringify(res)).toBe(true);
        for (const e of res.errors ?? []) expect(e.extensions?.code, e.message).toBeDefined();
      }
    });
  }
});

describe('import and the calendar feed', () => {
  it('the calendar feed with B\'s token shows B\'s pieces and nothing of A', async () => {
    const response = await feed.fetch(`http://test/calendar.ics?token=${encodeURIComponent(B.calendarToken)}`);
    const body = await response.text();
    expect(response.status).toBe(200);
    expect(body).toContain('BRAVO piece');
    expect(leaksOf(A, body)).toEqual([]);
  });

  it('every report with B\'s report token shows B\'s rows and nothing of A', async () => {
    for (const report of ['matrix.svg', 'matrix.html', 'matrix.csv', 'gaps.csv', 'calendar.csv']) {
      const response = await feed.fetch(`http://test/reports/${report}?journey=shop&token=${encodeURIComponent(B.reportToken)}`);
      const body = await response.text();
      expect(response.status, body).toBe(200);
      expect(body, report).toContain('BRAVO');
      expect(leaksOf(A, body), report).toEqual([]);
    }
  });

  it('importContent with A\'s externalIds under B updates and creates B\'s own pieces and leaves A\'s untouched', async () => {
    const before = await workspaceSnapshot(app.database.prisma, A.keys.workspaceId);
    const rows = ['ext-1', 'ext-2', 'ext-3', 'ext-4', 'ext-new'].map((externalId) => ({
      externalId, title: `BRAVO import ${externalId}`, format: 'ARTICLE', status: 'PUBLISHED', locale: 'nl-NL', publishAt: new Date(Date.now() - DAY).toISOString(),
      phases: [{ journey: 'shop', phase: 'attention' }], channels: ['email'], segments: ['families'],
    }));
    const res = await app.gql(B.keys.EDITOR, `mutation ($input: ImportContentInput!) { importContent(input: $input) { created updated unchanged pieces { id title externalId } userErrors { field code } } }`, { input: { pieces: rows } });
    expect(res.data?.importContent).toMatchObject({ created: 1, updated: 4, userErrors: [] });
    expectNoLeak(res);
    expect(await workspaceSnapshot(app.database.prisma, A.keys.workspaceId)).toEqual(before);
    const stored = await app.database.prisma.contentPiece.findMany({ where: { externalId: 'ext-new' } });
    expect(stored.map((p) => p.workspaceId)).toEqual([B.keys.workspaceId]);
    expect(await app.database.prisma.contentPiece.count({ where: { workspaceId: A.keys.workspaceId, title: { startsWith: 'BRAVO' } } })).toBe(0);
  });

  it('importContent naming A\'s touchpoint is refused as NOT_FOUND and writes nothing', async () => {
    const beforeA = await workspaceSnapshot(app.database.prisma, A.keys.workspaceId);
    const beforeB = await workspaceSnapshot(app.database.prisma, B.keys.workspaceId);
    const row = {
      externalId: 'ext-1', title: 'BRAVO with a foreign touchpoint', format: 'ARTICLE', status: 'PUBLISHED', locale: 'nl-NL',
      phases: [{ journey: 'shop', phase: 'attention' }], channels: ['email'], touchpoints: [encodeGlobalID('Touchpoint', firstId(A, 'Touchpoint'))],
    };
    const res = await app.gql(B.keys.EDITOR, `mutation ($input: ImportContentInput!) { importContent(input: $input) { created userErrors { field code } } }`, { input: { pieces: [row] } });
    expect(res.data?.importContent.userErrors).toEqual([{ field: ['input', 'pieces', '0', 'touchpoints', '0'], code: 'NOT_FOUND' }]);
    expect(await workspaceSnapshot(app.database.prisma, A.keys.workspaceId)).toEqual(beforeA);
    expect(await workspaceSnapshot(app.database.prisma, B.keys.workspaceId)).toEqual(beforeB);
  });

});

/** The world's ids of the types node(id) looks up: a content sync is no node, it is named only to importContent and completeContentSync. */
function nodeIds(world: World): [string, string[]][] {
  return Object.entries(world.ids).filter(([type]) => type !== 'ContentSync');
}

import { encodeGlobalID } from '@pothos/plugin-relay';
import { parse, type GraphQLError } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from '../src/server.js';
import { DEFAULT_QUERY_LIMITS, Verdicts } from '../src/http/limits.js';
import { DEFAULT_MAX_BODY_BYTES } from '../src/config.js';
import { startTestApp, type GraphQLResponse, type TestApp, type WorkspaceKeys } from './support/app.js';

let app: TestApp;
let ws: WorkspaceKeys;

beforeAll(async () => {
  app = await startTestApp();
  ws = await app.workspace();
  await app.database.prisma.journeyModel.create({ data: { workspaceId: ws.workspaceId, key: 'shop', name: 'Shop' } });
  // The key is looked up once and cached: later requests cost SQL only for what they ask.
  await app.gql(ws.EDITOR, '{ viewer { role } }');
});
afterAll(() => app.close());

/** Sends `query` and answers the response and how many SQL statements it caused. */
async function refused(query: string, variables?: Record<string, unknown>): Promise<{ res: GraphQLResponse; statements: number }> {
  let res: GraphQLResponse = { status: 0 };
  const statements = await app.countStatements(async () => {
    res = await app.gql(ws.EDITOR, query, variables);
  });
  return { res, statements };
}

function expectLimit(res: GraphQLResponse, limit: string) {
  // A request error: no data at all (status 200 under application/json, as GraphQL over HTTP says).
  expect(res.data).toBeUndefined();
  const error = res.errors?.find((e) => e.extensions?.code === 'QUERY_LIMIT_EXCEEDED');
  expect(error, JSON.stringify(res.errors)).toBeDefined();
  expect(error?.extensions?.limit).toBe(limit);
  expect(error?.message).not.toMatch(/^Syntax Error/);
}

const piecesPage = (first: number | string) =>
  `contentPieces(first: ${first}) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id title status format locale priority url summary channels { key name } phases { key name } segments { key name parent { key } } } } }`;

describe('query limits', () => {
  it('answers a full page of 100 pieces with their relations, and several such pages in one request', async () => {
    const res = await app.gql(ws.EDITOR, `{ a: ${piecesPage(100)} b: ${piecesPage(100)} c: ${piecesPage(100)} }`);
    expect(res.errors).toBeUndefined();
    expect(res.data?.a.totalCount).toBe(0);
  });

  it(`refuses a query nested deeper than ${DEFAULT_QUERY_LIMITS.depth} levels before any SQL runs`, async () => {
    const deep = `{ segments(first: 1) { edges { node { ${'parent { '.repeat(DEFAULT_QUERY_LIMITS.depth)}key${' }'.repeat(DEFAULT_QUERY_LIMITS.depth)} } } } }`;
    const { res, statements } = await refused(deep);
    expectLimit(res, 'depth');
    expect(statements).toBe(0);
  });

  it(`refuses more than ${DEFAULT_QUERY_LIMITS.aliases} aliases before any SQL runs`, async () => {
    const aliases = Array.from({ length: DEFAULT_QUERY_LIMITS.aliases + 1 }, (_, i) => `a${i}: viewer { role }`).join(' ');
    const { res, statements } = await refused(`{ ${aliases} }`);
    expectLimit(res, 'aliases');
    expect(statements).toBe(0);
  });

  it(`refuses more than ${DEFAULT_QUERY_LIMITS.directives} directives before any SQL runs`, async () => {
    const { res, statements } = await refused(`{ viewer { ${'role @include(if: true) '.repeat(DEFAULT_QUERY_LIMITS.directives + 1)} } }`);
    expectLimit(res, 'directives');
    expect(statements).toBe(0);
  });

  it(`refuses a query text of more than ${DEFAULT_QUERY_LIMITS.tokens} tokens before any SQL runs`, async () => {
    const { res, statements } = await refused(`{ viewer { ${'role '.repeat(DEFAULT_QUERY_LIMITS.tokens)} } }`);
    expectLimit(res, 'tokens');
    expect(statements).toBe(0);
  });

  it('refuses a query whose lists would cost too much, weighing `first` written in the query', async () => {
    const many = Array.from({ length: 6 }, (_, i) => `p${i}: ${piecesPage(100)}`).join(' ');
    const { res, statements } = await refused(`{ ${many} }`);
    expectLimit(res, 'cost');
    expect(res.errors?.[0]?.message).toMatch(new RegExp(`Query Cost limit of ${DEFAULT_QUERY_LIMITS.cost} exceeded`));
    expect(statements).toBe(0);
  });

  it('weighs `first` passed as a variable (or its default) like one written in the query', async () => {
    const many = Array.from({ length: 6 }, (_, i) => `p${i}: ${piecesPage('$n')}`).join(' ');
    const withVariable = await refused(`query ($n: Int) { ${many} }`, { n: 100 });
    expectLimit(withVariable.res, 'cost');
    expect(withVariable.statements).toBe(0);
    const withDefault = await refused(`query ($n: Int = 100) { ${many} }`);
    expectLimit(withDefault.res, 'cost');
    // Small pages of the same shape are fine.
    const small = await app.gql(ws.EDITOR, `query ($n: Int) { ${many} }`, { n: 5 });
    expect(small.errors, JSON.stringify(small.errors)).toBeUndefined();
  });
});

/** Global ids of pieces that need not exist: the limits refuse before any is looked up. */
const pieceIds = (n: number, from = 0) => Array.from({ length: n }, (_, i) => encodeGlobalID('ContentPiece', `p${from + i}`));

/** A piece with its relations, segments four parents up: about 730 per object in Armor's cost. */
const segmentChain = (depth: number): string =>
  depth === 0 ? 'key name' : `key name description market parent { ${segmentChain(depth - 1)} } journey { key name phases { key name archetype scope } }`;
const HEAVY_PIECE = `id ... on ContentPiece { title summary url format status locale channels { key name kind } phases { key name journey { key name } } segments { ${segmentChain(4)} } }`;

describe('list arguments in the cost', () => {
  it('weighs nodes(ids: $ids) by the number of ids, like `first`: 1 heavy object is fine, 100 cost too much', async () => {
    const query = `query ($ids: [ID!]!) { nodes(ids: $ids) { ${HEAVY_PIECE} } }`;
    const one = await app.gql(ws.EDITOR, query, { ids: pieceIds(1) });
    expect(one.errors, JSON.stringify(one.errors)).toBeUndefined();
    const { res, statements } = await refused(query, { ids: pieceIds(100) });
    expectLimit(res, 'cost');
    expect(statements).toBe(0);
  });

  it('weighs a list written in the query the same way', async () => {
    const { res, statements } = await refused(`{ nodes(ids: [${pieceIds(100).map((id) => JSON.stringify(id)).join(' ')}]) { ${HEAVY_PIECE} } }`);
    expectLimit(res, 'cost');
    expect(statements).toBe(0);
  });

  it('weighs every list argument, not only ids: contentMatrix with 2,000 segment keys costs too much', async () => {
    const query = 'query ($segments: [String!]) { contentMatrix(journey: "shop", segments: $segments) { cells { status liveCount counts { draft published } } summary { overall { ratio } perSegment { key ratio } } } }';
    const { res, statements } = await refused(query, { segments: Array.from({ length: 2000 }, (_, i) => `s${i}`) });
    expectLimit(res, 'cost');
    expect(statements).toBe(0);
    const few = await app.gql(ws.EDITOR, query, { segments: ['s1', 's2'] });
    expect(few.errors?.map((e) => e.extensions?.code)).not.toContain('QUERY_LIMIT_EXCEEDED');
  });
});

describe('ids per request', () => {
  const twoLists = 'query ($a: [ID!]!, $b: [ID!]!) { a: nodes(ids: $a) { id } b: nodes(ids: $b) { id } }';

  it(`refuses more than ${DEFAULT_QUERY_LIMITS.ids} ids across node and nodes fields and their aliases, before any SQL runs`, async () => {
    const { res, statements } = await refused(twoLists, { a: pieceIds(60), b: pieceIds(41, 60) });
    expectLimit(res, 'ids');
    expect(res.errors?.[0]?.message).toMatch(/101 ids/);
    expect(statements).toBe(0);
  });

  it('counts ids written in the query, single node(id) fields and fields in fragments', async () => {
    const literal = (ids: string[]) => `[${ids.map((id) => JSON.stringify(id)).join(' ')}]`;
    const { res, statements } = await refused(
      `query ($rest: [ID!]!) { ...Lookup n1: node(id: "${pieceIds(1)[0]}") { id } ... on Query { n2: node(id: "${pieceIds(1, 1)[0]}") { id } } b: nodes(ids: ${literal(pieceIds(50, 2))}) { id } }
       fragment Lookup on Query { a: nodes(ids: $rest) { id } }`,
      { rest: pieceIds(49, 52) },
    );
    expectLimit(res, 'ids');
    expect(res.errors?.[0]?.message).toMatch(/101 ids/);
    expect(statements).toBe(0);
  });

  it(`answers exactly ${DEFAULT_QUERY_LIMITS.ids} ids`, async () => {
    const res = await app.gql(ws.EDITOR, twoLists, { a: pieceIds(60), b: pieceIds(40, 60) });
    expect(res.errors).toBeUndefined();
    expect(res.data?.a).toHaveLength(60);
  });

  it('with a larger budget, still answers at most 100 ids per nodes(ids) call (BAD_USER_INPUT naming ids)', async () => {
    const roomy = createServer({ database: app.database, mode: 'production', queryLimits: { ...DEFAULT_QUERY_LIMITS, ids: 500 } });
    try {
      const response = await roomy.fetch('http://test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ws.EDITOR}` },
        body: JSON.stringify({ query: 'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', variables: { ids: pieceIds(101) } }),
      });
      const body = (await response.json()) as GraphQLResponse;
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'ids' });
    } finally {
      await roomy.dispose();
    }
  });
});

describe('expensive fields per request', () => {
  const matrix = (alias: string) => `${alias}: contentMatrix(journey: "shop") { cells { status } }`;
  const gaps = (alias: string) => `${alias}: contentGaps(journey: "shop") { totalCount }`;
  const calendar = (alias: string) => `${alias}: contentCalendar(from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z") { entryCount }`;

  it(`refuses more than ${DEFAULT_QUERY_LIMITS.expensiveFields} of contentMatrix, contentGaps and contentCalendar across aliases, before any SQL runs`, async () => {
    for (const query of [`{ ${matrix('a')} ${matrix('b')} ${matrix('c')} }`, `{ ${matrix('a')} ${gaps('b')} ${calendar('c')} }`]) {
      const { res, statements } = await refused(query);
      expectLimit(res, 'expensiveFields');
      expect(statements, query).toBe(0);
    }
  });

  it('counts a title search (literal or in a variable) and fields in fragments; a plain contentPieces page does not count', async () => {
    const search = await refused(
      `query ($filter: ContentPieceFilter) { a: contentPieces(first: 5, filter: $filter) { totalCount } ...More }
       fragment More on Query { b: contentPieces(first: 5, filter: { search: "bike" }) { totalCount } ${gaps('c')} }`,
      { filter: { search: 'winter' } },
    );
    expectLimit(search.res, 'expensiveFields');
    expect(search.statements).toBe(0);
    const plain = await app.gql(ws.EDITOR, `query ($filter: ContentPieceFilter) { a: contentPieces(first: 5, filter: $filter) { totalCount } b: contentPieces(first: 5) { totalCount } ${matrix('m')} ${gaps('g')} }`, { filter: { search: '' } });
    expect(plain.errors).toBeUndefined();
  });

  it('counts touchpointPaths, and contentPerformance beyond one piece or one cell; one piece\'s or one cell\'s performance does not count', async () => {
    const paths = (alias: string) => `${alias}: touchpointPaths(journey: "shop", segment: "s") { totalCount }`;
    const performance = (alias: string, filters: string) => `${alias}: contentPerformance(from: "2026-01-01", to: "2026-01-31"${filters}) { impressions }`;
    for (const query of [
      `{ ${paths('a')} ${paths('b')} ${paths('c')} }`,
      `{ ${performance('a', '')} ${performance('b', ', segment: "s"')} ${matrix('c')} }`,
      `query ($channel: String) { ${performance('a', ', channel: $channel')} ${performance('b', ', segment: "s", phase: "p"')} ${gaps('c')} }`,
    ]) {
      const { res, statements } = await refused(query, { channel: 'web' });
      expectLimit(res, 'expensiveFields');
      expect(statements, query).toBe(0);
    }
    const light = await app.gql(ws.EDITOR, `query ($piece: ID) { ${performance('a', ', piece: $piece')} ${performance('b', ', segment: "s", phase: "p", channel: "c"')} ${performance('c', ', piece: "UGllY2U6eA=="')} ${matrix('m')} ${gaps('g')} }`, { piece: 'UGllY2U6eA==' });
    expect(light.errors?.map((e) => e.extensions?.code)).not.toContain('QUERY_LIMIT_EXCEEDED');
  });

  it(`answers ${DEFAULT_QUERY_LIMITS.expensiveFields}: a matrix and its gaps in one request`, async () => {
    const res = await app.gql(ws.EDITOR, `{ ${matrix('m')} ${gaps('g')} }`);
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ m: { cells: [] }, g: { totalCount: 0 } });
  });
});

describe('repeated fields', () => {
  it('refuses a selection repeating one field hundreds of times (within every other limit) as QUERY_LIMIT_EXCEEDED, not a bare "Validation aborted."', async () => {
    const { res, statements } = await refused(`{ viewer { ${'role '.repeat(850)} } }`);
    expectLimit(res, 'repeatedFields');
    expect(res.errors?.[0]?.message).toMatch(/repeats the same fields/);
    expect(statements).toBe(0);
    const fragments = ['A', 'B', 'C'].map((name) => `fragment ${name} on Viewer { ${'role '.repeat(300)} }`).join(' ');
    const spread = await refused(`{ viewer { ...A ...B ...C } } ${fragments}`);
    expectLimit(spread.res, 'repeatedFields');
  });

  it('answers a field repeated a few times, as fragments do', async () => {
    const res = await app.gql(ws.EDITOR, `{ viewer { ${'role '.repeat(50)} } }`);
    expect(res.errors).toBeUndefined();
  });
});

describe('Int overflow', () => {
  it('reports `first: 3000000000` as the Int error it is, not as a cost', async () => {
    const res = await app.gql(ws.EDITOR, '{ contentPieces(first: 3000000000) { totalCount } }');
    expect(res.errors).toHaveLength(1);
    expect(res.errors?.[0]?.message).toMatch(/Int cannot represent non 32-bit signed integer value: 3000000000/);
    expect(res.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});

describe('page sizes', () => {
  it('refuses recommendedContent and contentGaps pages above 100 as BAD_USER_INPUT naming `first`', async () => {
    const rec = await app.gql(ws.DELIVERY, '{ recommendedContent(segment: "s", phase: "p", channel: "c", first: 101) { totalCount } }');
    expect(rec.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'first' });
    const gaps = await app.gql(ws.EDITOR, '{ contentGaps(journey: "j", first: 101) { totalCount } }');
    expect(gaps.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'first' });
  });
});

describe('request body size', () => {
  it(`answers 413 to a body above ${DEFAULT_MAX_BODY_BYTES} bytes before reading it all, and the limit is configurable`, async () => {
    const small = createServer({ database: app.database, mode: 'production', maxBodyBytes: 1000 });
    try {
      const body = JSON.stringify({ query: '{ viewer { role } }', variables: { pad: 'x'.repeat(2000) } });
      const response = await small.fetch('http://test/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(response.status).toBe(413);
      const fits = await small.fetch('http://test/graphql', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${ws.EDITOR}` }, body: JSON.stringify({ query: '{ viewer { role } }' }) });
      expect(fits.status).toBe(200);
    } finally {
      await small.dispose();
    }
  });
});

describe('verdicts on variables, remembered', () => {
  const document = parse('query ($n: Int) { __typename }');
  const verdict: GraphQLError[] = [];

  it('keeps a website\'s small variable sets, the last 256 per document', () => {
    const verdicts = new Verdicts();
    for (let i = 0; i < 300; i++) verdicts.remember(document, `\n{"n":${i}}`, verdict);
    expect(verdicts.count(document)).toBe(256);
    expect(verdicts.of(document, '\n{"n":299}')).toBe(verdict);
    expect(verdicts.of(document, '\n{"n":0}')).toBeUndefined();
  });

  it('judges a large batch each time rather than keeping it (500 interactions are ~150 kB, never sent twice)', () => {
    const verdicts = new Verdicts();
    const large = `\n${JSON.stringify({ events: Array.from({ length: 500 }, (_, i) => ({ clientEventId: `e-${i}`, type: 'IMPRESSION' })) })}`;
    expect(verdicts.remember(document, large, verdict)).toBe(verdict);
    expect(verdicts.count(document)).toBe(0);
    expect(verdicts.of(document, large)).toBeUndefined();
  });
});

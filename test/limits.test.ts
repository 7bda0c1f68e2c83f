import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from '../src/server.js';
import { DEFAULT_QUERY_LIMITS } from '../src/http/limits.js';
import { DEFAULT_MAX_BODY_BYTES } from '../src/config.js';
import { startTestApp, type GraphQLResponse, type TestApp, type WorkspaceKeys } from './support/app.js';

let app: TestApp;
let ws: WorkspaceKeys;

beforeAll(async () => {
  app = await startTestApp();
  ws = await app.workspace();
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

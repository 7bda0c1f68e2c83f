import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type WorkspaceKeys } from './support/app.js';

/**
 * Query arguments no field could use: a NUL character, which PostgreSQL
 * refuses as a parameter, or a string over the backstop length. Refused as
 * BAD_USER_INPUT naming the argument before any resolver or SQL runs.
 */
let app: TestApp;
let ws: WorkspaceKeys;

beforeAll(async () => {
  app = await startTestApp();
  ws = await app.workspace();
});
afterAll(async () => {
  await app.close();
});

async function refusedArgument(query: string, variables?: Record<string, unknown>) {
  const res = await app.gql(ws.EDITOR, query, variables ?? {});
  expect(res.data, JSON.stringify(res)).toBeUndefined();
  expect(res.errors).toHaveLength(1);
  expect(res.errors![0]!.extensions?.code).toBe('BAD_USER_INPUT');
  expect(res.errors![0]!.message).not.toContain('\u0000');
  return { argument: res.errors![0]!.extensions?.argument, message: res.errors![0]!.message };
}

describe('string arguments of queries', () => {
  it('a NUL character is BAD_USER_INPUT naming the argument, written in the query or sent as a variable', async () => {
    expect(await refusedArgument('{ segment(key: "a\\u0000") { id } }')).toEqual({ argument: 'key', message: 'Argument "key": must not contain NUL characters (U+0000)' });
    expect((await refusedArgument('query ($s: String) { contentPieces(filter: { search: $s }) { totalCount } }', { s: '\u0000' })).argument).toBe('filter.search');
    expect((await refusedArgument('query ($f: ContentPieceFilter) { contentPieces(filter: $f) { totalCount } }', { f: { phase: { journey: 'shop', phase: 'a\u0000' } } })).argument).toBe('filter.phase.phase');
    expect((await refusedArgument('query ($s: String = "\\u0000") { contentPieces(filter: { search: $s }) { totalCount } }')).argument).toBe('filter.search');
    expect((await refusedArgument('query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: ['a', 'b\u0000'] })).argument).toBe('ids.1');
    expect((await refusedArgument('{ ...F } fragment F on Query { channel(key: "\\u0000") { id } }')).argument).toBe('key');
  });

  it(`a string over 10,000 characters is BAD_USER_INPUT naming the argument; 10,000 is let through`, async () => {
    expect(await refusedArgument('query ($k: String!) { journey(key: $k) { id } }', { k: 'k'.repeat(10_001) })).toEqual({
      argument: 'key',
      message: 'Argument "key": must be at most 10000 characters; got 10001',
    });
    const res = await app.gql(ws.EDITOR, 'query ($k: String!) { journey(key: $k) { id } }', { k: 'k'.repeat(10_000) });
    expect(res).toEqual({ status: 200, data: { journey: null } });
  });

  it('is refused before any resolver or SQL runs', async () => {
    await app.gql(ws.EDITOR, '{ __typename }');
    const baseline = await app.countStatements(() => app.gql(ws.EDITOR, '{ __typename }'));
    const refused = await app.countStatements(() => app.gql(ws.EDITOR, '{ a: segment(key: "x") { id } b: segment(key: "\\u0000") { id } }'));
    expect(refused).toBe(baseline);
  });

  it('only the operation that runs is checked', async () => {
    const named = await fetchOperation('query A { segment(key: "\\u0000") { id } } query B { __typename }', 'B');
    expect(named).toEqual({ data: { __typename: 'Query' } });
  });

  it('mutation inputs keep their userErrors', async () => {
    const res = await app.gql(ws.ADMIN, 'mutation { createChannel(input: { key: "nul", name: "a\\u0000b", kind: ADS }) { channel { id } userErrors { field code } } }');
    expect(res.errors).toBeUndefined();
    expect(res.data?.createChannel).toEqual({ channel: null, userErrors: [{ field: ['input', 'name'], code: 'INVALID' }] });
  });
});

async function fetchOperation(query: string, operationName: string) {
  const { createServer } = await import('../src/server.js');
  const yoga = createServer({ database: app.database, mode: 'production' });
  try {
    const response = await yoga.fetch('http://test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ws.EDITOR}` },
      body: JSON.stringify({ query, operationName }),
    });
    return response.json();
  } finally {
    await yoga.dispose();
  }
}

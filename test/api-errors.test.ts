import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_QUERY_LIMITS } from '../src/http/limits.js';
import { createServer } from '../src/server.js';
import { startTestApp, type GraphQLResponse, type TestApp, type WorkspaceKeys } from './support/app.js';

let app: TestApp;
let ws: WorkspaceKeys;

beforeAll(async () => {
  app = await startTestApp();
  ws = await app.workspace();
});
afterAll(() => app.close());

describe('errors across the API', () => {
  it('answers a malformed scalar (DateTime, Locale) with an error naming the variable and value, not a masked internal error', async () => {
    const query = 'query ($at: DateTime, $locale: Locale) { recommendedContent(segment: "s", phase: "p", channel: "c", at: $at, locale: $locale) { totalCount } }';
    for (const variables of [{ at: 'yesterday' }, { locale: 'not a locale!' }]) {
      const res = await app.gql(ws.DELIVERY, query, variables);

      const [name, value] = Object.entries(variables)[0] as [string, string];
      expect(res.status).toBe(400);
      expect(res.errors?.[0]?.message).toContain(`$${name}`);
      expect(res.errors?.[0]?.message).toContain(value);
    }
  });

  it('nodes() answers each known id and null for each unknown one', async () => {
    const created = await app.gql(ws.ADMIN, 'mutation { createChannel(input: { key: "web", name: "Web", kind: WEBSITE }) { channel { id } } }');
    const id = created.data?.createChannel.channel.id;
    const other = await app.workspace('Other');
    const theirs = await app.gql(other.ADMIN, 'mutation { createChannel(input: { key: "web", name: "Web", kind: WEBSITE }) { channel { id } } }');
    const res = await app.gql(ws.DELIVERY, 'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: [id, theirs.data?.createChannel.channel.id, id] });
    expect(res.errors).toBeUndefined();
    expect(res.data?.nodes).toEqual([{ id }, null, { id }]);
  });

  it('masks unexpected errors: no stack trace, no SQL, no file paths', async () => {
    // A database that is gone makes every query fail unexpectedly.
    const broken = await startTestApp();
    const keys = await broken.workspace();
    const cascade = broken.database.provider === 'postgresql' ? ' CASCADE' : '';
    await broken.database.prisma.$executeRawUnsafe(`DROP TABLE "Channel"${cascade}`);
    const res = await broken.gql(keys.DELIVERY, '{ channels { totalCount } }');
    await broken.close();
    expect(res.errors?.[0]?.message).toBe('Unexpected error.');
    const text = JSON.stringify(res);
    expect(text).not.toMatch(/SELECT|Channel"|\.ts:|at .*\(|stack/i);
  });
});

describe('nodes(ids)', () => {
  it('refuses more than 100 ids: the request budget of ids (QUERY_LIMIT_EXCEEDED, limit ids) applies first', async () => {
    const local = await startTestApp();
    const keys = await local.workspace();
    const ids = Array.from({ length: 101 }, (_, i) => Buffer.from(`Channel:${i}`).toString('base64'));
    const res = await local.gql(keys.DELIVERY, 'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids });
    await local.close();
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', limit: 'ids' });
  });
});

describe('the README\'s list of error codes', () => {
  /** The codes in the table under "Every error a client can cause", and the limit names its QUERY_LIMIT_EXCEEDED row gives. */
  function documented() {
    const readme = readFileSync('README.md', 'utf8');
    const table = readme.slice(readme.indexOf('Every error a client can cause')).split('\n\n')[1] ?? '';
    const rows = table.split('\n').filter((line) => /^\| `/.test(line));
    const codes = rows.map((row) => /^\| `(\w+)`/.exec(row)?.[1]);
    const limitRow = rows.find((row) => row.startsWith('| `QUERY_LIMIT_EXCEEDED`')) ?? '';
    const limits = [...limitRow.split('|')[2]!.matchAll(/`(\w+)`/g)].map((m) => m[1]);
    return { codes, limits };
  }

  it('names every code a client can cause, and every query limit', async () => {
    const yoga = createServer({ database: app.database, mode: 'production', maxBodyBytes: 20_000 });
    const send = async (body: string, key: string | null = ws.EDITOR): Promise<GraphQLResponse> => {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (key) headers.authorization = `Bearer ${key}`;
      const response = await yoga.fetch('http://test/graphql', { method: 'POST', headers, body });
      return { status: response.status, ...((await response.json()) as object) };
    };
    const gql = (query: string, key: string | null = ws.EDITOR, variables?: unknown) => send(JSON.stringify({ query, variables }), key);
    const ids = (n: number) => Array.from({ length: n }, (_, i) => Buffer.from(`Channel:${i}`).toString('base64'));
    const provoked: Record<string, Promise<GraphQLResponse>> = {
      UNAUTHENTICATED: gql('{ channels { totalCount } }', null),
      FORBIDDEN: gql('{ contentMatrix(journey: "j") { cells { status } } }', ws.DELIVERY),
      BAD_USER_INPUT: gql('{ node(id: "!!!not base64 at all") { id } }'),
      GRAPHQL_PARSE_FAILED: gql('{ viewer { role }'),
      GRAPHQL_VALIDATION_FAILED: gql('{ contentPieces(first: 3000000000) { totalCount } }'),
      BAD_REQUEST: send('{not json'),
      REQUEST_ENTITY_TOO_LARGE: send(JSON.stringify({ query: '{ viewer { role } }', variables: { pad: 'x'.repeat(30_000) } })),
      OPERATION_RESOLUTION_FAILURE: gql('query A { viewer { role } } query B { viewer { role } }'),
      PERSISTED_QUERY_NOT_FOUND: send(JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: '0'.repeat(64) } } })),
      PERSISTED_QUERY_HASH_MISMATCH: send(JSON.stringify({ query: '{ viewer { role } }', extensions: { persistedQuery: { version: 1, sha256Hash: '0'.repeat(64) } } })),
    };
    const limits: Record<string, Promise<GraphQLResponse>> = {
      depth: gql(`{ segments(first: 1) { edges { node { ${'parent { '.repeat(12)}key${' }'.repeat(12)} } } } }`),
      aliases: gql(`{ ${Array.from({ length: 31 }, (_, i) => `a${i}: viewer { role }`).join(' ')} }`),
      directives: gql(`{ viewer { ${'role @include(if: true) '.repeat(21)} } }`),
      tokens: gql(`{ viewer { ${'role '.repeat(2001)} } }`),
      cost: gql(`{ ${Array.from({ length: 20 }, (_, i) => `p${i}: contentPieces(first: 100) { edges { node { title channels { key name } phases { key name } segments { key name parent { key } } } } }`).join(' ')} }`),
      ids: gql('query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', ws.EDITOR, { ids: ids(101) }),
      expensiveFields: gql('{ a: contentGaps(journey: "j") { totalCount } b: contentGaps(journey: "j") { totalCount } c: contentGaps(journey: "j") { totalCount } }'),
      repeatedFields: gql(`{ viewer { ${'role '.repeat(850)} } }`),
    };
    try {
      const { codes, limits: limitNames } = documented();
      for (const [code, response] of Object.entries(provoked)) {
        const res = await response;
        expect(res.errors?.[0]?.extensions?.code, JSON.stringify(res)).toBe(code);
        expect(codes).toContain(code);
      }
      for (const [limit, response] of Object.entries(limits)) {
        const res = await response;
        expect(res.errors?.[0]?.extensions, JSON.stringify(res)).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', limit });
        expect(limitNames).toContain(limit);
      }
      expect(codes).toEqual(expect.arrayContaining(['QUERY_LIMIT_EXCEEDED', 'RATE_LIMITED', 'NOT_FOUND']));
      expect(limitNames.sort()).toEqual([...Object.keys(DEFAULT_QUERY_LIMITS), 'repeatedFields'].sort());
    } finally {
      await yoga.dispose();
    }
  });
});

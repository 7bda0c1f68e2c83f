import { readFileSync } from 'node:fs';
import { parse, print, type DocumentNode } from 'graphql';
import { expect } from 'vitest';
import * as documents from '../generated/graphql.js';
import type { TestApp } from './app.js';

/**
 * The examples of the README and the guides in docs/ are real: tests read
 * them out of the Markdown and run them against a server. Two kinds, in the
 * order they appear:
 *
 * - A GraphQL example: `<!-- example: Name, key: KEY -->`, a ```graphql
 *   block, then optionally `Variables:` and `Answer:`, each a ```json block.
 *   The operation also sits in test/operations/Name.graphql (so GraphQL Code
 *   Generator types it) and must read the same; the server must answer it
 *   without errors, and exactly the answer shown when one is.
 * - An HTTP example: `<!-- http-example -->`, a ```sh block with one curl
 *   command, then a ```http block with the response's status line, the
 *   headers it must carry (others may follow) and optionally its JSON body.
 *
 * A GraphQL example's marker may end with `, written: YYYY-MM-DD`: the dates
 * (YYYY-MM-DD) and instants in its Variables are as of that day, and are
 * moved on by as many days as have passed since, so an example about recent
 * days (interactions, which are kept only so long) stays true.
 *
 * In an answer, a body or a header, `…` stands for what differs from run to
 * run (a new secret, an ETag, a date that moves with the day): the string
 * "…" matches any value but null, and `…` inside a longer string any text.
 * In an HTTP example's request, the header value `"…"` is the ETag of the
 * HTTP example before it, as a browser or CDN would send it.
 */
export interface GraphQLExample {
  kind: 'graphql';
  name: string;
  /** A secret as sent, or a role the test maps to one of its keys. */
  key: string;
  query: string;
  variables: Record<string, unknown> | undefined;
  /** Absent where the whole answer depends on the day or on generated ids. */
  answer: unknown;
  /** The day its Variables' dates are as of, if they move with the day. */
  written: string | undefined;
}

export interface HttpExample {
  kind: 'http';
  /** The command as shown, for the test's name. */
  command: string;
  method: 'GET' | 'POST';
  /** Path and query string, below http://localhost:4000. */
  path: string;
  headers: [string, string][];
  body: string | undefined;
  status: number;
  responseHeaders: [string, string][];
  responseBody: unknown;
}

export type Example = GraphQLExample | HttpExample;

const GRAPHQL_EXAMPLE =
  /<!-- example: (\w+), key: ([^\s,]+)(?:, written: (\d{4}-\d{2}-\d{2}))? -->\s*```graphql\n([\s\S]*?)```\s*(?:Variables:\s*```json\n([\s\S]*?)```\s*)?(?:Answer:\s*```json\n([\s\S]*?)```)?/g;
const HTTP_EXAMPLE = /<!-- http-example -->\s*```sh\n([\s\S]*?)```\s*```http\n([\s\S]*?)```/g;

/** Every example of a Markdown file, in document order. */
export function examplesIn(file: string): Example[] {
  const markdown = readFileSync(file, 'utf8');
  const found: [number, Example][] = [];
  for (const m of markdown.matchAll(GRAPHQL_EXAMPLE)) {
    found.push([
      m.index,
      {
        kind: 'graphql',
        name: m[1] as string,
        key: m[2] as string,
        query: m[4] as string,
        variables: m[5] ? JSON.parse(m[5]) : undefined,
        answer: m[6] ? JSON.parse(m[6]) : undefined,
        written: m[3],
      },
    ]);
  }
  for (const m of markdown.matchAll(HTTP_EXAMPLE)) found.push([m.index, httpExample(m[1] as string, m[2] as string)]);
  return found.sort(([a], [b]) => a - b).map(([, example]) => example);
}

export function graphqlExamplesIn(file: string): GraphQLExample[] {
  return examplesIn(file).filter((e): e is GraphQLExample => e.kind === 'graphql');
}

/** The typed document GraphQL Code Generator made of test/operations/<name>.graphql. */
export function typedDocument(name: string): DocumentNode | undefined {
  return (documents as Record<string, unknown>)[`${name}Document`] as DocumentNode | undefined;
}

/** Runs a GraphQL example with `key` and checks it; answers the data for later steps. */
export async function runGraphQLExample(app: TestApp, example: GraphQLExample, key: string): Promise<Record<string, any>> {
  const typed = typedDocument(example.name);
  expect(typed, `test/operations/${example.name}.graphql`).toBeDefined();
  expect(print(parse(example.query))).toBe(print(typed as DocumentNode));
  const variables = example.written ? movedOn(example.variables, Date.now() - Date.parse(`${example.written}T00:00:00Z`)) : example.variables;
  const response = await app.gql(key, print(typed as DocumentNode), variables);
  expect(response.errors).toBeUndefined();
  // Never a mere "no error": every field asked for at the root answers something.
  expect(response.data).toBeTruthy();
  for (const [field, value] of Object.entries(response.data ?? {})) expect(value, field).not.toBeNull();
  if (example.answer !== undefined) expect(response.data).toEqual(matcherOf(example.answer));
  return response.data ?? {};
}

/** Runs an HTTP example and checks its response; answers the response's ETag for the next one. */
export async function runHttpExample(app: TestApp, example: HttpExample, previousEtag: string | null): Promise<string | null> {
  const headers = new Headers();
  for (const [name, value] of example.headers) {
    if (value === '"…"') expect(previousEtag, `${name} needs the ETag of the example before`).not.toBeNull();
    headers.set(name, value === '"…"' ? (previousEtag as string) : value);
  }
  const response = await app.fetch(example.path, { method: example.method, headers, ...(example.body === undefined ? {} : { body: example.body }) });
  expect(response.status).toBe(example.status);
  for (const [name, value] of example.responseHeaders) expect(response.headers.get(name), name).toEqual(matcherOf(value));
  const text = await response.text();
  if (example.responseBody !== undefined) expect(JSON.parse(text)).toEqual(matcherOf(example.responseBody));
  return response.headers.get('etag');
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/;

/** The value with every date and instant in it moved on by the whole days in `ms` (see above). */
function movedOn<T>(value: T, ms: number): T {
  const shift = Math.floor(ms / 86_400_000) * 86_400_000;
  if (typeof value === 'string' && DATE.test(value)) return new Date(Date.parse(`${value}T00:00:00Z`) + shift).toISOString().slice(0, 10) as T;
  if (typeof value === 'string' && INSTANT.test(value)) return new Date(Date.parse(value) + shift).toISOString() as T;
  if (Array.isArray(value)) return value.map((v) => movedOn(v, ms)) as T;
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, movedOn(v, ms)])) as T;
  return value;
}

/** The expected value with each `…` turned into a matcher (see above). */
export function matcherOf(expected: unknown): unknown {
  if (expected === '…') return expect.anything();
  if (typeof expected === 'string' && expected.includes('…')) return expect.stringMatching(wildcard(expected));
  if (Array.isArray(expected)) return expected.map(matcherOf);
  if (expected !== null && typeof expected === 'object') return Object.fromEntries(Object.entries(expected).map(([k, v]) => [k, matcherOf(v)]));
  return expected;
}

/** Whether a line of text reads as shown, each `…` in it standing for any text. */
export function textMatches(expected: string, actual: string): boolean {
  return wildcard(expected).test(actual);
}

function wildcard(expected: string): RegExp {
  const parts = expected.split('…').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('[\\s\\S]*')}$`);
}

/** A curl command (with `-H`, `-d` and a quoted http://localhost:4000 URL) and the response shown under it. */
function httpExample(command: string, response: string): HttpExample {
  const line = command.replace(/\\\n\s*/g, ' ').trim();
  const url = /'http:\/\/localhost:4000(\/[^']*)'/.exec(line);
  if (!line.startsWith('curl ') || !url) throw new Error(`An HTTP example must be one curl command with a quoted http://localhost:4000 URL: ${line}`);
  const headers = [...line.matchAll(/-H '([^':]+):\s*([^']*)'/g)].map((m) => [m[1] as string, m[2] as string] as [string, string]);
  const body = /(?:-d|--data) '([^']*)'/.exec(line)?.[1];
  const [head = '', ...rest] = response.split(/\n\s*\n/);
  const [statusLine = '', ...headerLines] = head.trim().split('\n');
  const status = /^HTTP\/[\d.]+ (\d{3})\b/.exec(statusLine);
  if (!status) throw new Error(`An HTTP example's response starts with its status line: ${statusLine}`);
  const bodyText = rest.join('\n\n').trim();
  return {
    kind: 'http',
    command: line,
    method: body === undefined ? 'GET' : 'POST',
    path: url[1] as string,
    headers,
    body,
    status: Number(status[1]),
    responseHeaders: headerLines.map((h) => {
      const colon = h.indexOf(':');
      return [h.slice(0, colon).trim(), h.slice(colon + 1).trim()] as [string, string];
    }),
    responseBody: bodyText ? JSON.parse(bodyText) : undefined,
  };
}

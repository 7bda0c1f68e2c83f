import { readFileSync } from 'node:fs';
import { parse, print, type DocumentNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoWorkspace } from '../src/demo/demo.js';
import * as documents from './generated/graphql.js';
import { startTestApp, type TestApp } from './support/app.js';

/**
 * The README's example queries are real: each sits in test/operations (so
 * GraphQL Code Generator types it against the schema), runs here against
 * the demo workspace with the key the README names, and answers exactly
 * what the README shows.
 */
interface Example {
  name: string;
  key: string;
  query: string;
  variables: Record<string, unknown> | undefined;
  /** Absent where the answer depends on today's date (the demo's dates move with it). */
  answer: unknown;
}

const EXAMPLE =
  /<!-- example: (\w+), key: (\S+) -->\s*```graphql\n([\s\S]*?)```\s*(?:Variables:\s*```json\n([\s\S]*?)```\s*)?(?:Answer:\s*```json\n([\s\S]*?)```)?/g;
const examples: Example[] = [...readFileSync('README.md', 'utf8').matchAll(EXAMPLE)].map((m) => ({
  name: m[1] as string,
  key: m[2] as string,
  query: m[3] as string,
  variables: m[4] ? JSON.parse(m[4]) : undefined,
  answer: m[5] ? JSON.parse(m[5]) : undefined,
}));

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
  await loadDemoWorkspace(app.database.prisma);
});
afterAll(() => app.close());

describe('README examples', () => {
  it('has examples to check', () => {
    expect(examples.map((e) => e.name)).toEqual(
      expect.arrayContaining(['Viewer', 'RecommendedContent', 'RecommendationGap', 'ImportContent', 'ContentGaps', 'ContentMatrix', 'ContentCalendar']),
    );
  });

  it.each(examples.map((e) => [e.name, e] as const))('%s is a typed operation and answers what the README shows', async (name, example) => {
    const typed = (documents as Record<string, unknown>)[`${name}Document`] as DocumentNode | undefined;
    expect(typed, `test/operations/${name}.graphql`).toBeDefined();
    expect(print(parse(example.query))).toBe(print(typed as DocumentNode));
    const response = await app.gql(example.key, print(typed as DocumentNode), example.variables);
    expect(response.errors).toBeUndefined();
    if (example.answer === undefined) expect(response.data).toBeTruthy();
    else expect(response.data).toEqual(example.answer);
  });
});

describe('README GET example', () => {
  const GET = /<!-- get-example: key: (\S+) -->\s*```sh\n[\s\S]*?'http:\/\/localhost:4000(\/graphql\?[^']+)'/g;
  const gets = [...readFileSync('README.md', 'utf8').matchAll(GET)].map((m) => ({ key: m[1] as string, path: m[2] as string }));

  it('runs the persisted operation of the URL shown, as a GET, with the answer of the POST example', async () => {
    expect(gets).toHaveLength(1);
    for (const { key, path } of gets) {
      const response = await app.fetch(path, { headers: { authorization: `Bearer ${key}` } });
      expect(response.status).toBe(200);
      const json = (await response.json()) as { data?: { recommendedContent: { totalCount: number; edges: { node: { title: string } }[] } }; errors?: unknown };
      expect(json.errors).toBeUndefined();
      const post = examples.find((e) => e.name === 'RecommendedContent')?.answer as { recommendedContent: { totalCount: number; edges: { node: { title: string } }[] } };
      expect(json.data?.recommendedContent.totalCount).toBe(post.recommendedContent.totalCount);
      expect(json.data?.recommendedContent.edges.map((e) => e.node.title)).toEqual(post.recommendedContent.edges.map((e) => e.node.title));
    }
  });
});

import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoWorkspace } from '../src/demo/demo.js';
import { startTestApp, type TestApp } from './support/app.js';
import { graphqlExamplesIn, runGraphQLExample } from './support/examples.js';

/**
 * The README's example queries are real: each sits in test/operations (so
 * GraphQL Code Generator types it against the schema), runs here against
 * the demo workspace with the key the README names, and answers exactly
 * what the README shows (see support/examples.ts, shared with the guides).
 */
const examples = graphqlExamplesIn('README.md');

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
  await loadDemoWorkspace(app.database);
});
afterAll(() => app.close());

describe('README examples', () => {
  it('has examples to check', () => {
    expect(examples.map((e) => e.name)).toEqual(
      expect.arrayContaining(['Viewer', 'RecommendedContent', 'RecommendationGap', 'ImportContent', 'ContentGaps', 'ContentMatrix', 'ContentCalendar']),
    );
    // The demo's interactions: collecting, reading back, and how they steer ranking and gaps.
    expect(examples.map((e) => e.name)).toEqual(
      expect.arrayContaining(['RecordInteractions', 'ContentPerformance', 'TouchpointPaths', 'EngagementRecommendation', 'UnderperformingGaps']),
    );
  });

  it.each(examples.map((e) => [e.name, e] as const))('%s is a typed operation and answers what the README shows', async (_name, example) => {
    await runGraphQLExample(app, example, example.key);
  });
});

describe('README examples about recent days', () => {
  it('answer the same when read on a later day than they were written: their dates move on', async () => {
    const example = examples.find((e) => e.name === 'ContentPerformance');
    if (!example?.written) throw new Error('the ContentPerformance example says the day it was written');
    const earlier = (date: string) => new Date(Date.parse(date.length === 10 ? `${date}T00:00:00Z` : date) - 40 * 86_400_000).toISOString().slice(0, date.length === 10 ? 10 : undefined);
    const variables = example.variables as { from: string; to: string };
    await runGraphQLExample(app, { ...example, written: earlier(example.written), variables: { from: earlier(variables.from), to: earlier(variables.to) } }, example.key);
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

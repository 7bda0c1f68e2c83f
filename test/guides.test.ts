import { readFileSync } from 'node:fs';
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCommand } from '../src/cli/commands.js';
import { loadDemoWorkspace } from '../src/demo/demo.js';
import { getDatamodel } from '../src/generated/pothos-types.js';
import { startTestApp, type TestApp } from './support/app.js';
import { testProvider } from './support/databases.js';
import { examplesIn, runGraphQLExample, runHttpExample, textMatches, type Example } from './support/examples.js';

/**
 * The guides in docs/ are executed like the README: every example runs, in
 * the order of its guide, against a server of its own, and must answer what
 * the guide shows (support/examples.ts). The guides' other claims that a
 * reader could check by hand (the feed, the next page, the diagram's names)
 * are tests here too.
 */

// The guides' URLs name a local server; so do the URLs the server answers (feedUrl).
const ORIGIN = 'http://localhost:4000';

/** Runs a guide's examples in order; `keys` maps the roles its markers name to secrets. */
function runsItsExamples(file: string, app: () => TestApp, keys: Record<string, string> = {}): Example[] {
  const examples = examplesIn(file);
  let etag: string | null = null;
  it('has examples to run', () => {
    expect(examples.length).toBeGreaterThan(3);
  });
  it.each(examples.map((e, i) => [i + 1, e.kind === 'graphql' ? e.name : e.command.slice(0, 90), e] as const))('step %i: %s', async (_step, _title, example) => {
    if (example.kind === 'http') {
      etag = await runHttpExample(app(), example, etag);
      return;
    }
    const data = await runGraphQLExample(app(), example, keys[example.key] ?? example.key);
    // A key the guide makes is the key its later steps use.
    if (data.createApiKey?.secret) keys[data.createApiKey.apiKey.role] = data.createApiKey.secret;
  });
  return examples;
}

describe('guide: set up your own brand (docs/guide-own-brand.md)', () => {
  const GUIDE = 'docs/guide-own-brand.md';
  const command = /npx content-planning (workspace create --name "([^"]+)")/.exec(readFileSync(GUIDE, 'utf8'));
  let app: TestApp;
  const keys: Record<string, string> = {};
  beforeAll(async () => {
    app = await startTestApp({ origin: ORIGIN });
    // The command the guide starts with, as the command line runs it: an empty workspace and its ADMIN key.
    const created = parseCommand(['workspace', 'create', '--name', command?.[2] ?? '', '--json']);
    keys.ADMIN = JSON.parse((await created?.run(app.database.prisma, testProvider())) ?? '{}').secret;
  });
  afterAll(() => app.close());

  it('starts from `workspace create` on the command line', () => {
    expect(command?.[1]).toBe('workspace create --name "My brand"');
    expect(keys.ADMIN).toMatch(/^cpk_/);
  });
  const examples = runsItsExamples(GUIDE, () => app, keys);

  it('takes every step in the issue\'s order: journey, segments, channels, touchpoints, coverage rules, content', () => {
    const order = ['applyJourneyTemplate', 'createSegment', 'createChannel', 'createTouchpoint', 'createCoverageRule', 'importContent'];
    const positions = order.map((field) => examples.findIndex((e) => e.kind === 'graphql' && e.query.includes(`${field}(`)));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });
});

describe('guide: serve a website (docs/guide-website.md)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ origin: ORIGIN });
    await loadDemoWorkspace(app.database);
  });
  afterAll(() => app.close());
  runsItsExamples('docs/guide-website.md', () => app);
});

describe('guide: build a calendar front end (docs/guide-calendar.md)', () => {
  const GUIDE = 'docs/guide-calendar.md';
  // The calendar holds dates, and the guide shows them: its demo is loaded as of one fixed day.
  const DEMO_DAY = new Date('2026-11-23T12:00:00Z');
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ origin: ORIGIN });
    await loadDemoWorkspace(app.database, DEMO_DAY);
  });
  afterAll(() => app.close());

  it('says which day its demo was loaded on', () => {
    expect(readFileSync(GUIDE, 'utf8')).toContain('demo loaded on Monday 23 November 2026');
  });
  const examples = runsItsExamples(GUIDE, () => app);

  it('pages the month on with pageInfo.endCursor as `after`, as the guide says', async () => {
    const month = examples.find((e) => e.kind === 'graphql' && e.name === 'CalendarMonthPage');
    if (month?.kind !== 'graphql') throw new Error('the guide has no CalendarMonthPage example');
    const titles: string[] = [];
    let after: string | null = null;
    let total = 0;
    do {
      const page: Record<string, any> = await runGraphQLExample(app, { ...month, variables: { ...month.variables, after }, answer: undefined }, 'cpk_demo_editor');
      const entries = page.contentCalendar.entries;
      total = entries.totalCount;
      titles.push(...entries.edges.map((e: { node: { event: string; piece: { title: string } } }) => `${e.node.event} ${e.node.piece.title}`));
      after = entries.pageInfo.hasNextPage ? entries.pageInfo.endCursor : null;
    } while (after);
    expect(titles).toHaveLength(total);
    expect(new Set(titles).size).toBe(total);
  });

  it('serves the feed at the URL shown, as iCalendar holding the events shown', async () => {
    const feed = /<!-- feed-example -->\s*```sh\ncurl '([^']+)'\n```\s*```text\n([\s\S]*?)```/.exec(readFileSync(GUIDE, 'utf8'));
    expect(feed).not.toBeNull();
    const token = await app.gql('cpk_demo_editor', 'mutation { createCalendarToken(input: { name: "Guide test" }) { token } }');
    const url = new URL((feed?.[1] as string).replace('cpc_…', token.data?.createCalendarToken.token));
    expect(url.origin).toBe(ORIGIN);
    const response = await app.fetch(`${url.pathname}${url.search}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/calendar/);
    const text = await response.text();
    // Every line shown, in order, with the lines left out in between (folded lines unfolded).
    const lines = text.replace(/\r\n[ \t]/g, '').split('\r\n');
    let at = 0;
    for (const shown of (feed?.[2] as string).trim().split('\n')) {
      const found = lines.findIndex((line, i) => i >= at && textMatches(shown, line));
      expect(found, `feed line ${shown}`).toBeGreaterThanOrEqual(0);
      at = found + 1;
    }
    // And it is iCalendar a calendar program reads: as many events as shown.
    const events = new ICAL.Component(ICAL.parse(text)).getAllSubcomponents('vevent');
    expect(events).toHaveLength((feed?.[2] as string).match(/^BEGIN:VEVENT$/gm)?.length ?? -1);
  });
});

describe('guide: run a gap analysis (docs/guide-gaps.md)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ origin: ORIGIN });
    await loadDemoWorkspace(app.database);
  });
  afterAll(() => app.close());
  runsItsExamples('docs/guide-gaps.md', () => app);
});

describe('docs/model.md', () => {
  const model = readFileSync('docs/model.md', 'utf8');

  it('draws only models and fields the data model has', () => {
    const diagram = /```mermaid\nerDiagram\n([\s\S]*?)```/.exec(model)?.[1] ?? '';
    const models = getDatamodel().datamodel.models;
    const entities = [...diagram.matchAll(/^\s*(\w+) \{\n([\s\S]*?)\n\s*\}/gm)];
    expect(entities.length).toBeGreaterThan(5);
    for (const [, entity, body] of entities) {
      expect(Object.keys(models), entity).toContain(entity);
      for (const [, field] of (body as string).matchAll(/^\s*\w+ (\w+)/gm)) expect(models[entity as string]?.fields.map((f) => f.name), `${entity}.${field}`).toContain(field);
    }
    for (const [, left, right] of diagram.matchAll(/^\s*(\w+) [|}][|o]--[o|][|{] (\w+)/gm)) {
      expect(Object.keys(models)).toEqual(expect.arrayContaining([left, right]));
    }
  });

  it('names every cell status of the schema', () => {
    const statuses = /enum MatrixCellStatus \{([\s\S]*?)\}/.exec(readFileSync('schema.graphql', 'utf8'))?.[1]?.match(/^\s+([A-Z_]+)$/gm)?.map((s) => s.trim());
    expect(statuses?.length).toBe(7);
    for (const status of statuses ?? []) expect(model).toContain(`\`${status}\``);
  });
});

describe('README', () => {
  it('links every guide', () => {
    const readme = readFileSync('README.md', 'utf8');
    for (const doc of ['guide-own-brand.md', 'guide-website.md', 'guide-calendar.md', 'guide-gaps.md', 'model.md', 'typed-client.md']) expect(readme).toContain(`(docs/${doc})`);
  });
});

import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoWorkspace } from '../src/demo/demo.js';
import { STATUS_COLOURS } from '../src/reports/heat-map.js';
import { createServer } from '../src/server.js';
import { startTestApp, type TestApp } from './support/app.js';
import { launchChromium } from './support/browser.js';
import { Fixture } from './support/fixtures.js';

/**
 * The reports as a strategist meets them: opened by their link in a real
 * headless Chromium, from a real port, with every other origin cut off. The
 * heat map must show the demo's planted gaps in the right cells, and the
 * SVG must be well-formed XML that reads back every name as it was stored.
 * With WRITE_DOCS_PNG=1 it also renders the demo's page to docs/matrix-heatmap.png.
 */
const AT = '2026-06-01T12:00:00Z';
const NASTY = {
  journey: 'Reis <b>"&amp;"</b>',
  segment: '<script>window.pwned = 1</script>',
  child: '=cmd|\' /C calc\'!A0 & "kids"',
  phase: '<img src=x onerror="window.pwned=2">',
  channel: '@SUM(1+1) </title><title>',
  touchpoint: '-2+3 "<tp>" & </text>',
};

let app: TestApp;
let browser: Browser;
let http: Server;
let base: string;
let demoToken: string;
let nastyToken: string;

beforeAll(async () => {
  app = await startTestApp();
  await loadDemoWorkspace(app.database, new Date('2026-06-01T09:00:00.000Z'));
  demoToken = await reportToken('cpk_demo_editor');

  const ws = await app.workspace('Escaping');
  const f = new Fixture(app.database.prisma, ws.workspaceId);
  await f.journey('shop', [['attention', 'BECOME'], ['always', 'STAY']]);
  await f.segment('families');
  await f.segment('kids', 'families');
  await f.channel('email');
  await f.touchpoint(NASTY.touchpoint, 'attention', 'email');
  const db = app.database.prisma;
  await db.journeyModel.updateMany({ where: { workspaceId: ws.workspaceId }, data: { name: NASTY.journey } });
  await db.segment.updateMany({ where: { workspaceId: ws.workspaceId, key: 'families' }, data: { name: NASTY.segment } });
  await db.segment.updateMany({ where: { workspaceId: ws.workspaceId, key: 'kids' }, data: { name: NASTY.child } });
  await db.phase.updateMany({ where: { workspaceId: ws.workspaceId, key: 'attention' }, data: { name: NASTY.phase } });
  await db.channel.updateMany({ where: { workspaceId: ws.workspaceId }, data: { name: NASTY.channel } });
  nastyToken = await reportToken(ws.EDITOR);

  const yoga = createServer({ database: app.database, mode: 'production' });
  http = createHttpServer(yoga);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  browser = await launchChromium();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => http?.close(resolve));
  await app?.close();
});

async function reportToken(key: string): Promise<string> {
  const res = await app.gql(key, 'mutation { createReportToken(input: { name: "Wiki" }) { token } }');
  return res.data?.createReportToken.token;
}

/** A page that can reach this server only; requests elsewhere are recorded and refused. */
async function offlinePage(): Promise<{ context: BrowserContext; page: Page; outside: string[]; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const outside: string[] = [];
  await context.route(
    (url) => url.origin !== base,
    (route) => {
      outside.push(route.request().url());
      return route.abort('internetdisconnected');
    },
  );
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => problems.push(message.text()));
  page.on('pageerror', (error) => problems.push(error.message));
  return { context, page, outside, problems };
}

/** Where a square sits against its row label and its column header: the picture, not just the markup. */
async function placeOf(page: Page, segment: string, phase: string, channel: string) {
  const square = page.locator(`rect.square[data-segment="${segment}"][data-phase="${phase}"][data-channel="${channel}"]`);
  const label = page.locator(`g.row[data-segment="${segment}"] text.segment`);
  const header = page.locator(`text.phase[data-phase="${phase}"]`);
  const [box, row, column] = await Promise.all([square.boundingBox(), label.boundingBox(), header.boundingBox()]);
  if (!box || !row || !column) throw new Error(`no square, row or column for ${segment} ${phase} ${channel}`);
  return {
    status: await square.getAttribute('data-status'),
    fill: await square.evaluate((element) => getComputedStyle(element).fill),
    inRow: Math.abs(box.y + box.height / 2 - (row.y + row.height / 2)) < 8,
    underColumn: Math.abs(box.x + box.width / 2 - (column.x + column.width / 2)) < 80,
    tooltip: await square.locator('title').textContent(),
  };
}

function rgb(hex: string): string {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return `rgb(${r}, ${g}, ${b})`;
}

describe('the HTML report in a browser', () => {
  it('shows the demo\'s planted gaps in their cells, loads nothing from elsewhere and runs no script', async () => {
    const { context, page, outside, problems } = await offlinePage();
    const response = await page.goto(`${base}/reports/matrix.html?token=${demoToken}&journey=zakelijk&at=${AT}`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toContain("default-src 'none'");

    // The ZZP'ers' offer e-mail is only a draft: PLANNED_ONLY, under "Beslissing", in their row.
    const zzp = await placeOf(page, 'zzp', 'decision', 'email');
    expect(zzp).toMatchObject({ status: 'PLANNED_ONLY', fill: rgb(STATUS_COLOURS.PLANNED_ONLY), inRow: true, underColumn: true });
    expect(zzp.tooltip).toContain('Offerte per e-mail');
    // MKB has nothing at all by phone in the consideration phase.
    const mkb = await placeOf(page, 'mkb', 'consideration', 'phone');
    expect(mkb).toMatchObject({ status: 'MISSING', fill: rgb(STATUS_COLOURS.MISSING), inRow: true, underColumn: true });

    // The gap list is contentGaps' ranking.
    const gaps = await app.gql('cpk_demo_editor', `{ contentGaps(journey: "zakelijk", at: "${AT}", first: 100) { edges { node { kind segment { key } phase { key } channel { key } } } } }`);
    const expected = gaps.data?.contentGaps.edges.map(({ node }: { node: { kind: string; segment: { key: string }; phase: { key: string }; channel: { key: string } } }) => [node.segment.key, node.phase.key, node.channel.key, node.kind].join(' '));
    const listed = await page.locator('tr.gap').evaluateAll((rows) => rows.map((row) => ['segment', 'phase', 'channel', 'kind'].map((name) => row.getAttribute(`data-${name}`)).join(' ')));
    expect(listed).toEqual(expected);
    expect(listed.length).toBeGreaterThan(0);

    // Its download links open the same report, with the same token and filters, from this server.
    for (const [name, type] of [['matrix.svg', 'image/svg+xml'], ['matrix.csv', 'text/csv'], ['gaps.csv', 'text/csv']]) {
      const href = await page.locator(`nav a[href^="${name}?"]`).evaluate((a) => (a as HTMLAnchorElement).href);
      expect(href).toBe(`${base}/reports/${name}?token=${demoToken}&journey=zakelijk&at=${encodeURIComponent(AT)}`);
      expect((await fetch(href)).headers.get('content-type')).toBe(`${type}; charset=utf-8`);
    }
    expect(await page.locator('script').count()).toBe(0);
    expect(outside).toEqual([]);
    expect(problems).toEqual([]);

    if (process.env.WRITE_DOCS_PNG === '1') {
      await page.goto(`${base}/reports/matrix.html?token=${demoToken}&journey=consument&at=${AT}`);
      mkdirSync('docs', { recursive: true });
      writeFileSync('docs/matrix-heatmap.png', await page.locator('body').screenshot());
    }
    await context.close();
  }, 60_000);

  it('shows the students\' empty STAY phases in the consumer journey as missing', async () => {
    const { context, page } = await offlinePage();
    await page.goto(`${base}/reports/matrix.html?token=${demoToken}&journey=consument&at=${AT}`);
    const stay = page.locator('rect.square[data-segment="studenten"][data-phase="always"]:not([data-status="NOT_EXPECTED"]), rect.square[data-segment="studenten"][data-phase="advocate"]:not([data-status="NOT_EXPECTED"])');
    const statuses = await stay.evaluateAll((squares) => squares.map((s) => s.getAttribute('data-status')));
    expect(statuses.length).toBeGreaterThan(0);
    expect(new Set(statuses)).toEqual(new Set(['MISSING']));
    await context.close();
  }, 60_000);

  it('opens the same when saved as a file, and prints to the page width with its colours', async () => {
    const html = await (await fetch(`${base}/reports/matrix.html?token=${demoToken}&journey=consument&at=${AT}`)).text();
    const { context, page, outside, problems } = await offlinePage();
    await page.setViewportSize({ width: 700, height: 900 });
    // A saved copy has no server behind it: whatever it would fetch is recorded and refused.
    await page.setContent(html);
    expect(await page.locator('rect.square').count()).toBe(4 * 5 * 8);
    expect(await page.locator('rect.square[data-segment="studenten"][data-phase="always"][data-channel="email"]').getAttribute('data-status')).toBe('MISSING');
    await page.emulateMedia({ media: 'print' });
    const printed = await page.evaluate(() => ({
      svg: document.querySelector('svg')?.getBoundingClientRect().width ?? 0,
      body: document.body.getBoundingClientRect().width,
      colours: getComputedStyle(document.querySelector('rect.square') as Element).getPropertyValue('print-color-adjust'),
      header: getComputedStyle(document.querySelector('thead') as Element).display,
    }));
    expect(printed.svg).toBeLessThanOrEqual(printed.body);
    expect(printed).toMatchObject({ colours: 'exact', header: 'table-header-group' });
    const pdf = await page.pdf({ printBackground: true });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(outside).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);

  it('writes every name as text: nothing stored in a name becomes markup or runs', async () => {
    const { context, page, problems } = await offlinePage();
    await page.goto(`${base}/reports/matrix.html?token=${nastyToken}&journey=shop`);
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    expect(await page.locator('script, img, b').count()).toBe(0);
    expect(await page.locator('h1').textContent()).toBe(`Content matrix: ${NASTY.journey}`);
    expect(await page.locator('g.row[data-segment="families"] text.segment title').textContent()).toBe(`${NASTY.segment} (families)`);
    expect(await page.locator('g.row[data-segment="kids"] text.segment title').textContent()).toBe(`${NASTY.child} (kids)`);
    const cells = await page.locator('tr.gap td').allTextContents();
    for (const name of [NASTY.segment, NASTY.phase, NASTY.channel]) expect(cells).toContain(name);
    expect(cells.some((text) => text.includes(`"${NASTY.touchpoint}"`))).toBe(true);
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);
});

describe('the SVG heat map', () => {
  it('is well-formed XML whose texts and tooltips read back every name as stored', async () => {
    const response = await fetch(`${base}/reports/matrix.svg?token=${nastyToken}&journey=shop`);
    expect(response.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    const svg = await response.text();
    const { context, page } = await offlinePage();
    await page.goto(`${base}/reports/matrix.svg?token=${nastyToken}&journey=shop`);
    // The browser's own XML parser: a parse error is reported as a <parsererror> document.
    const parsed = await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
      const texts = (selector: string) => [...doc.querySelectorAll(selector)].map((node) => node.textContent ?? '');
      return {
        errors: doc.getElementsByTagName('parsererror').length,
        root: doc.documentElement.nodeName,
        title: texts('svg > title')[0],
        rowTitles: texts('text.segment > title'),
        phaseTitles: texts('text.phase > title'),
        squares: texts('rect.square > title'),
        legend: texts('text.legend-channel'),
        scripts: doc.getElementsByTagName('script').length,
      };
    }, svg);
    expect(parsed).toMatchObject({ errors: 0, root: 'svg', scripts: 0 });
    expect(parsed.title).toContain(NASTY.journey);
    expect(parsed.rowTitles).toEqual([`${NASTY.segment} (families)`, `${NASTY.child} (kids)`]);
    expect(parsed.phaseTitles[0]).toBe(`${NASTY.phase} (attention, BECOME)`);
    expect(parsed.legend).toEqual([`1. ${NASTY.channel}`]);
    // The touchpoint's gap sentence, with every name in it, in the square's tooltip.
    const tooltip = parsed.squares.find((text) => text.includes('MISSING')) ?? '';
    for (const name of [NASTY.segment, NASTY.phase, NASTY.channel, NASTY.touchpoint]) expect(tooltip).toContain(name);
    // Opened on its own, the picture renders (a broken SVG shows Chromium's error page instead).
    expect(await page.locator('svg rect.square').count()).toBe(4);
    await context.close();
  }, 60_000);
});

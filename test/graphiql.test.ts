import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLACEHOLDER_KEY } from '../src/http/graphiql.js';
import { createServer } from '../src/server.js';
import { startTestApp, type TestApp } from './support/app.js';
import { launchChromium } from './support/browser.js';
import { freshDatabase } from './support/databases.js';
import { startServerProcess, type ServerProcess } from './support/process.js';

/**
 * GraphiQL as a newcomer meets it: `npm start` with the demo, the page opened
 * in a real (headless) Chromium that cannot reach anything but this server,
 * as on a machine without internet access.
 */
let started: ServerProcess;
let browser: Browser;
let app: TestApp;

beforeAll(async () => {
  const database = await freshDatabase();
  const url = database.provider === 'sqlite' ? `file:${database.url}` : database.url;
  [started, browser, app] = await Promise.all([startServerProcess(url, { DEMO_DATA: 'true', NODE_ENV: 'development' }), launchChromium(), startTestApp()]);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await started?.stop();
  await app?.close();
});

describe('GraphiQL in a browser, offline', () => {
  it('loads nothing from outside the server, starts with the demo DELIVERY key and runs the Viewer query', async () => {
    const context = await browser.newContext();
    const outside: string[] = [];
    await context.route(
      (url) => url.origin !== started.base,
      (route) => {
        outside.push(route.request().url());
        return route.abort('internetdisconnected');
      },
    );
    const page = await context.newPage();
    const schemaLoaded = page.waitForResponse((r) => r.url() === `${started.base}/graphql` && (r.request().postData() ?? '').includes('__schema'), { timeout: 60_000 });
    await page.goto(`${started.base}/graphql`);

    const editor = page.locator('.graphiql-query-editor .monaco-editor');
    const [, schema] = await Promise.all([editor.waitFor({ timeout: 60_000 }), schemaLoaded]).catch((error: unknown) => {
      throw new Error(`GraphiQL did not load; requests for other origins: ${outside.join(', ') || 'none'}`, { cause: error });
    });
    // Docs and autocomplete come from the schema, which GraphiQL fetched with the key in its Headers tab.
    expect(schema.status()).toBe(200);
    const headers = await page.locator('.graphiql-editor-tool .view-lines').allTextContents();
    // The editor shows spaces as no-break spaces.
    expect(headers.join('\n').replace(/\u00a0/g, ' ')).toContain('"Authorization": "Bearer cpk_demo_delivery"');

    await editor.click();
    await page.keyboard.press('ControlOrMeta+A');
    // Named like the query it replaces: GraphiQL takes a moment to notice a new operation name.
    await page.keyboard.insertText('query Viewer { viewer { role } }');
    // The editor closes brackets as they are typed: drop what it added after the cursor.
    await page.keyboard.press('Shift+ControlOrMeta+End');
    await page.keyboard.press('Delete');
    await page.getByRole('button', { name: /Execute query/ }).click();
    await page.locator('.graphiql-response').filter({ hasText: /"role":\s*"DELIVERY"/ }).waitFor({ timeout: 30_000 });

    expect(outside).toEqual([]);
    await context.close();
  }, 120_000);
});

describe('GraphiQL without the demo', () => {
  it('starts with a placeholder to replace, not a key', async () => {
    const yoga = createServer({ database: app.database, mode: 'development' });
    const page = await (await yoga.fetch('http://test/graphql', { headers: { accept: 'text/html' } })).text();
    expect(page).toContain(`Bearer ${PLACEHOLDER_KEY}`);
    expect(page).not.toContain('cpk_');
    await yoga.dispose();
  });
});

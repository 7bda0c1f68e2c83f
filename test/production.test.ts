import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_KEYS } from '../src/demo/data.js';
import { emptyDatabase } from './support/databases.js';
import { sigtermWithRequestInFlight, startServerProcess, type ServerProcess } from './support/process.js';

/**
 * The server started exactly as the README's "Running in production" says:
 * Node itself on the JavaScript that `npm run build` wrote (test/run.sh
 * builds it first), so a signal sent to the process reaches the server.
 */
const START = /<!-- production-start -->\s*```sh\n([\s\S]*?)```/;

/** The README's start command, split into its environment and what follows `node`. */
function readmeStartCommand(): { env: Record<string, string>; nodeArgs: string[] } {
  const block = START.exec(readFileSync('README.md', 'utf8'))?.[1];
  const line = block?.split('\n').find((l) => /(^|\s)node\s/.test(l));
  if (!line) throw new Error('README: no `node …` line in the <!-- production-start --> block');
  const words = line.replace(/#.*/, '').trim().split(/\s+/);
  const env: Record<string, string> = {};
  while (/^[A-Z_]+=/.test(words[0] ?? '')) {
    const [name, ...value] = (words.shift() as string).split('=');
    env[name as string] = value.join('=');
  }
  if (words.shift() !== 'node') throw new Error(`README: the production command must run node itself: ${line}`);
  return { env, nodeArgs: words };
}

const { env, nodeArgs } = readmeStartCommand();
const deliveryKey = DEMO_KEYS.find((k) => k.role === 'DELIVERY')?.secret as string;
let started: ServerProcess;

beforeAll(async () => {
  const entry = nodeArgs.find((a) => a.endsWith('.js'));
  if (!entry || !existsSync(entry)) throw new Error(`${entry ?? 'the built entry'} is missing: run \`npm run build\` first (npm test does)`);
  const database = await emptyDatabase();
  const url = database.provider === 'sqlite' ? `file:${database.url}` : database.url;
  // The README's environment, on this test's database; the demo gives the test a key.
  started = await startServerProcess(url, { ...env, DATABASE_URL: url, DEMO_DATA: 'true' }, nodeArgs);
}, 60_000);

afterAll(() => started.stop());

describe('the production start from the README', () => {
  it('runs the built JavaScript with node, in production mode', () => {
    expect(nodeArgs).toEqual(['dist/main.js']);
    expect(env.NODE_ENV).toBe('production');
  });

  it('finds and applies the migrations from the built files, and answers GraphQL', async () => {
    expect(started.output()).toMatch(/Applied migrations: \d+_init/);
    const response = await fetch(`${started.base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${deliveryKey}` },
      body: JSON.stringify({ query: '{ viewer { role } }' }),
    });
    expect(await response.json()).toEqual({ data: { viewer: { role: 'DELIVERY' } } });
  });

  it('records interactions from the built files (on SQLite, on the write thread), once each', async () => {
    const event = { clientEventId: 'production-start-1', type: 'IMPRESSION', externalId: 'cms-1001', segment: 'gezinnen', phase: 'attention', channel: 'social', occurredAt: new Date(Date.now() - 60_000).toISOString(), visitorId: 'v-production', sessionId: 's-production' };
    const record = async () => {
      const response = await fetch(`${started.base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${deliveryKey}` },
        body: JSON.stringify({ query: 'mutation ($events: [InteractionEventInput!]!) { recordInteractions(input: { events: $events }) { accepted duplicates refused { code } } }', variables: { events: [event] } }),
      });
      return response.json();
    };
    expect(await record()).toEqual({ data: { recordInteractions: { accepted: 1, duplicates: 0, refused: [] } } });
    expect(await record()).toEqual({ data: { recordInteractions: { accepted: 0, duplicates: 1, refused: [] } } });
  });

  it('drains on SIGTERM sent to that process: the request in flight finishes, no new one is taken, and it exits 0', async () => {
    const drained = await sigtermWithRequestInFlight(started, deliveryKey);
    expect(drained).toEqual({ status: 200, body: { data: { viewer: { role: 'DELIVERY' } } }, refusedWhileDraining: true, exitCode: 0 });
  });
});

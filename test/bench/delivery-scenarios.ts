import { KNOWN_OPERATIONS, operationHash } from '../../src/delivery/persisted-operations.js';
import { body, type LoadRequest, type MeasureContext, type Scenario } from './scenarios.js';
import type { BenchShape } from './synthetic.js';

/**
 * What websites send: recommendations with a DELIVERY key, for 60 different
 * cells across both journeys, all tree depths and channels (a third ask for
 * a locale). Uncached (the response cache off), cached (the same cells
 * again and again), as GETs of the persisted operation revalidated with
 * If-None-Match, and while an editor writes ten times a second.
 */
const RECOMMEND = KNOWN_OPERATIONS.RecommendedContent as string;

export function cells(shape: BenchShape): Record<string, unknown>[] {
  return Array.from({ length: 60 }, (_, i) => {
    const journey = shape.journeys[i % shape.journeys.length]!;
    return {
      segment: journey.segments[(i * 7) % journey.segments.length]!.key,
      phase: journey.phases[i % journey.phases.length]!.key,
      channel: shape.channels[i % shape.channels.length]!.key,
      locale: i % 3 === 0 ? 'en-GB' : null,
    };
  });
}

export const recommendations = (shape: BenchShape) => cells(shape).map((variables) => body(RECOMMEND, variables));

export const deliveryScenarios: Scenario[] = [
  { name: 'recommend-uncached', role: 'DELIVERY', env: { RESPONSE_CACHE_SIZE: '0' }, bodies: recommendations },
  { name: 'recommend-cached', role: 'DELIVERY', bodies: recommendations },
  // The same with two server processes on one port (WORKERS=2): their own { __typename } baseline comes with them.
  { name: 'recommend-uncached-2-workers', role: 'DELIVERY', env: { RESPONSE_CACHE_SIZE: '0', WORKERS: '2' }, bodies: recommendations },
  { name: 'recommend-cached-2-workers', role: 'DELIVERY', env: { WORKERS: '2' }, bodies: recommendations },
  {
    name: 'recommend-get-304',
    role: 'DELIVERY',
    bodies: recommendations,
    // Each cell's URL once, for its ETag; then the load revalidates.
    async requests({ base, key, shape }) {
      const extensions = JSON.stringify({ persistedQuery: { version: 1, sha256Hash: operationHash(RECOMMEND) } });
      const requests: LoadRequest[] = [];
      for (const variables of cells(shape)) {
        const path = `/graphql?${new URLSearchParams({ extensions, variables: JSON.stringify(variables) })}`;
        const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${key}` } });
        const etag = response.headers.get('etag');
        if (response.status !== 200 || !etag) throw new Error(`no ETag for ${path}: ${response.status} ${await response.text()}`);
        requests.push({ method: 'GET', path, headers: { authorization: `Bearer ${key}`, 'if-none-match': etag } });
      }
      return requests;
    },
  },
  {
    name: 'recommend-under-writes',
    role: 'DELIVERY',
    instances: 2,
    bodies: recommendations,
    measure: underWrites,
  },
];

const WRITE_EVERY_MS = 100;
/** PostgreSQL tells other instances on commit, through a notification: they may take this long. */
const OTHER_INSTANCE_ALLOWANCE_MS = process.env.DATABASE_URL?.startsWith('postgres') ? 1000 : 0;

/**
 * Cached recommendations at the run's concurrency on the first instance,
 * while an editor renames one piece of a cell every 100 ms through it, and
 * two checkers read that cell from both instances. An answer is stale when
 * it shows an older name than the last rename that had returned before the
 * request was sent (on the other instance, before that minus the time
 * PostgreSQL's notification may take). Target: none.
 */
async function underWrites(context: MeasureContext) {
  const [one, two] = context.bases as [string, string];
  const cell = cells(context.shape)[1] as { segment: string; phase: string; channel: string };
  const journey = context.shape.journeys.find((j) => j.segments.some((s) => s.key === cell.segment))!.key;
  const gql = async (base: string, key: string, query: string, variables: Record<string, unknown>) => {
    const response = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: body(query, variables) });
    return (await response.json()) as { data?: Record<string, any>; errors?: unknown[] };
  };
  const created = await gql(one, context.keys.EDITOR, 'mutation ($input: CreateContentPieceInput!) { createContentPiece(input: $input) { contentPiece { id } userErrors { message } } }', {
    input: { title: 'under-writes 0', format: 'ARTICLE', status: 'PUBLISHED', locale: 'nl-NL', priority: 100, phases: [{ journey, phase: cell.phase }], channels: [cell.channel], segments: [cell.segment] },
  });
  const id = created.data?.createContentPiece.contentPiece?.id as string;
  if (!id) throw new Error(`could not create the renamed piece: ${JSON.stringify(created)}`);

  const committed: { n: number; at: number }[] = [{ n: 0, at: Date.now() }];
  const lastBefore = (instant: number) => committed.filter((c) => c.at <= instant).at(-1)?.n ?? 0;
  let running = true;
  const writer = (async () => {
    for (let n = 1; running; n++) {
      const started = Date.now();
      const res = await gql(one, context.keys.EDITOR, 'mutation ($input: UpdateContentPieceInput!) { updateContentPiece(input: $input) { userErrors { message } } }', { input: { id, title: `under-writes ${n}` } });
      if (res.errors || res.data?.updateContentPiece.userErrors.length) throw new Error(`rename failed: ${JSON.stringify(res)}`);
      committed.push({ n, at: Date.now() });
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, WRITE_EVERY_MS - (Date.now() - started))));
    }
  })();
  const stale = { same: 0, other: 0 };
  const checks = { same: 0, other: 0 };
  const checker = (base: string, which: 'same' | 'other') =>
    (async () => {
      while (running) {
        const sent = Date.now();
        const expected = lastBefore(sent - (which === 'other' ? OTHER_INSTANCE_ALLOWANCE_MS : 0));
        const res = await gql(base, context.keys.DELIVERY, RECOMMEND, { ...cell, first: 100 });
        const title = (res.data?.recommendedContent.edges as { node: { title: string } }[]).map((e) => e.node.title).find((t) => t.startsWith('under-writes '));
        const seen = Number(title?.slice('under-writes '.length) ?? -1);
        checks[which] += 1;
        if (seen < expected) stale[which] += 1;
      }
    })();
  const checkers = [checker(one, 'same'), checker(two, 'other')];
  const figures = await context.load(
    recommendations(context.shape).map((b) => ({ method: 'POST', path: '/graphql', headers: { 'content-type': 'application/json', authorization: `Bearer ${context.keys.DELIVERY}` }, body: b })),
    context.duration,
    context.connections,
  );
  running = false;
  await Promise.all([writer, ...checkers]);
  return { ...figures, writes: committed.length - 1, checks, staleAnswers: stale };
}

import { builder } from '../builder.js';
import { workspaceId, type Context } from '../context.js';
import { badUserInput } from '../errors.js';
import { Prisma } from '../generated/sqlite/client.js';
import { databaseIdOf } from '../shared/global-id.js';
import { arrayConnection } from '../shared/offset-paging.js';
import { Touchpoint } from '../touchpoints/touchpoint.js';
import { phaseKey, type Catalog } from '../workspaces/catalog.js';
import type { InteractionTypeValue } from './events.js';
import { medianSeconds } from './steps.js';

/** The longest range one question covers: a year and a day (leap years). */
const MAX_RANGE_DAYS = 366;
const DAY_MS = 86_400_000;

interface Counts {
  impressions: number;
  views: number;
  clicks: number;
  downloads: number;
  shares: number;
  conversions: number;
}

interface DayCounts extends Counts {
  day: string;
}

interface Performance extends Counts {
  from: string;
  to: string;
  days: DayCounts[];
}

const FIELD: Record<InteractionTypeValue, keyof Counts> = { IMPRESSION: 'impressions', VIEW: 'views', CLICK: 'clicks', DOWNLOAD: 'downloads', SHARE: 'shares', CONVERSION: 'conversions' };

const zero = (): Counts => ({ impressions: 0, views: 0, clicks: 0, downloads: 0, shares: 0, conversions: 0 });
const rate = (part: number, whole: number) => (whole > 0 ? part / whole : null);

/** Counts per type and the two rates, on a whole range or one day. */
const InteractionCounts = builder.interfaceRef<Counts>('InteractionCounts').implement({
  description: 'Interactions counted by type, with the rates read from them.',
  fields: (t) => ({
    impressions: t.int({ description: 'IMPRESSION events.', resolve: (c) => c.impressions }),
    views: t.int({ description: 'VIEW events.', resolve: (c) => c.views }),
    clicks: t.int({ description: 'CLICK events.', resolve: (c) => c.clicks }),
    downloads: t.int({ description: 'DOWNLOAD events.', resolve: (c) => c.downloads }),
    shares: t.int({ description: 'SHARE events.', resolve: (c) => c.shares }),
    conversions: t.int({ description: 'CONVERSION events.', resolve: (c) => c.conversions }),
    clickThroughRate: t.float({ nullable: true, description: 'clicks / impressions; null without impressions.', resolve: (c) => rate(c.clicks, c.impressions) }),
    conversionRate: t.float({ nullable: true, description: 'conversions / impressions; null without impressions.', resolve: (c) => rate(c.conversions, c.impressions) }),
  }),
});

const PerformanceDay = builder.objectRef<DayCounts>('PerformanceDay').implement({
  description: 'One UTC day of a performance series.',
  interfaces: [InteractionCounts],
  isTypeOf: (value) => typeof value === 'object' && value !== null && 'day' in value,
  fields: (t) => ({ day: t.string({ description: 'The UTC day, YYYY-MM-DD.', resolve: (d) => d.day }) }),
});

const ContentPerformance = builder.objectRef<Performance>('ContentPerformance').implement({
  description: 'What visitors did with content over a range of UTC days, read from the daily roll-ups (kept after the raw events expire).',
  interfaces: [InteractionCounts],
  isTypeOf: (value) => typeof value === 'object' && value !== null && 'from' in value,
  fields: (t) => ({
    from: t.string({ description: 'The first day, YYYY-MM-DD.', resolve: (p) => p.from }),
    to: t.string({ description: 'The last day, YYYY-MM-DD (inclusive).', resolve: (p) => p.to }),
    days: t.connection(
      { type: PerformanceDay, description: 'Every day of the range, oldest first, with zeros on days without events.', resolve: (p, args, ctx) => arrayConnection(ctx, 'contentPerformance.days', args, p.days) },
      { description: 'A page of days.', fields: (conn) => ({ totalCount: conn.int({ description: 'How many days the range holds.', resolve: (page) => (page as unknown as { totalCount: number }).totalCount }) }) },
      { description: 'A day and its cursor.' },
    ),
  }),
});

interface PathShape {
  fromId: string;
  toId: string;
  count: number;
  medianSeconds: number | null;
  touchpoint: (id: string) => Promise<unknown>;
}

const TouchpointPath = builder.objectRef<PathShape>('TouchpointPath').implement({
  description: 'A step visitors took within a session, from one touchpoint to the next.',
  fields: (t) => ({
    from: t.field({ type: Touchpoint, description: 'Where the step started.', resolve: (p) => p.touchpoint(p.fromId) as never }),
    to: t.field({ type: Touchpoint, description: 'Where it went next.', resolve: (p) => p.touchpoint(p.toId) as never }),
    count: t.int({ description: 'How many times sessions took this step in the range.', resolve: (p) => p.count }),
    medianSeconds: t.int({
      nullable: true,
      description: 'The median time between the two interactions, in seconds, read from a log-scale histogram (within about 10 %).',
      resolve: (p) => p.medianSeconds,
    }),
  }),
});

/** The piece's database id; a malformed id, another type's or one this workspace has no piece for is BAD_USER_INPUT on `piece`, as an unknown segment key is on `segment`. */
async function pieceIdOf(ctx: Context, globalId: string): Promise<string> {
  const id = databaseIdOf(globalId, 'ContentPiece');
  const piece = id ? await ctx.prisma.contentPiece.findFirst({ where: { id, workspaceId: workspaceId(ctx) }, select: { id: true } }) : null;
  if (!piece) throw badUserInput('piece', 'no content piece with this id in this workspace', globalId);
  return piece.id;
}

builder.queryFields((t) => ({
  contentPerformance: t.field({
    type: ContentPerformance,
    description: `Counts, click-through and conversion rates of interactions, per piece or per cell (or both; none: the whole workspace), over a range of UTC days (at most ${MAX_RANGE_DAYS}), with a per-day series. Read from the daily roll-ups only. EDITOR.`,
    authScopes: { editor: true },
    args: {
      from: t.arg.string({ required: true, description: 'First UTC day, YYYY-MM-DD.' }),
      to: t.arg.string({ required: true, description: 'Last UTC day (inclusive), YYYY-MM-DD.' }),
      piece: t.arg.id({ description: 'Only this content piece (global ID); an id this workspace has no piece for is BAD_USER_INPUT.' }),
      segment: t.arg.string({ description: 'Only interactions served for this segment (key).' }),
      phase: t.arg.string({ description: 'Only this phase (key within the segment\'s journey; needs segment).' }),
      channel: t.arg.string({ description: 'Only this channel (key).' }),
    },
    resolve: async (_root, args, ctx) => {
      const { from, to, days } = range(args.from, args.to);
      const catalog = await ctx.catalogs.get(workspaceId(ctx));
      const conditions = [Prisma.sql`"workspaceId" = ${workspaceId(ctx)}`, Prisma.sql`"day" >= ${from}`, Prisma.sql`"day" <= ${to}`];
      if (args.piece) conditions.push(Prisma.sql`"pieceId" = ${await pieceIdOf(ctx, args.piece)}`);
      const cell = cellIds(catalog, args);
      if (cell.segmentId) conditions.push(Prisma.sql`"segmentId" = ${cell.segmentId}`);
      if (cell.phaseId) conditions.push(Prisma.sql`"phaseId" = ${cell.phaseId}`);
      if (cell.channelId) conditions.push(Prisma.sql`"channelId" = ${cell.channelId}`);
      const rows = await ctx.database.query<{ day: string; type: InteractionTypeValue; count: unknown }>(Prisma.sql`
        SELECT "day", "type", SUM("count") AS "count" FROM "InteractionDay" WHERE ${Prisma.join(conditions, ' AND ')} GROUP BY "day", "type"`);
      const byDay = new Map(days.map((day) => [day, { day, ...zero() }]));
      const total = zero();
      for (const row of rows) {
        const field = FIELD[row.type];
        const count = Number(row.count);
        const day = byDay.get(row.day);
        if (day) day[field] += count;
        total[field] += count;
      }
      return { from, to, ...total, days: [...byDay.values()] };
    },
  }),
  touchpointPaths: t.connection(
    {
      type: TouchpointPath,
      description: 'The steps between touchpoints in visitors\' sessions, for a journey and a segment, most taken first, with how often and the median time between them. Read from the step roll-up kept at ingest, never from raw events. Range of UTC days: the last 90 by default. EDITOR.',
      authScopes: { editor: true },
      args: {
        journey: t.arg.string({ required: true, description: 'Key of the journey model the touchpoints belong to.' }),
        segment: t.arg.string({ required: true, description: 'Key of the segment (it must follow the journey).' }),
        from: t.arg.string({ description: 'First UTC day, YYYY-MM-DD; default 89 days before `to`.' }),
        to: t.arg.string({ description: 'Last UTC day (inclusive), YYYY-MM-DD; default today.' }),
      },
      resolve: async (_root, args, ctx) => {
        const to = args.to ?? new Date().toISOString().slice(0, 10);
        const from = args.from ?? new Date(Date.parse(`${checkDay(to, 'to')}T00:00:00Z`) - 89 * DAY_MS).toISOString().slice(0, 10);
        range(from, to);
        const catalog = await ctx.catalogs.get(workspaceId(ctx));
        const segment = catalog.segments.get(args.segment);
        if (!segment) throw badUserInput('segment', `no segment with key "${args.segment}" in this workspace`, args.segment);
        const journey = catalog.journeys.get(segment.journeyId);
        if (journey?.key !== args.journey) throw badUserInput('journey', `segment "${args.segment}" follows journey "${journey?.key ?? ''}", not "${args.journey}"`, args.journey);
        const inJourney = journeyTouchpoints(catalog, journey.id);
        const rows = await ctx.database.query<{ fromTouchpointId: string; toTouchpointId: string; bucket: unknown; count: unknown }>(Prisma.sql`
          SELECT "fromTouchpointId", "toTouchpointId", "bucket", SUM("count") AS "count" FROM "InteractionStep"
           WHERE "workspaceId" = ${workspaceId(ctx)} AND "segmentId" = ${segment.id} AND "day" >= ${from} AND "day" <= ${to}
           GROUP BY "fromTouchpointId", "toTouchpointId", "bucket"`);
        const pairs = new Map<string, { fromId: string; toId: string; count: number; histogram: Map<number, number> }>();
        for (const row of rows) {
          if (!inJourney.has(row.fromTouchpointId) || !inJourney.has(row.toTouchpointId)) continue;
          const key = `${row.fromTouchpointId}\n${row.toTouchpointId}`;
          let pair = pairs.get(key);
          if (!pair) pairs.set(key, (pair = { fromId: row.fromTouchpointId, toId: row.toTouchpointId, count: 0, histogram: new Map() }));
          pair.count += Number(row.count);
          pair.histogram.set(Number(row.bucket), Number(row.count));
        }
        let touchpoints: Promise<Map<string, unknown>> | null = null;
        const touchpoint = async (id: string) => (await (touchpoints ??= ctx.prisma.touchpoint.findMany({ where: { id: { in: [...inJourney] }, workspaceId: workspaceId(ctx) } }).then((list) => new Map(list.map((tp) => [tp.id, tp]))))).get(id);
        const paths = [...pairs.values()]
          .sort((a, b) => b.count - a.count || (a.fromId + a.toId < b.fromId + b.toId ? -1 : 1))
          .map((p) => ({ fromId: p.fromId, toId: p.toId, count: p.count, medianSeconds: medianSeconds(p.histogram), touchpoint }));
        return arrayConnection(ctx, 'touchpointPaths', args, paths);
      },
    },
    {
      description: 'A page of steps between touchpoints.',
      fields: (conn) => ({ totalCount: conn.int({ description: 'How many different steps there are, over all pages.', resolve: (page) => (page as unknown as { totalCount: number }).totalCount }) }),
    },
    { description: 'A step between touchpoints and its cursor.' },
  ),
}));

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function checkDay(value: string, argument: string): string {
  if (!DAY.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)) || new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value) {
    throw badUserInput(argument, 'must be a UTC day, YYYY-MM-DD', value.slice(0, 100));
  }
  return value;
}

/** The days from `from` to `to`, inclusive, checked. */
function range(from: string, to: string): { from: string; to: string; days: string[] } {
  const start = Date.parse(`${checkDay(from, 'from')}T00:00:00Z`);
  const end = Date.parse(`${checkDay(to, 'to')}T00:00:00Z`);
  if (end < start) throw badUserInput('to', 'must not be before from', to);
  const count = (end - start) / DAY_MS + 1;
  if (count > MAX_RANGE_DAYS) throw badUserInput('to', `the range may cover at most ${MAX_RANGE_DAYS} days; it covers ${count}`, to);
  return { from, to, days: Array.from({ length: count }, (_, i) => new Date(start + i * DAY_MS).toISOString().slice(0, 10)) };
}

/** The cell's ids from its keys; each key is optional, phase needs the segment (phase keys are per journey). */
function cellIds(catalog: Catalog, args: { segment?: string | null; phase?: string | null; channel?: string | null }) {
  const segment = args.segment ? catalog.segments.get(args.segment) : undefined;
  if (args.segment && !segment) throw badUserInput('segment', `no segment with key "${args.segment}" in this workspace`, args.segment);
  let phaseId: string | undefined;
  if (args.phase) {
    if (!segment) throw badUserInput('phase', 'needs segment: phase keys are unique within a journey only', args.phase);
    phaseId = catalog.phases.get(phaseKey(segment.journeyId, args.phase))?.id;
    if (!phaseId) throw badUserInput('phase', `no phase "${args.phase}" in the journey segment "${args.segment}" follows`, args.phase);
  }
  const channel = args.channel ? catalog.channels.get(args.channel) : undefined;
  if (args.channel && !channel) throw badUserInput('channel', `no channel with key "${args.channel}" in this workspace`, args.channel);
  return { segmentId: segment?.id, phaseId, channelId: channel?.id };
}

/** The ids of the touchpoints at the journey's phases. */
function journeyTouchpoints(catalog: Catalog, journeyId: string): Set<string> {
  const phases = new Set([...catalog.phases.entries()].filter(([key]) => key.startsWith(`${journeyId}\n`)).map(([, p]) => p.id));
  const ids = new Set<string>();
  for (const [cell, touchpoints] of catalog.touchpoints) if (phases.has(cell.split('\n')[0] ?? '')) for (const tp of touchpoints) ids.add(tp.id);
  return ids;
}


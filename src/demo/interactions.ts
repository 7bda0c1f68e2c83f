import { encodeGlobalID } from '@pothos/plugin-relay';
import type { Database } from '../db/client.js';
import type { EventInput } from '../interactions/events.js';
import { MAX_EVENTS_PER_CALL, recordInteractions } from '../interactions/recording.js';
import { InteractionSecrets } from '../interactions/secrets.js';
import { Catalogs } from '../workspaces/catalog.js';
import { DEMO_PIECES, DEMO_WORKSPACE_ID } from './data.js';
import { dateOf } from './dates.js';

/**
 * The demo's interactions: a few weeks of made-up but believable visitors,
 * recorded through recordInteractions (what the mutation and the beacon
 * call), so raw events, daily roll-ups, totals and steps agree as they do in
 * production. The counts per cell are fixed; only times and devices come
 * from a seeded generator, all within the last DEMO_DAYS days (fewer with a
 * shorter retention window), so the demo answers the same on every load.
 * What it shows:
 * - engagement deciding the order: commuters ("forenzen") in the always
 *   phase on e-mail click and book the 1,000 km service reminder far more
 *   than the newsletter of the same priority, so the reminder ranks first;
 * - paths: e-bike commuters go from the Instagram ad to the comparison page
 *   within a minute or so, and some on to the order form minutes later;
 * - an UNDERPERFORMING cell: students reach the order form on their phones,
 *   are shown the generic e-bike trade-in offer (their student deal is still
 *   a draft, and the shorter mobile form only an idea) and hardly buy.
 * Every other cell stays under the 200 impressions the gap needs, or near
 * its phase's median, and no two pieces that tie on specificity and
 * priority in a cell the README shows get interactions there, so no other
 * answer of the demo changes.
 */
export const DEMO_DAYS = 28;

/** One cell's traffic for one piece: exact counts over the demo's days. */
export interface DemoTraffic {
  /** Local reference for the paths below; not stored. */
  ref: string;
  segment: string;
  /** "<journey key>:<phase key>", as in data.ts. */
  phase: string;
  channel: string;
  /** The piece's externalId. */
  piece: string;
  /** The touchpoint (its ref in data.ts) the events happen at, if any. */
  touchpoint?: string;
  impressions: number;
  clicks: number;
  conversions?: number;
  downloads?: number;
  /** The share of visitors on a phone. */
  mobile: number;
}

export const DEMO_TRAFFIC: DemoTraffic[] = [
  { ref: 'instagram-e-bike', segment: 'e-bike-forenzen', phase: 'consument:attention', channel: 'social', piece: 'cms-1002', touchpoint: 'instagram', impressions: 500, clicks: 60, mobile: 0.9 },
  { ref: 'instagram-forenzen', segment: 'forenzen', phase: 'consument:attention', channel: 'social', piece: 'cms-1001', touchpoint: 'instagram', impressions: 240, clicks: 18, mobile: 0.9 },
  { ref: 'instagram-gezinnen', segment: 'gezinnen', phase: 'consument:attention', channel: 'social', piece: 'cms-1001', touchpoint: 'instagram', impressions: 150, clicks: 14, mobile: 0.85 },
  // A booked test ride is the comparison pages' conversion.
  { ref: 'compare-e-bike', segment: 'e-bike-forenzen', phase: 'consument:consideration', channel: 'website', piece: 'cms-1011', touchpoint: 'vergelijking', impressions: 350, clicks: 55, conversions: 8, mobile: 0.55 },
  { ref: 'compare-e-bike-generic', segment: 'e-bike-forenzen', phase: 'consument:consideration', channel: 'website', piece: 'cms-1010', touchpoint: 'vergelijking', impressions: 250, clicks: 38, mobile: 0.5 },
  { ref: 'compare-forenzen', segment: 'forenzen', phase: 'consument:consideration', channel: 'website', piece: 'cms-1010', touchpoint: 'vergelijking', impressions: 90, clicks: 20, mobile: 0.5 },
  { ref: 'compare-gezinnen', segment: 'gezinnen', phase: 'consument:consideration', channel: 'website', piece: 'cms-1013', touchpoint: 'vergelijking', impressions: 180, clicks: 25, mobile: 0.6 },
  // The order form: an order is the conversion. Students hardly order.
  { ref: 'order-forenzen', segment: 'forenzen', phase: 'consument:action', channel: 'website', piece: 'cms-1020', touchpoint: 'bestelformulier', impressions: 300, clicks: 45, conversions: 12, mobile: 0.6 },
  { ref: 'order-e-bike', segment: 'e-bike-forenzen', phase: 'consument:action', channel: 'website', piece: 'cms-1020', touchpoint: 'bestelformulier', impressions: 420, clicks: 70, conversions: 21, mobile: 0.5 },
  { ref: 'order-gezinnen', segment: 'gezinnen', phase: 'consument:action', channel: 'website', piece: 'cms-1020', touchpoint: 'bestelformulier', impressions: 260, clicks: 36, conversions: 9, mobile: 0.6 },
  { ref: 'order-studenten', segment: 'studenten', phase: 'consument:action', channel: 'website', piece: 'cms-1020', touchpoint: 'bestelformulier', impressions: 380, clicks: 30, conversions: 3, mobile: 0.9 },
  // The same priority, the same segment: the service reminder engages, the newsletter less so.
  { ref: 'service-forenzen', segment: 'forenzen', phase: 'consument:always', channel: 'email', piece: 'cms-1030', touchpoint: 'onderhoud', impressions: 300, clicks: 54, conversions: 18, mobile: 0.7 },
  { ref: 'newsletter-forenzen', segment: 'forenzen', phase: 'consument:always', channel: 'email', piece: 'cms-1032', impressions: 320, clicks: 22, mobile: 0.7 },
  // Business: a little, below what any gap looks at.
  { ref: 'linkedin-mkb', segment: 'mkb', phase: 'zakelijk:awareness', channel: 'social', piece: 'cms-1046', touchpoint: 'linkedin', impressions: 150, clicks: 12, mobile: 0.2 },
  { ref: 'whitepaper-mkb', segment: 'mkb', phase: 'zakelijk:consideration', channel: 'website', piece: 'cms-1050', impressions: 120, clicks: 0, downloads: 21, mobile: 0.1 },
];

/**
 * Sessions that cross touchpoints: every session starts at the first step;
 * the first `sessions` of them reach each later step, clicking through the
 * step before, `seconds` (a range) after that click. The first `converting`
 * sessions that reach the last step convert there. Their events are part of
 * each step's traffic above, not added to it.
 */
export interface DemoPath {
  steps: { traffic: string; sessions: number; seconds?: [number, number] }[];
  converting: number;
}

export const DEMO_PATHS: DemoPath[] = [
  {
    steps: [
      { traffic: 'instagram-e-bike', sessions: 60 },
      { traffic: 'compare-e-bike', sessions: 60, seconds: [15, 90] },
      { traffic: 'order-e-bike', sessions: 25, seconds: [180, 900] },
    ],
    converting: 8,
  },
  {
    steps: [
      { traffic: 'instagram-forenzen', sessions: 15 },
      { traffic: 'compare-forenzen', sessions: 15, seconds: [20, 120] },
      { traffic: 'order-forenzen', sessions: 10, seconds: [240, 1200] },
    ],
    converting: 4,
  },
  {
    steps: [
      { traffic: 'compare-gezinnen', sessions: 20 },
      { traffic: 'order-gezinnen', sessions: 12, seconds: [300, 1500] },
    ],
    converting: 3,
  },
];

interface Counts {
  impressions: number;
  clicks: number;
  conversions: number;
  downloads: number;
}

/** The count each event type uses up. */
const COUNTED = { IMPRESSION: 'impressions', CLICK: 'clicks', CONVERSION: 'conversions', DOWNLOAD: 'downloads' } as const;

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const SEED = 20_261_206;

/**
 * Records the demo's interactions for the demo workspace just made, in
 * batches of the most one call may carry, oldest first (so each session's
 * steps are made in order). `touchpoints`: touchpoint ids by ref. Throws if
 * an event is refused: that is a mistake in the data above.
 */
export async function recordDemoInteractions(database: Database, touchpoints: Map<string, string>, now: Date, retentionDays: number): Promise<number> {
  const events = demoEvents(touchpoints, now, retentionDays);
  const catalogs = new Catalogs(database);
  const settings = { retentionDays, secrets: new InteractionSecrets(database.prisma) };
  let accepted = 0;
  for (let start = 0; start < events.length; start += MAX_EVENTS_PER_CALL) {
    const result = await recordInteractions(database, catalogs, settings, DEMO_WORKSPACE_ID, events.slice(start, start + MAX_EVENTS_PER_CALL), now);
    const refused = result.refused[0];
    if (refused) throw new Error(`A demo interaction was refused (${refused.code} on ${refused.field}): ${refused.message}`);
    accepted += result.accepted;
  }
  return accepted;
}

/** The demo's events, oldest first, as a website would send them. */
export function demoEvents(touchpoints: Map<string, string>, now: Date, retentionDays: number): EventInput[] {
  const random = mulberry32(SEED);
  const days = Math.min(DEMO_DAYS, retentionDays);
  // An hour's margin at both ends: inside the retention window, and nothing after now.
  const windowStart = now.getTime() - days * DAY_MS + HOUR_MS;
  const latest = now.getTime() - 2 * HOUR_MS;
  const between = (min: number, max: number) => min + random() * (max - min);
  const earliestOf = (traffic: DemoTraffic) => Math.max(windowStart, published(traffic.piece, now));
  const traffic = new Map(DEMO_TRAFFIC.map((t) => [t.ref, t]));
  const left = new Map<string, Counts>(DEMO_TRAFFIC.map((t) => [t.ref, { impressions: t.impressions, clicks: t.clicks, conversions: t.conversions ?? 0, downloads: t.downloads ?? 0 }]));
  const events: { at: number; event: Omit<EventInput, 'clientEventId'> }[] = [];
  let sessions = 0;

  const emit = (t: DemoTraffic, type: keyof typeof COUNTED, at: number, visit: { visitorId: string; sessionId: string; device: string }) => {
    const counts = left.get(t.ref) as Counts;
    const field = COUNTED[type];
    if (counts[field] <= 0) throw new Error(`The demo's paths use more ${field} of "${t.ref}" than it has`);
    counts[field] -= 1;
    const touchpointId = t.touchpoint ? encodeGlobalID('Touchpoint', touchpoints.get(t.touchpoint) ?? '') : undefined;
    const phase = t.phase.split(':')[1];
    events.push({ at: Math.round(at), event: { type, externalId: t.piece, segment: t.segment, phase, channel: t.channel, touchpointId, occurredAt: new Date(Math.round(at)).toISOString(), ...visit } });
  };
  const newVisit = (t: DemoTraffic) => {
    sessions += 1;
    return { visitorId: `demo-visitor-${sessions}`, sessionId: `demo-session-${sessions}`, device: random() < t.mobile ? 'mobile' : 'desktop' };
  };

  for (const path of DEMO_PATHS) {
    const steps = path.steps.map((step) => ({ ...step, traffic: traffic.get(step.traffic) as DemoTraffic }));
    const first = steps[0];
    if (!first) continue;
    for (let session = 0; session < first.sessions; session += 1) {
      const reached = steps.filter((step) => session < step.sessions);
      const visit = newVisit(first.traffic);
      let at = between(Math.max(...reached.map((step) => earliestOf(step.traffic))), latest - HOUR_MS);
      reached.forEach((step, i) => {
        emit(step.traffic, 'IMPRESSION', at, visit);
        const next = reached[i + 1];
        if (next) {
          at += between(3_000, 20_000);
          emit(step.traffic, 'CLICK', at, visit);
          const [min, max] = next.seconds ?? [30, 300];
          at += between(min, max) * 1000;
        } else if (i === steps.length - 1 && session < path.converting) {
          emit(step.traffic, 'CONVERSION', at + between(60_000, 600_000), visit);
        }
      });
    }
  }

  // What the paths left: visits of their own, one cell each.
  for (const t of DEMO_TRAFFIC) {
    const { impressions: visits, clicks, conversions, downloads } = { ...(left.get(t.ref) as Counts) };
    // Each visit clicks, converts or downloads at most once.
    if (Math.max(clicks, conversions, downloads) > visits) throw new Error(`The demo's "${t.ref}" has more clicks, conversions or downloads than the paths leave impressions`);
    for (let i = 0; i < visits; i += 1) {
      const visit = newVisit(t);
      const at = between(earliestOf(t), latest);
      emit(t, 'IMPRESSION', at, visit);
      if (i < clicks) emit(t, 'CLICK', at + between(5_000, 60_000), visit);
      if (i < conversions) emit(t, 'CONVERSION', at + between(60_000, 900_000), visit);
      if (i < downloads) emit(t, 'DOWNLOAD', at + between(10_000, 120_000), visit);
    }
  }
  events.sort((a, b) => a.at - b.at);
  return events.map(({ event }, i) => ({ clientEventId: `demo-${i + 1}`, ...event }));
}

/** When a piece went live, in epoch milliseconds (0 when it has no date). */
function published(externalId: string, now: Date): number {
  return dateOf(DEMO_PIECES.find((p) => p.externalId === externalId)?.publishAt, now)?.getTime() ?? 0;
}

/** A small, fast, seeded generator (mulberry32): the same numbers on every load. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

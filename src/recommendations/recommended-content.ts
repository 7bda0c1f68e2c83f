import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '../builder.js';
import { workspaceId, type Context } from '../context.js';
import { ContentPiece } from '../content/content-piece.js';
import { forbidden } from '../errors.js';
import type { ContentPiece as ContentPieceRow } from '../generated/sqlite/client.js';
import { winningRule } from '../gaps/expectation.js';
import { notACursor } from '../shared/cursor.js';
import { issueOffsetCursor, readOffsetCursor, type OffsetPosition } from '../shared/offset-paging.js';
import { checkSize, MAX_PAGE_SIZE } from '../shared/paging.js';
import { asksFor } from '../shared/selection.js';
import { cellKey, type Catalog } from '../workspaces/catalog.js';
import { resolveCell, type Cell } from './cell.js';
import { crosswalkPhases, rankCrosswalk, type CrosswalkPhase, type CrosswalkPiece, type CrosswalkRanking } from './crosswalk.js';
import { cellGap, cellRules, type CellGap } from './gap.js';
import { rankCell, type RankedPiece } from './ranking.js';
import { rankingOf } from '../scenarios/arguments.js';

/**
 * "Which content for this segment at this phase on this channel?" — the
 * query websites and CMS plug-ins call on every page view. It costs one SQL
 * statement: the keys resolve from the workspace's catalog in memory, and
 * the page, the counts and the gap's pipeline come back together.
 */

/** Cursors of this list are named so; another list's cursor is refused. */
const LIST = 'recommendedContent';

/** A client clock this far off still means "now". */
const NOW_TOLERANCE_SECONDS = 60;

const RecommendationReasonCode = builder.enumType('RecommendationReasonCode', {
  description: 'Why a piece is recommended, and why at its place.',
  values: {
    EXACT_SEGMENT: { description: 'It targets the asked segment itself.' },
    ANCESTOR_SEGMENT: { description: 'It targets a parent (or further ancestor) of the asked segment; nearer ancestors rank first.' },
    GENERIC: { description: 'It targets no segment: generic content for every segment of the journey.' },
    LOCALE_FALLBACK: { description: 'It is in another locale than asked, shown because nothing in the asked locale matches.' },
    CROSSWALK: {
      description:
        'It is tagged to a phase of another journey model with the same archetype and scope (see `crosswalk`), shown because nothing at all is live for the asked cell in the segment\'s own journey and the query asked for the crosswalk.',
    },
    ENGAGEMENT: {
      description:
        'It ranks above the next piece because it engages better in this cell (segment asked for, phase, channel): both are equally specific and have the same priority, and its smoothed engagement rate is higher.',
    },
  } as const,
});

type ReasonCode = 'EXACT_SEGMENT' | 'ANCESTOR_SEGMENT' | 'GENERIC' | 'LOCALE_FALLBACK' | 'CROSSWALK' | 'ENGAGEMENT';

/** What a client echoes into recordInteractions to say what happened to a recommended piece, and where. */
interface InteractionReport {
  pieceId: string;
  externalId: string | null;
  segmentKey: string;
  phaseKey: string;
  channelKey: string;
  touchpointId: string | null;
}

interface Recommendation {
  piece: ContentPieceRow;
  cursor: string;
  score: number;
  reasons: ReasonCode[];
  message: string;
  segmentKey: string | null;
  /** The phase of another journey model a crosswalk piece came through; null for the own journey's pieces. */
  crosswalk: CrosswalkPhase | null;
  report: InteractionReport;
}

const RecommendationCrosswalk = builder.objectRef<CrosswalkPhase>('RecommendationCrosswalk').implement({
  description: 'Where a crosswalk piece comes from: the phase of another journey model (same archetype and scope as the asked phase) it is tagged to.',
  fields: (t) => ({
    journey: t.exposeString('journeyKey', { description: 'The key of the other journey model.' }),
    phase: t.exposeString('key', { description: 'The key of its phase the piece is tagged to (the first in that journey\'s order, when several match).' }),
    phaseName: t.exposeString('name', { description: 'That phase\'s name.' }),
  }),
});

const RecommendationReason = builder.objectRef<Recommendation>('RecommendationReason').implement({
  description: 'Why a piece is recommended: codes for programs, a sentence for logs and people.',
  fields: (t) => ({
    code: t.field({
      type: RecommendationReasonCode,
      description: 'How specifically the piece targets the asked segment: EXACT_SEGMENT, ANCESTOR_SEGMENT or GENERIC; CROSSWALK for a piece of another journey model (asked for with `crosswalk: true`), whose specificity follows in `codes`.',
      resolve: (r) => r.reasons[0] ?? 'GENERIC',
    }),
    codes: t.field({
      type: [RecommendationReasonCode],
      description:
        'Every reason that applies: CROSSWALK first for a crosswalk piece, then the specificity; LOCALE_FALLBACK is added when the piece is a locale fallback, ENGAGEMENT when its engagement in this cell decided that it ranks above the next piece.',
      resolve: (r) => r.reasons,
    }),
    message: t.exposeString('message', { description: 'The reason as a sentence, naming the segment or locale involved.' }),
    segment: t.exposeString('segmentKey', {
      nullable: true,
      description: 'The key of the segment the piece targets that made it match (the asked one or an ancestor); null for generic pieces.',
    }),
    crosswalk: t.field({
      type: RecommendationCrosswalk,
      nullable: true,
      description: 'For a CROSSWALK piece, the journey model and phase it comes from; null for pieces of the segment\'s own journey.',
      resolve: (r) => r.crosswalk,
    }),
  }),
});

const RecommendationReport = builder.objectRef<InteractionReport>('RecommendationReport').implement({
  description:
    'What to send back with recordInteractions (or the /interactions beacon) when this piece is shown, clicked or converts: the piece and the cell it was recommended for. Interactions reported with it steer the ranking of this cell.',
  fields: (t) => ({
    pieceId: t.id({ description: 'The piece\'s global ID.', resolve: (r) => r.pieceId }),
    externalId: t.exposeString('externalId', { nullable: true, description: 'The piece\'s id in the CMS it comes from, when it has one (either identifies the piece).' }),
    segmentKey: t.exposeString('segmentKey', { description: 'The segment asked for (not the segment the piece targets): the cell\'s row.' }),
    phaseKey: t.exposeString('phaseKey', { description: 'The phase asked for.' }),
    channelKey: t.exposeString('channelKey', { description: 'The channel asked for.' }),
    touchpointId: t.id({
      nullable: true,
      description: 'The global ID of the touchpoint at this cell when exactly one sits there (for the asked segment or for every segment); null when none or several do: then name your own, or none.',
      resolve: (r) => r.touchpointId,
    }),
  }),
});

const RecommendationEdge = builder.objectRef<Recommendation>('RecommendationEdge').implement({
  description: 'One recommended piece, with its rank\'s score and reason.',
  fields: (t) => ({
    cursor: t.exposeString('cursor', { description: 'Opaque position of this item, for `after`.' }),
    node: t.field({ type: ContentPiece, description: 'The recommended piece (always live at the asked instant).', resolve: (r) => r.piece }),
    score: t.exposeFloat('score', {
      description:
        'Higher is better; equal inputs give equal scores. Specificity counts most (exact segment, then nearer ancestors, then generic), then priority, then engagement in this cell, then freshness.',
    }),
    reason: t.field({ type: RecommendationReason, description: 'Why it is recommended.', resolve: (r) => r }),
    report: t.field({
      type: RecommendationReport,
      description: 'What to echo into recordInteractions when the piece is shown, clicked or converts here.',
      resolve: (r) => r.report,
    }),
  }),
});

const GapTouchpoint = builder.objectRef<CellGap['touchpoints'][number]>('GapTouchpoint').implement({
  description: 'A touchpoint that expects content in an empty cell.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The touchpoint\'s name.' }),
    emotion: t.exposeInt('emotion', { description: 'The emotion at this moment, -2 very negative .. +2 very positive.' }),
    salesOpportunity: t.exposeBoolean('salesOpportunity', { description: 'Whether it is a moment to sell.' }),
  }),
});

const GapKindOfCell = builder.enumType('RecommendationGapKind', {
  description: 'What kind of gap an empty recommendation reveals.',
  values: {
    MISSING: { description: 'Expected, and nothing live or in the pipeline.' },
    PLANNED_ONLY: { description: 'Expected, nothing live, but something is in the pipeline (IDEA to SCHEDULED).' },
  } as const,
});

const RecommendationGap = builder.objectRef<CellGap & { message: string }>('RecommendationGap').implement({
  description: 'Content is expected for this segment, phase and channel, and nothing is live: alert the content team.',
  fields: (t) => ({
    kind: t.field({ type: GapKindOfCell, description: 'MISSING or PLANNED_ONLY.', resolve: (g) => g.kind }),
    severity: t.exposeFloat('severity', { description: 'How much it hurts, 0..100 (the same scale as contentGaps).' }),
    expectedMinimum: t.exposeInt('expectedMinimum', { description: 'How many live pieces the coverage rules or touchpoints expect here.' }),
    planned: t.exposeInt('planned', { description: 'How many pieces for this cell are in the pipeline (IDEA to SCHEDULED).' }),
    touchpoints: t.field({ type: [GapTouchpoint], description: 'The touchpoints at this cell that expect content.', resolve: (g) => g.touchpoints }),
    message: t.exposeString('message', { description: 'The gap as a sentence.' }),
  }),
});

interface RecommendationPage {
  edges: Recommendation[];
  total: number;
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  at: Date;
  gap: (CellGap & { message: string }) | null;
}

const RecommendationPageInfo = builder.objectRef<RecommendationPage>('RecommendationPageInfo').implement({
  description: 'Where this page sits in the ranking.',
  fields: (t) => ({
    hasNextPage: t.exposeBoolean('hasNextPage', { description: 'Whether more pieces follow.' }),
    hasPreviousPage: t.exposeBoolean('hasPreviousPage', { description: 'Whether pieces precede this page.' }),
    startCursor: t.string({ nullable: true, description: 'Cursor of the first piece of this page.', resolve: (p) => p.edges[0]?.cursor ?? null }),
    endCursor: t.string({ nullable: true, description: 'Cursor of the last piece; pass it as `after` for the next page.', resolve: (p) => p.edges.at(-1)?.cursor ?? null }),
  }),
});

const RecommendationConnection = builder.objectRef<RecommendationPage>('RecommendationConnection').implement({
  description: 'Live pieces for one segment, phase and channel, best first.',
  fields: (t) => ({
    edges: t.field({ type: [RecommendationEdge], description: 'The pieces of this page, best first.', resolve: (p) => p.edges }),
    pageInfo: t.field({ type: RecommendationPageInfo, description: 'Paging information.', resolve: (p) => p }),
    totalCount: t.exposeInt('total', { description: 'How many pieces match in all (after the locale rule), across pages.' }),
    at: t.expose('at', { type: 'DateTime', description: 'The instant the pieces are live at; later pages keep the first page\'s instant.' }),
    gap: t.field({
      type: RecommendationGap,
      nullable: true,
      description: 'Set when nothing is live here although coverage rules or touchpoints expect content; null otherwise (also when nobody expects content here).',
      resolve: (p) => p.gap,
    }),
  }),
});

builder.queryField('recommendedContent', (t) =>
  t.field({
    type: RecommendationConnection,
    description:
      'Which content for this segment at this phase on this channel: live pieces, best first, each with a score and a reason. Unknown keys are errors (BAD_USER_INPUT naming the argument), never an empty list; an empty list for valid keys carries `gap` when content is expected. DELIVERY.',
    authScopes: { delivery: true },
    args: {
      segment: t.arg.string({ required: true, description: 'The segment\'s key.' }),
      phase: t.arg.string({ required: true, description: 'The phase\'s key, within the journey the segment follows.' }),
      channel: t.arg.string({ required: true, description: 'The channel\'s key.' }),
      locale: t.arg({ type: 'Locale', description: 'Preferred locale: only pieces in it, unless none match; then the others, marked LOCALE_FALLBACK.' }),
      at: t.arg({
        type: 'DateTime',
        description: `The instant pieces must be live at; default now. A preview for EDITOR and ADMIN keys: DELIVERY keys always see content live now, and any other instant (more than ${NOW_TOLERANCE_SECONDS} s away) is refused as FORBIDDEN.`,
      }),
      first: t.arg.int({ defaultValue: 10, description: `Page size, 0..${MAX_PAGE_SIZE}.` }),
      after: t.arg.string({ description: 'Cursor of the last piece of the previous page.' }),
      crosswalk: t.arg.boolean({
        defaultValue: false,
        description:
          'True: when nothing at all is live for this cell in the segment\'s own journey (no segment tier, no locale), answer the live pieces tagged to the phases of the workspace\'s other journey models with the same archetype and scope, on this channel, that are generic or for this segment or an ancestor, ranked the same way and marked CROSSWALK. Default false.',
      }),
      scenario: t.arg.id({ description: 'A what-if scenario\'s global ID: the answer as if its changes were made. EDITOR and ADMIN; a DELIVERY key is refused (FORBIDDEN).' }),
    },
    resolve: async (_root, args, ctx, info) => {
      // First: a DELIVERY key naming a scenario is refused whatever else it asks.
      const rank = await rankingOf(ctx, args.scenario, rankCell);
      const first = args.first ?? 10;
      checkSize('first', first);
      const cursor = args.after ? readOffsetCursor(ctx, LIST, args.after, 'after') : null;
      if (cursor?.crosswalk && !args.crosswalk) throw notACursor(LIST, 'after', args.after as string);
      const at = instantOf(ctx, args.at, cursor);
      const offset = cursor ? cursor.offset + 1 : 0;
      const locale = args.locale ?? null;
      const ws = workspaceId(ctx);
      const catalog = await ctx.catalogs.get(ws);
      const cell = resolveCell(catalog, args);
      // Only a DELIVERY answer is kept, and only then does its lifetime matter.
      const timed = ctx.viewer?.role === 'DELIVERY';
      // The one statement: the page, the counts and the pipeline, together. On
      // a later crosswalk page it only tells whether the cell is still empty.
      const ranking = await rank(ctx.database, ws, cell, {
        at,
        locale: locale?.toLowerCase() ?? null,
        limit: cursor?.crosswalk ? 0 : first,
        offset: cursor?.crosswalk ? 0 : offset,
        count: !cursor?.crosswalk && asksFor(info, 'totalCount'),
        timed,
      });
      // At most one more statement: only when asked, and only when nothing of the own journey is live.
      const phases = args.crosswalk && ranking.empty ? crosswalkPhases(catalog, cell) : [];
      const fallback = phases.length
        ? await rankCrosswalk(ctx.database, ws, cell, phases, { at, locale: locale?.toLowerCase() ?? null, limit: first, offset: cursor?.crosswalk ? offset : 0, timed })
        : null;
      const gap = ranking.empty && !closesGap(fallback, catalog, cell) ? cellGap(catalog, cell, ranking.planned) : null;
      // The answer changes by the clock when a piece of the cell (or of its crosswalk) goes live or expires.
      ctx.freshness.limit(ranking.nextChange);
      ctx.freshness.limit(fallback?.nextChange ?? null);
      const touchpointId = onlyTouchpoint(catalog, cell);
      const crosswalkFrom = cursor?.crosswalk ? offset : 0;
      const edges = fallback
        ? fallback.page.map((ranked, index) =>
            recommendation(ranked, cell, {
              cursor: issueOffsetCursor(ctx, LIST, { offset: crosswalkFrom + index, crosswalk: true, ...previewed(ctx, at) }),
              fallbackFrom: fallback.localeFallback ? locale : null,
              // The crosswalk is ranked without the cell's engagement: it never decides there.
              next: null,
              touchpointId,
            }),
          )
        : cursor?.crosswalk
          ? [] // the crosswalk list this cursor points into has ended: the own journey has content again
          : ranking.page.map((ranked, index) =>
              recommendation(ranked, cell, {
                cursor: issueOffsetCursor(ctx, LIST, { offset: offset + index, ...previewed(ctx, at) }),
                fallbackFrom: ranking.localeFallback ? locale : null,
                next: ranking.page[index + 1] ?? ranking.next,
                touchpointId,
              }),
            );
      return {
        edges,
        total: fallback ? fallback.total : (ranking.total ?? 0),
        hasNextPage: fallback ? fallback.hasNextPage : !cursor?.crosswalk && ranking.hasNextPage,
        hasPreviousPage: offset > 0,
        at,
        gap: gap && { ...gap, message: gapMessage(gap, cell) },
      };
    },
  }),
);

/**
 * The instant to rank at. DELIVERY keys (public, embedded in websites)
 * always see what is live now: moving "now" would show embargoed and
 * pulled pieces. EDITOR and ADMIN may preview any instant, and their
 * cursors keep the first page's instant.
 */
function instantOf(ctx: Context, asked: Date | null | undefined, cursor: OffsetPosition | null): Date {
  const now = new Date();
  if (ctx.viewer?.role !== 'DELIVERY') return cursor?.at ?? asked ?? now;
  if (asked && Math.abs(asked.getTime() - now.getTime()) > NOW_TOLERANCE_SECONDS * 1000) {
    throw forbidden('A DELIVERY key sees content live now; `at` previews another instant and needs an EDITOR or ADMIN key.', 'at');
  }
  return now;
}

/** What a cursor keeps of the instant: nothing for DELIVERY, whose pages are always ranked now. */
function previewed(ctx: Context, at: Date): { at?: Date } {
  return ctx.viewer?.role === 'DELIVERY' ? {} : { at };
}

/**
 * Crosswalk content closes the cell's gap only where the winning coverage
 * rule counts it (countCrosswalk), as the matrix does; otherwise the gap is
 * still told, since the own journey still lacks the content.
 */
function closesGap(fallback: CrosswalkRanking | null, catalog: Catalog, cell: Cell): boolean {
  return fallback !== null && fallback.total > 0 && winningRule(cellRules(catalog, cell))?.countCrosswalk === true;
}

function recommendation(ranked: RankedPiece | CrosswalkPiece, cell: Cell, page: { cursor: string; fallbackFrom: string | null; next: RankedPiece | null; touchpointId: string | null }): Recommendation {
  const target = ranked.depth === null ? null : cell.chain.find((s) => s.depth === ranked.depth) ?? null;
  const crosswalk = 'via' in ranked ? ranked.via : null;
  const reasons: ReasonCode[] = [ranked.depth === null ? 'GENERIC' : ranked.depth === 0 ? 'EXACT_SEGMENT' : 'ANCESTOR_SEGMENT'];
  if (crosswalk) reasons.unshift('CROSSWALK');
  if (page.fallbackFrom) reasons.push('LOCALE_FALLBACK');
  const engaged = engagementDecides(ranked, page.next);
  if (engaged) reasons.push('ENGAGEMENT');
  const message = reasonMessage(ranked, target, cell, page.fallbackFrom);
  return {
    piece: ranked.piece,
    cursor: page.cursor,
    score: score(ranked),
    reasons,
    segmentKey: target?.key ?? null,
    crosswalk,
    message: crosswalk
      ? `From phase "${crosswalk.name}" of journey "${crosswalk.journeyKey}" (same archetype ${cell.phase.archetype} and scope ${cell.phase.scope}): nothing in journey "${cell.journey.key}" fits. ${message}`
      : engaged && page.next
        ? `${message} It engages better here than the next piece (${percent(ranked.engagement)} against ${percent(page.next.engagement)}).`
        : message,
    report: {
      pieceId: encodeGlobalID('ContentPiece', ranked.piece.id),
      externalId: ranked.piece.externalId,
      segmentKey: cell.chain[0]?.key ?? '',
      phaseKey: cell.phase.key,
      channelKey: cell.channel.key,
      touchpointId: page.touchpointId,
    },
  };
}

/** Engagement decided the order against the next piece: equally specific, the same priority, and it engages better. */
function engagementDecides(ranked: RankedPiece, next: RankedPiece | null): boolean {
  return next !== null && next.depth === ranked.depth && next.piece.priority === ranked.piece.priority && ranked.engagement > next.engagement;
}

function percent(rate: number): string {
  return `${(rate * 100).toFixed(1)}%`;
}

/** The touchpoint at the cell (for the asked segment or every segment) when there is exactly one. */
function onlyTouchpoint(catalog: Catalog, cell: Cell): string | null {
  const segment = cell.chain[0]?.id;
  const here = (catalog.touchpoints.get(cellKey(cell.phase.id, cell.channel.id)) ?? []).filter((t) => t.segmentId === null || t.segmentId === segment);
  return here.length === 1 && here[0] ? encodeGlobalID('Touchpoint', here[0].id) : null;
}

/**
 * Specificity in the thousands, priority in the units, then in the fraction
 * engagement (up to 0.9, rising with the smoothed rate) ahead of freshness
 * (under 0.001), so the score falls along the ranking.
 */
function score({ depth, piece, engagement }: RankedPiece): number {
  const specificity = depth === null ? 0 : Math.max(1, 100 - depth);
  const engaged = 0.9 * (engagement / (1 + engagement));
  const fresh = Math.min((piece.publishAt ?? piece.updatedAt).getTime() / 1e13, 0.999) / 1000;
  return specificity * 1000 + piece.priority + engaged + fresh;
}

function reasonMessage(ranked: RankedPiece, target: Cell['chain'][number] | null, cell: Cell, fallbackFrom: string | null): string {
  const asked = cell.chain[0];
  const base =
    ranked.depth === null
      ? 'Generic content for all segments.'
      : ranked.depth === 0
        ? `Exact match for segment "${asked?.name}".`
        : `Content for ${ranked.depth === 1 ? 'parent' : 'ancestor'} segment "${target?.name}" of "${asked?.name}".`;
  return fallbackFrom ? `${base} In ${ranked.piece.locale}: nothing matches ${fallbackFrom}.` : base;
}

function gapMessage(gap: CellGap, cell: Cell): string {
  const where = `segment "${cell.chain[0]?.key}", phase "${cell.phase.key}", channel "${cell.channel.key}"`;
  const what = gap.kind === 'PLANNED_ONLY' ? `nothing is live yet; ${gap.planned} piece(s) in the pipeline` : 'nothing is live or planned';
  const moments = gap.touchpoints.length ? ` Touchpoints: ${gap.touchpoints.map((t) => t.name).join(', ')}.` : '';
  return `Expected ${gap.expectedMinimum} live piece(s) for ${where}: ${what}.${moments}`;
}

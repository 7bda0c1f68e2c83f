import { builder } from '../builder.js';
import { workspaceId } from '../context.js';
import { ContentFormat } from '../content/enums.js';
import { rankGaps, type ContentGap as ContentGapShape } from '../gaps/ranking.js';
import type { GapKind as GapKindValue } from '../gaps/severity.js';
import { Scope } from '../journeys/enums.js';
import { issueOffsetCursor, readOffsetCursor } from '../shared/offset-paging.js';
import { checkSize, MAX_PAGE_SIZE } from '../shared/paging.js';
import { Touchpoint } from '../touchpoints/touchpoint.js';
import { contentMatrix } from './analysis.js';
import { MatrixCell, MatrixChannel, MatrixPhase, MatrixSegment } from './types.js';
import { overlayOf } from '../scenarios/arguments.js';

/**
 * contentGaps: the matrix's cells that need work as a ranked list, most
 * severe first, each explained and with formats to make. The matrix is
 * bounded (segments × phases × channels), so the ranking is computed whole
 * and paged in memory; cursors keep the first page's instant.
 */
const GapKind = builder.enumType('GapKind', {
  description: 'What is wrong with a cell of the content matrix: its coverage (an expected cell; these kinds in order of severity), or how its live content performs (UNDERPERFORMING).',
  values: {
    MISSING: { description: 'Nothing live and nothing in the pipeline.' },
    STALE: { description: 'Live content exists, but every live piece is past its review date or older than the freshness window.' },
    THIN: { description: 'Fewer live pieces than the expected minimum.' },
    EXPIRING: { description: 'Covered today, but the live content expires within the look-ahead window and nothing replaces it.' },
    PLANNED_ONLY: { description: 'Nothing live, but something is in the pipeline (IDEA to SCHEDULED).' },
    UNDERPERFORMING: {
      description:
        'Content is live, but the cell converts (or, where no cell of its phase records conversions, is clicked) at less than half its phase\'s median across cells, with at least 200 impressions to judge by. Not a coverage status: the cell keeps its status and may also have one of the kinds above.',
    },
  } as const,
});

interface GapEdge {
  gap: ContentGapShape;
  cursor: string;
}

export const ContentGap = builder.objectRef<ContentGapShape>('ContentGap').implement({
  description: 'A cell of the content matrix that needs work: what is wrong, how much it hurts, why, and what to make.',
  fields: (t) => ({
    kind: t.field({ type: GapKind, description: 'What is wrong.', resolve: (g) => g.kind }),
    severity: t.exposeFloat('severity', {
      description:
        'How much it hurts, 0..100 (the same scale as recommendedContent\'s gap): the kind sets the base (MISSING > STALE > THIN > EXPIRING > PLANNED_ONLY; UNDERPERFORMING between THIN and STALE, higher the further below its phase\'s median); sales opportunities and negative emotions at its touchpoints raise it; earlier scopes (BECOME, then BE) weigh more.',
    }),
    message: t.exposeString('message', { description: 'The gap as a sentence: what is wrong, where (segment, phase, scope, channel), and which touchpoints or coverage rule expect content.' }),
    suggestedFormats: t.field({
      type: [ContentFormat],
      description: 'Formats to make, from the phase\'s archetype and the segment\'s market, most fitting first.',
      resolve: (g) => g.suggestedFormats,
    }),
    segment: t.field({ type: MatrixSegment, description: 'The segment of the cell.', resolve: (g) => g.cell.segment }),
    phase: t.field({ type: MatrixPhase, description: 'The phase of the cell.', resolve: (g) => g.cell.phase }),
    channel: t.field({ type: MatrixChannel, description: 'The channel of the cell.', resolve: (g) => g.cell.channel }),
    touchpoints: t.field({ type: [Touchpoint], description: 'The touchpoints that expect content in the cell.', resolve: (g) => g.cell.touchpoints }),
    cell: t.field({ type: MatrixCell, description: 'The cell itself, with its counts and expectation.', resolve: (g) => g.cell }),
  }),
});

const ContentGapEdge = builder.objectRef<GapEdge>('ContentGapEdge').implement({
  description: 'One gap, with its place in the ranking.',
  fields: (t) => ({
    cursor: t.exposeString('cursor', { description: 'Opaque position of this gap, for `after`.' }),
    node: t.field({ type: ContentGap, description: 'The gap.', resolve: (e) => e.gap }),
  }),
});

interface GapPage {
  edges: GapEdge[];
  total: number;
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  at: Date;
}

const ContentGapConnection = builder.objectRef<GapPage>('ContentGapConnection').implement({
  description: 'The cells that need work, most severe first.',
  fields: (t) => ({
    edges: t.field({ type: [ContentGapEdge], description: 'The gaps of this page, most severe first.', resolve: (p) => p.edges }),
    pageInfo: t.field({
      type: builder.pageInfoRef(),
      description: 'Paging information.',
      resolve: (p) => ({
        hasNextPage: p.hasNextPage,
        hasPreviousPage: p.hasPreviousPage,
        startCursor: p.edges[0]?.cursor ?? null,
        endCursor: p.edges.at(-1)?.cursor ?? null,
      }),
    }),
    totalCount: t.exposeInt('total', { description: 'How many gaps match, across pages.' }),
    at: t.expose('at', { type: 'DateTime', description: 'The instant analysed; later pages keep the first page\'s instant.' }),
  }),
});

builder.queryField('contentGaps', (t) =>
  t.field({
    type: ContentGapConnection,
    description:
      'The content matrix\'s cells that need work (MISSING, STALE, THIN, EXPIRING, PLANNED_ONLY, and UNDERPERFORMING from recorded interactions), most severe first, each with a sentence saying why and formats to make. A cell with a coverage gap that also underperforms is listed once per kind. Unknown keys are BAD_USER_INPUT naming the argument. EDITOR.',
    authScopes: { editor: true },
    args: {
      journey: t.arg.string({ required: true, description: 'The journey model\'s key.' }),
      segments: t.arg.stringList({ description: 'Keys of the segments to analyse (they must follow the journey); default every segment following it.' }),
      includeSubSegments: t.arg.boolean({ defaultValue: true, description: 'With `segments`: also analyse their sub-segments. Default true.' }),
      scope: t.arg({ type: Scope, description: 'Only the phases of this scope.' }),
      channels: t.arg.stringList({ description: 'Keys of the channels to analyse; default every channel.' }),
      kinds: t.arg({ type: [GapKind], description: 'Only gaps of these kinds; default all.' }),
      at: t.arg({ type: 'DateTime', description: 'The instant to analyse; default now (ignored with `after`: pages keep the first page\'s instant).' }),
      first: t.arg.int({ defaultValue: 20, description: `Page size, 0..${MAX_PAGE_SIZE}.` }),
      after: t.arg.string({ description: 'Cursor of the last gap of the previous page.' }),
      scenario: t.arg.id({ description: 'A what-if scenario\'s global ID: the gaps as if its changes were made (pass it with every page).' }),
    },
    resolve: async (_root, args, ctx) => {
      const first = args.first ?? 20;
      checkSize('first', first);
      const cursor = args.after ? readOffsetCursor(ctx, 'contentGaps', args.after, 'after') : null;
      const at = cursor?.at ?? args.at ?? new Date();
      const offset = cursor ? cursor.offset + 1 : 0;
      const kinds = args.kinds as GapKindValue[] | null | undefined;
      // Interactions are read in the frame's statement: a gap's cell carries its engagement whatever the kinds.
      const matrix = await contentMatrix(ctx.database, workspaceId(ctx), { ...args, at }, { interactions: true, overlay: await overlayOf(ctx, args.scenario) });
      const gaps = rankGaps(matrix, kinds, { performance: true });
      const page = gaps.slice(offset, offset + first);
      return {
        edges: page.map((gap, i) => ({ gap, cursor: issueOffsetCursor(ctx, 'contentGaps', { offset: offset + i, at }) })),
        total: gaps.length,
        hasNextPage: offset + first < gaps.length,
        hasPreviousPage: offset > 0,
        at,
      };
    },
  }),
);

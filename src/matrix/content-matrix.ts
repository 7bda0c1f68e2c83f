import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '../builder.js';
import { workspaceId } from '../context.js';
import { Scope } from '../journeys/enums.js';
import { asksForPath } from '../shared/selection.js';
import { contentMatrix, type Coverage, type Matrix } from './analysis.js';
import './content-gaps.js';
import { MatrixCell, MatrixChannel, MatrixPhase, MatrixSegment } from './types.js';
import { overlayOf } from '../scenarios/arguments.js';

/**
 * contentMatrix: the heat map a strategist opens first. Rows are segments,
 * columns phases, and each cell holds one entry per channel; the answer
 * carries its own summaries so a front end draws without summing. Four SQL
 * statements whatever the size (src/matrix/frame.ts and counts.ts). EDITOR.
 */
export const CoverageSummary = builder.objectRef<Coverage>('CoverageSummary').implement({
  description: 'Coverage of a group of cells: covered expected cells / expected cells. Covered means COVERED or EXPIRING (covered today).',
  fields: (t) => ({
    key: t.exposeString('key', { description: 'What the group is: the journey key (overall), a segment key, a phase key, a scope (BECOME, BE, STAY) or a channel key.' }),
    expectedCells: t.exposeInt('expectedCells', { description: 'Cells in the group whose status is not NOT_EXPECTED.' }),
    coveredCells: t.exposeInt('coveredCells', { description: 'Expected cells that are COVERED or EXPIRING.' }),
    ratio: t.float({
      nullable: true,
      description: 'coveredCells / expectedCells, 0..1; null when no cell of the group is expected.',
      resolve: (c) => (c.expectedCells === 0 ? null : c.coveredCells / c.expectedCells),
    }),
  }),
});

const MatrixSummary = builder.objectRef<Matrix['summary']>('MatrixSummary').implement({
  description: 'Coverage ratios of the matrix, so a heat map needs no summing.',
  fields: (t) => ({
    overall: t.field({ type: CoverageSummary, description: 'Over every cell of the matrix.', resolve: (s) => s.overall }),
    perSegment: t.field({ type: [CoverageSummary], description: 'One per row, in row order.', resolve: (s) => s.perSegment }),
    perPhase: t.field({ type: [CoverageSummary], description: 'One per phase, in column order.', resolve: (s) => s.perPhase }),
    perScope: t.field({ type: [CoverageSummary], description: 'One per scope that has a phase in the matrix, in journey order.', resolve: (s) => s.perScope }),
    perChannel: t.field({ type: [CoverageSummary], description: 'One per channel, in channel order.', resolve: (s) => s.perChannel }),
  }),
});

const MatrixJourney = builder.objectRef<Matrix['journey']>('MatrixJourney').implement({
  description: 'The journey model a matrix is drawn for.',
  fields: (t) => ({
    id: t.id({ description: 'The journey model\'s global ID, for node(id:).', resolve: (j) => encodeGlobalID('JourneyModel', j.id) }),
    key: t.exposeString('key', { description: 'The journey model\'s key.' }),
    name: t.exposeString('name', { description: 'The journey model\'s name.' }),
  }),
});

const ContentMatrix = builder.objectRef<Matrix>('ContentMatrix').implement({
  description: 'The content matrix of one journey: segments × phases × channels, each cell with counts, an expectation and a status, plus coverage summaries.',
  fields: (t) => ({
    journey: t.field({ type: MatrixJourney, description: 'The journey model.', resolve: (m) => m.journey }),
    at: t.expose('at', { type: 'DateTime', description: 'The instant the matrix describes.' }),
    freshnessDays: t.exposeInt('freshnessDays', { description: 'The workspace\'s freshness window used for STALE, in days.' }),
    expiryLookaheadDays: t.exposeInt('expiryLookaheadDays', { description: 'The workspace\'s expiry look-ahead used for EXPIRING, in days.' }),
    segments: t.field({ type: [MatrixSegment], description: 'The rows, in display order: each segment followed by its sub-segments.', resolve: (m) => m.segments }),
    phases: t.field({ type: [MatrixPhase], description: 'The columns: the journey\'s phases (of the asked scope) by position.', resolve: (m) => m.phases }),
    channels: t.field({ type: [MatrixChannel], description: 'The channels of each cell, in display order (as asked, else by key).', resolve: (m) => m.channels }),
    cells: t.field({
      type: [MatrixCell],
      description: 'Every (segment, phase, channel), segment-major: all of the first row\'s cells (phase by phase, channel by channel), then the next row\'s.',
      resolve: (m) => m.cells,
    }),
    summary: t.field({ type: MatrixSummary, description: 'Coverage ratios overall and per segment, phase, scope and channel.', resolve: (m) => m.summary }),
  }),
});

builder.queryField('contentMatrix', (t) =>
  t.field({
    type: ContentMatrix,
    description:
      'The content matrix of a journey model: which segments have what content at which phase on which channel, and where the holes are. Unknown keys are BAD_USER_INPUT naming the argument. EDITOR.',
    authScopes: { editor: true },
    args: {
      journey: t.arg.string({ required: true, description: 'The journey model\'s key.' }),
      segments: t.arg.stringList({ description: 'Keys of the segments to show (they must follow the journey); default every segment following it.' }),
      includeSubSegments: t.arg.boolean({ defaultValue: true, description: 'With `segments`: also show their sub-segments, each under its parent. Default true.' }),
      scope: t.arg({ type: Scope, description: 'Only the phases of this scope.' }),
      channels: t.arg.stringList({ description: 'Keys of the channels to show, in this order; default every channel, by key.' }),
      at: t.arg({ type: 'DateTime', description: 'The instant to describe; default now.' }),
      crosswalk: t.arg.boolean({
        defaultValue: false,
        description: 'True: fill each cell\'s crosswalkCount with the live content of the phase crosswalk (one more SQL statement for the whole matrix). Default false.',
      }),
      scenario: t.arg.id({ description: 'A what-if scenario\'s global ID: the matrix as if its changes were made.' }),
    },
    resolve: async (_root, args, ctx, info) =>
      contentMatrix(ctx.database, workspaceId(ctx), args, { interactions: asksForPath(info, ['cells', 'engagement']), overlay: await overlayOf(ctx, args.scenario) }),
  }),
);


import { builder } from '../builder.js';
import { workspaceId } from '../context.js';
import { rankGaps, type ContentGap as Gap } from '../gaps/ranking.js';
import { Scope } from '../journeys/enums.js';
import { cellCounts, matrixOf, type Coverage, type Matrix, type MatrixCell as Cell } from '../matrix/analysis.js';
import { ContentGap } from '../matrix/content-gaps.js';
import { CoverageSummary } from '../matrix/content-matrix.js';
import { loadFrame } from '../matrix/frame.js';
import { MatrixCell, MatrixCellStatus, MatrixChannel, MatrixPhase, MatrixSegment } from '../matrix/types.js';
import { scenarioOverlay } from './overlay.js';
import { Scenario } from './scenario.js';
import { loadWhatIf } from './what-if.js';

/**
 * scenarioImpact: one journey's matrix before and after a scenario, from
 * one reading of the counts (the frame and cells are read once; the after
 * matrix is the overlay on the same counts). It answers the strategist's
 * question "how much better does coverage get?": the cells whose status
 * changes, the coverage ratios overall, per scope and per segment, and the
 * gaps that close and open. EDITOR.
 */
interface CellChange {
  before: Cell;
  after: Cell;
}

interface CoverageChange {
  before: Coverage;
  after: Coverage;
}

interface Impact {
  scenarioId: string;
  at: Date;
  changedCells: CellChange[];
  overall: CoverageChange;
  perScope: CoverageChange[];
  perSegment: CoverageChange[];
  closedGaps: Gap[];
  openedGaps: Gap[];
}

const ratio = (c: Coverage) => (c.expectedCells === 0 ? null : c.coveredCells / c.expectedCells);

const ScenarioCellChange = builder.objectRef<CellChange>('ScenarioCellChange').implement({
  description: 'A cell of the matrix whose status the scenario changes.',
  fields: (t) => ({
    segment: t.field({ type: MatrixSegment, description: 'The row.', resolve: (c) => c.after.segment }),
    phase: t.field({ type: MatrixPhase, description: 'The column.', resolve: (c) => c.after.phase }),
    channel: t.field({ type: MatrixChannel, description: 'The channel within the column.', resolve: (c) => c.after.channel }),
    statusBefore: t.field({ type: MatrixCellStatus, description: 'Its status today.', resolve: (c) => c.before.status }),
    statusAfter: t.field({ type: MatrixCellStatus, description: 'Its status with the scenario made.', resolve: (c) => c.after.status }),
    before: t.field({ type: MatrixCell, description: 'The cell today, with its counts.', resolve: (c) => c.before }),
    after: t.field({ type: MatrixCell, description: 'The cell with the scenario made.', resolve: (c) => c.after }),
  }),
});

const ScenarioCoverageChange = builder.objectRef<CoverageChange>('ScenarioCoverageChange').implement({
  description: 'How the coverage of a group of cells moves with a scenario.',
  fields: (t) => ({
    key: t.string({ description: 'The group: the journey key (overall), a scope or a segment key.', resolve: (c) => c.after.key }),
    before: t.field({ type: CoverageSummary, description: 'Its coverage today.', resolve: (c) => c.before }),
    after: t.field({ type: CoverageSummary, description: 'Its coverage with the scenario made.', resolve: (c) => c.after }),
    ratioChange: t.float({
      nullable: true,
      description: 'after.ratio − before.ratio (−1..1); null when either has no expected cell.',
      resolve: (c) => {
        const [before, after] = [ratio(c.before), ratio(c.after)];
        return before === null || after === null ? null : after - before;
      },
    }),
  }),
});

const ScenarioImpact = builder.objectRef<Impact>('ScenarioImpact').implement({
  description: 'What a what-if scenario would change in one journey\'s content matrix.',
  fields: (t) => ({
    scenario: t.prismaField({
      type: 'Scenario',
      description: 'The scenario.',
      resolve: (query, impact, _args, ctx) => ctx.prisma.scenario.findUniqueOrThrow({ ...query, where: { id: impact.scenarioId } }),
    }),
    at: t.expose('at', { type: 'DateTime', description: 'The instant compared.' }),
    changedCells: t.field({
      type: [ScenarioCellChange],
      description: 'The cells whose status changes, in matrix order (segment-major).',
      resolve: (i) => i.changedCells,
    }),
    overall: t.field({ type: ScenarioCoverageChange, description: 'Coverage over every cell of the matrix.', resolve: (i) => i.overall }),
    perScope: t.field({ type: [ScenarioCoverageChange], description: 'Coverage per scope, in journey order.', resolve: (i) => i.perScope }),
    perSegment: t.field({ type: [ScenarioCoverageChange], description: 'Coverage per segment, in row order.', resolve: (i) => i.perSegment }),
    closedGaps: t.field({
      type: [ContentGap],
      description: 'Gaps of today that the scenario closes (their cells need no work after it), as they are today, most severe first.',
      resolve: (i) => i.closedGaps,
    }),
    openedGaps: t.field({
      type: [ContentGap],
      description: 'Gaps the scenario opens (their cells need no work today), as they would be, most severe first.',
      resolve: (i) => i.openedGaps,
    }),
  }),
});

builder.queryField('scenarioImpact', (t) =>
  t.field({
    type: ScenarioImpact,
    description:
      'What a scenario would change in one journey\'s content matrix: cells whose status changes, coverage ratios before and after (overall, per scope, per segment), and the gaps it closes and opens. Filters as contentMatrix. Unknown keys or scenario are BAD_USER_INPUT naming the argument. EDITOR.',
    authScopes: { editor: true },
    args: {
      scenario: t.arg.id({ required: true, description: 'The scenario\'s global ID.' }),
      journey: t.arg.string({ required: true, description: 'The journey model\'s key.' }),
      segments: t.arg.stringList({ description: 'Keys of the segments to compare (they must follow the journey); default every segment following it.' }),
      includeSubSegments: t.arg.boolean({ defaultValue: true, description: 'With `segments`: also their sub-segments. Default true.' }),
      scope: t.arg({ type: Scope, description: 'Only the phases of this scope.' }),
      channels: t.arg.stringList({ description: 'Keys of the channels to compare; default every channel.' }),
      at: t.arg({ type: 'DateTime', description: 'The instant to compare at; default now.' }),
    },
    resolve: async (_root, args, ctx) => {
      const whatIf = await loadWhatIf(ctx, args.scenario);
      const frame = await loadFrame(ctx.database.reader, workspaceId(ctx), args);
      const counts = await cellCounts(ctx.database, frame);
      return impactOf(whatIf.scenarioId, matrixOf(frame, counts), matrixOf(frame, scenarioOverlay(whatIf)(frame, counts)));
    },
  }),
);

/** The difference of two matrices of one frame (their cells in the same order). */
export function impactOf(scenarioId: string, before: Matrix, after: Matrix): Impact {
  const pair = (b: Coverage[], a: Coverage[]) => a.map((after, i) => ({ before: b[i] as Coverage, after }));
  const cellKey = (g: Gap) => `${g.cell.segment.id}|${g.cell.phase.id}|${g.cell.channel.id}`;
  const [gapsBefore, gapsAfter] = [rankGaps(before), rankGaps(after)];
  const [keysBefore, keysAfter] = [new Set(gapsBefore.map(cellKey)), new Set(gapsAfter.map(cellKey))];
  return {
    scenarioId,
    at: after.at,
    changedCells: after.cells.map((cell, i) => ({ before: before.cells[i] as Cell, after: cell })).filter((c) => c.before.status !== c.after.status),
    overall: { before: before.summary.overall, after: after.summary.overall },
    perScope: pair(before.summary.perScope, after.summary.perScope),
    perSegment: pair(before.summary.perSegment, after.summary.perSegment),
    closedGaps: gapsBefore.filter((g) => !keysAfter.has(cellKey(g))),
    openedGaps: gapsAfter.filter((g) => !keysBefore.has(cellKey(g))),
  };
}


import type { CoverageRule, Touchpoint } from '../generated/sqlite/client.js';
import type { Scope } from '../generated/sqlite/enums.js';
import type { Database } from '../db/client.js';
import { Prisma } from '../generated/sqlite/client.js';
import { expectedMinimum, winningRule } from '../gaps/expectation.js';
import { applyCrosswalk } from './crosswalk.js';
import { CELLS_PER_STATEMENT, cellId, countCells, keepCells, ofCells, readCells, usable, type CellCounts } from './cells.js';
import { loadFrame, type CellInteractions, type FrameChannel, type FramePhase, type FrameSegment, type MatrixArgs, type MatrixFrame } from './frame.js';
import { cellStatus, isCovered, type CellStatus } from './status.js';

/**
 * The content matrix of one journey: the frame (three statements), the
 * aggregate (one statement), then per cell the expectation and the status.
 * Which content counts for a segment's cell: pieces targeted at that
 * segment itself and generic pieces (no segments). A piece for a parent
 * segment does not cover its sub-segments' cells: the matrix shows what was
 * made for each group, so a sub-group served only by its parent's content
 * shows as a gap. Likewise touchpoints and coverage rules that name a
 * segment apply to that segment only.
 */
type CountField = 'idea' | 'draft' | 'inReview' | 'scheduled' | 'published' | 'archived' | 'live' | 'liveFresh' | 'liveAtHorizon';

export interface StatusCounts {
  idea: number;
  draft: number;
  inReview: number;
  scheduled: number;
  published: number;
  archived: number;
}

export interface MatrixCell {
  segment: FrameSegment;
  phase: FramePhase;
  channel: FrameChannel;
  counts: StatusCounts;
  live: number;
  liveFresh: number;
  liveAtHorizon: number;
  planned: number;
  expectedMinimum: number;
  status: CellStatus;
  touchpoints: Touchpoint[];
  rule: CoverageRule | null;
  /** Live crosswalk pieces (matrix/crosswalk.ts), when the matrix asks for them; null otherwise. */
  crosswalk: number | null;
  /** The live crosswalk pieces the status counts (the winning rule's countCrosswalk, nothing of its own live); null when it counts none. */
  countedCrosswalk: number | null;
  /** Interactions recorded in the cell, every piece, all time (zeros when the matrix was made without them). */
  engagement: CellInteractions;
}

export interface Coverage {
  key: string;
  expectedCells: number;
  coveredCells: number;
}

export interface Matrix extends MatrixFrame {
  cells: MatrixCell[];
  /** The first instant after `at` at which some count may change by time alone (a publishAt, expiresAt, review or horizon passing). */
  changesAt: Date;
  summary: { overall: Coverage; perSegment: Coverage[]; perPhase: Coverage[]; perScope: Coverage[]; perChannel: Coverage[] };
}

/** Changes the counts a matrix is built from: a what-if scenario's overlay (src/scenarios). */
export type CountsOverlay = (frame: MatrixFrame, counts: CellCounts[]) => CellCounts[];

/**
 * `interactions`: also read what was recorded per cell (cells' engagement,
 * UNDERPERFORMING gaps); it adds no statement. `overlay`: a scenario's
 * changes to the counts.
 */
export async function contentMatrix(database: Database, workspaceId: string, args: MatrixArgs, options: { interactions?: boolean; overlay?: CountsOverlay | undefined } = {}): Promise<Matrix> {
  const { overlay } = options;
  const frame = await loadFrame(database.reader, workspaceId, args, options.interactions ?? false);
  const counts = await cellCounts(database, frame);
  const used = overlay ? overlay(frame, counts) : counts;
  const cells = buildCells(frame, used);
  const crosswalkChanges = await applyCrosswalk(database, frame, cells, args.crosswalk ?? false);
  return matrixOf(frame, used, cells, crosswalkChanges);
}

/**
 * The matrix of a frame from its cells' counts (and the cells built from
 * them, when something such as the crosswalk has filled them in further).
 */
export function matrixOf(frame: MatrixFrame, counts: CellCounts[], cells = buildCells(frame, counts), alsoChangesAt: Date | null = null): Matrix {
  const changesAt = new Date(counts.reduce((first, c) => Math.min(first, c.validUntil.getTime()), alsoChangesAt?.getTime() ?? NEVER));
  return { ...frame, cells, changesAt, summary: summarise(frame, cells) };
}

/**
 * The counts of the frame's cells: the kept rows (matrix/cells.ts) that
 * tell the frame's instant, and the others counted afresh in one more
 * statement. Counts made for an instant not in the future are kept for the
 * next matrix, after the answer.
 */
export async function cellCounts(database: Database, frame: MatrixFrame): Promise<CellCounts[]> {
  const phaseIds = frame.phases.map((p) => p.id);
  const channelIds = frame.channels.map((c) => c.id);
  const segmentIds = frame.segments.map((s) => s.id);
  const settings = { freshnessDays: frame.freshnessDays, lookaheadDays: frame.expiryLookaheadDays };
  const kept = await readCells(database.reader, frame.workspaceId, phaseIds, channelIds, segmentIds);
  const current = kept.rows.filter((row) => usable(row, frame.at, settings));
  const outdated = kept.rows.filter((row) => !usable(row, frame.at, settings));
  if (!outdated.length) return current;
  // Many cells to count: their whole index ranges in one sweep, rather than a list of cells.
  const where =
    outdated.length > kept.rows.length / 4 || outdated.length > CELLS_PER_STATEMENT
      ? Prisma.sql`t."phaseId" IN (${Prisma.join(phaseIds)}) AND t."channelId" IN (${Prisma.join(channelIds)}) AND t."segmentId" IN (${Prisma.join(['', ...segmentIds])})`
      : ofCells(outdated);
  const counted = await countCells((sql) => database.analyze(sql), where, frame.at, settings);
  const wanted = new Set(outdated.map(cellId));
  const recounted = counted.filter((row) => wanted.has(cellId(row)));
  if (frame.at.getTime() <= Date.now()) {
    keepCells(database, frame.workspaceId, kept.version, recounted).catch((error: unknown) => console.error('Keeping matrix counts failed:', error));
  }
  return [...current, ...recounted];
}

/** Far beyond any date the API accepts: a matrix with no counts never changes by time. */
const NEVER = Date.parse('9999-01-01T00:00:00.000Z');

function buildCells(frame: MatrixFrame, counts: CellCounts[]): MatrixCell[] {
  const groups = new Map(counts.map((c) => [`${c.segmentId}|${c.phaseId}|${c.channelId}`, c]));
  const touchpointsAt = new Map<string, Touchpoint[]>();
  for (const t of frame.touchpoints) touchpointsAt.set(`${t.phaseId}|${t.channelId}`, [...(touchpointsAt.get(`${t.phaseId}|${t.channelId}`) ?? []), t]);
  const cells: MatrixCell[] = [];
  for (const segment of frame.segments) {
    const segmentRules = frame.rules.filter((r) => r.segmentId === null || r.segmentId === segment.id);
    for (const phase of frame.phases) {
      const phaseRules = segmentRules.filter((r) => r.phaseId === null || r.phaseId === phase.id);
      for (const channel of frame.channels) {
        const rules = phaseRules.filter((r) => r.channelId === null || r.channelId === channel.id);
        const touchpoints = (touchpointsAt.get(`${phase.id}|${channel.id}`) ?? []).filter((t) => t.segmentId === null || t.segmentId === segment.id);
        const own = groups.get(`${segment.id}|${phase.id}|${channel.id}`);
        const generic = groups.get(`|${phase.id}|${channel.id}`);
        const sum = (field: CountField) => (own?.[field] ?? 0) + (generic?.[field] ?? 0);
        const statusCounts: StatusCounts = {
          idea: sum('idea'), draft: sum('draft'), inReview: sum('inReview'), scheduled: sum('scheduled'), published: sum('published'), archived: sum('archived'),
        };
        const facts = {
          expectedMinimum: expectedMinimum(rules, touchpoints.length),
          live: sum('live'),
          liveFresh: sum('liveFresh'),
          liveAtHorizon: sum('liveAtHorizon'),
          planned: statusCounts.idea + statusCounts.draft + statusCounts.inReview + statusCounts.scheduled,
        };
        const engagement = frame.interactions?.get(`${segment.id}|${phase.id}|${channel.id}`) ?? { impressions: 0, clicks: 0, conversions: 0 };
        cells.push({ segment, phase, channel, counts: statusCounts, ...facts, status: cellStatus(facts), touchpoints, rule: winningRule(rules) ?? null, crosswalk: null, countedCrosswalk: null, engagement });
      }
    }
  }
  return cells;
}

function summarise(frame: MatrixFrame, cells: MatrixCell[]): Matrix['summary'] {
  const tally = (key: string, of: MatrixCell[]): Coverage => {
    const expected = of.filter((c) => c.status !== 'NOT_EXPECTED');
    return { key, expectedCells: expected.length, coveredCells: expected.filter((c) => isCovered(c.status)).length };
  };
  const scopes = [...new Set(frame.phases.map((p) => p.scope))] as Scope[];
  return {
    overall: tally(frame.journey.key, cells),
    perSegment: frame.segments.map((s) => tally(s.key, cells.filter((c) => c.segment === s))),
    perPhase: frame.phases.map((p) => tally(p.key, cells.filter((c) => c.phase === p))),
    perScope: scopes.map((scope) => tally(scope, cells.filter((c) => c.phase.scope === scope))),
    perChannel: frame.channels.map((ch) => tally(ch.key, cells.filter((c) => c.channel === ch))),
  };
}

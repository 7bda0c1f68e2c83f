import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '../builder.js';
import { ChannelKind } from '../channels/channel.js';
import { CoverageRule } from '../coverage/coverage-rule.js';
import { Archetype, Scope } from '../journeys/enums.js';
import { Market } from '../segments/segment.js';
import { Touchpoint } from '../touchpoints/touchpoint.js';
import type { MatrixCell as MatrixCellShape } from './analysis.js';
import type { FrameChannel, FramePhase, FrameSegment } from './frame.js';

/** The GraphQL types the matrix and the gap list share: rows, columns, channels and cells. */
export const MatrixCellStatus = builder.enumType('MatrixCellStatus', {
  description: 'How well a cell of the content matrix is covered at the asked instant.',
  values: {
    NOT_EXPECTED: { description: 'Nobody asked for content here: no touchpoint and no coverage rule covers the cell (or the winning rule says notExpected).' },
    COVERED: { description: 'At least the expected minimum is live, some of it fresh, and enough of it stays live through the look-ahead window.' },
    THIN: { description: 'Some, but fewer live pieces than the expected minimum.' },
    MISSING: { description: 'Expected, and nothing is live or in the pipeline.' },
    PLANNED_ONLY: { description: 'Expected, nothing live, but something is in the pipeline (IDEA, DRAFT, IN_REVIEW or SCHEDULED).' },
    STALE: { description: 'Expected, live content exists, but every live piece is past its reviewAt (or, without reviewAt, last updated longer ago than the workspace\'s freshness window).' },
    EXPIRING: {
      description: 'Covered today, but at the end of the workspace\'s expiry look-ahead fewer than the expected minimum will be live: the live pieces expire and nothing (scheduled or published) replaces them.',
    },
  } as const,
});

export const MatrixSegment = builder.objectRef<FrameSegment>('MatrixSegment').implement({
  description: 'A row of the matrix: a segment following the journey.',
  fields: (t) => ({
    id: t.id({ description: 'The segment\'s global ID, for node(id:).', resolve: (s) => encodeGlobalID('Segment', s.id) }),
    key: t.exposeString('key', { description: 'The segment\'s key.' }),
    name: t.exposeString('name', { description: 'The segment\'s name.' }),
    market: t.field({ type: Market, description: 'B2B or B2C; it shapes the suggested formats.', resolve: (s) => s.market }),
    parentKey: t.exposeString('parentKey', { nullable: true, description: 'The key of its parent segment; null for a top-level segment.' }),
    depth: t.exposeInt('depth', { description: 'How deep it sits in the segment tree: 0 for a top-level segment, 1 for its sub-segments, and so on.' }),
  }),
});

export const MatrixPhase = builder.objectRef<FramePhase>('MatrixPhase').implement({
  description: 'A column of the matrix: a phase of the journey.',
  fields: (t) => ({
    id: t.id({ description: 'The phase\'s global ID, for node(id:).', resolve: (p) => encodeGlobalID('Phase', p.id) }),
    key: t.exposeString('key', { description: 'The phase\'s key within its journey.' }),
    name: t.exposeString('name', { description: 'The phase\'s name.' }),
    position: t.exposeInt('position', { description: 'Its place in the journey; columns are in this order.' }),
    archetype: t.field({ type: Archetype, description: 'What kind of step it is; it shapes the suggested formats.', resolve: (p) => p.archetype }),
    scope: t.field({ type: Scope, description: 'Become, be or stay a customer.', resolve: (p) => p.scope }),
  }),
});

export const MatrixChannel = builder.objectRef<FrameChannel>('MatrixChannel').implement({
  description: 'A channel of the matrix; every cell has one entry per channel.',
  fields: (t) => ({
    id: t.id({ description: 'The channel\'s global ID, for node(id:).', resolve: (c) => encodeGlobalID('Channel', c.id) }),
    key: t.exposeString('key', { description: 'The channel\'s key.' }),
    name: t.exposeString('name', { description: 'The channel\'s name.' }),
    kind: t.field({ type: ChannelKind, description: 'What kind of channel it is.', resolve: (c) => c.kind }),
  }),
});

const ContentStatusCounts = builder.objectRef<MatrixCellShape['counts']>('ContentStatusCounts').implement({
  description: 'How many pieces count for a cell, per content status (targeted at the segment itself or generic).',
  fields: (t) => ({
    idea: t.exposeInt('idea', { description: 'Pieces in status IDEA.' }),
    draft: t.exposeInt('draft', { description: 'Pieces in status DRAFT.' }),
    inReview: t.exposeInt('inReview', { description: 'Pieces in status IN_REVIEW.' }),
    scheduled: t.exposeInt('scheduled', { description: 'Pieces in status SCHEDULED.' }),
    published: t.exposeInt('published', { description: 'Pieces in status PUBLISHED (live or not: see liveCount).' }),
    archived: t.exposeInt('archived', { description: 'Pieces in status ARCHIVED.' }),
  }),
});

const CellEngagement = builder.objectRef<MatrixCellShape['engagement']>('CellEngagement').implement({
  description:
    'What visitors did with the content served in a cell (the segment asked for, phase and channel), as recorded through recordInteractions: every piece, all time, from the interaction roll-ups.',
  fields: (t) => ({
    impressions: t.exposeInt('impressions', { description: 'Times a piece was shown here.' }),
    clicks: t.exposeInt('clicks', { description: 'Clicks on pieces shown here.' }),
    conversions: t.exposeInt('conversions', { description: 'Conversions attributed to pieces shown here.' }),
    clickThroughRate: t.float({
      nullable: true,
      description: 'clicks / impressions; null without impressions.',
      resolve: (e) => (e.impressions > 0 ? e.clicks / e.impressions : null),
    }),
    conversionRate: t.float({
      nullable: true,
      description: 'conversions / impressions; null without impressions.',
      resolve: (e) => (e.impressions > 0 ? e.conversions / e.impressions : null),
    }),
  }),
});

export const MatrixCell = builder.objectRef<MatrixCellShape>('MatrixCell').implement({
  description:
    'One (segment, phase, channel) of the matrix. The pieces that count for it are those targeted at the segment itself and generic pieces (no segments); pieces for a parent segment do not count for its sub-segments (recommendedContent does serve them, as a fallback). Touchpoints and coverage rules that name a segment apply to that segment only.',
  fields: (t) => ({
    segment: t.field({ type: MatrixSegment, description: 'The row.', resolve: (c) => c.segment }),
    phase: t.field({ type: MatrixPhase, description: 'The column.', resolve: (c) => c.phase }),
    channel: t.field({ type: MatrixChannel, description: 'The channel within the column.', resolve: (c) => c.channel }),
    status: t.field({ type: MatrixCellStatus, description: 'How well it is covered; see MatrixCellStatus.', resolve: (c) => c.status }),
    counts: t.field({ type: ContentStatusCounts, description: 'Pieces per content status.', resolve: (c) => c.counts }),
    liveCount: t.exposeInt('live', { description: 'Pieces live at the asked instant.' }),
    freshLiveCount: t.exposeInt('liveFresh', {
      description: 'Live pieces that are not stale: reviewAt after the instant, or without reviewAt last updated within the freshness window.',
    }),
    liveAfterLookaheadCount: t.exposeInt('liveAtHorizon', {
      description: 'Pieces that will be live at the end of the expiry look-ahead window: live pieces that do not expire before then, and published or scheduled pieces that go live by then.',
    }),
    plannedCount: t.exposeInt('planned', { description: 'Pieces in the pipeline: IDEA, DRAFT, IN_REVIEW or SCHEDULED.' }),
    expectedMinimum: t.exposeInt('expectedMinimum', {
      description: 'The fewest live pieces expected: the winning coverage rule\'s minLive, else 1 when a touchpoint sits here; 0 when not expected.',
    }),
    touchpoints: t.field({
      type: [Touchpoint],
      description: 'The touchpoints at this phase and channel, for this segment or for every segment: the moments that make the cell expected.',
      resolve: (c) => c.touchpoints,
    }),
    coverageRule: t.field({
      type: CoverageRule,
      nullable: true,
      description: 'The coverage rule that decides the expectation (the most specific that matches); null when only touchpoints (or nothing) decide it.',
      resolve: (c) => c.rule,
    }),
    crosswalkCount: t.exposeInt('crosswalk', {
      nullable: true,
      description:
        'With contentMatrix(crosswalk: true): the live pieces of the phase crosswalk for this cell, i.e. tagged to phases of the workspace\'s other journey models with this phase\'s archetype and scope, on this channel, for this segment itself or generic. Null when not asked for.',
    }),
    crosswalkCounted: t.boolean({
      description:
        'True when the status counts crosswalk content: the winning coverage rule has countCrosswalk, nothing of the cell\'s own is live, and crosswalk content is. liveCount and the other counts stay the cell\'s own.',
      resolve: (c) => c.countedCrosswalk !== null,
    }),
    engagement: t.field({
      type: CellEngagement,
      description: 'What visitors did with the content served here (impressions, clicks, conversions and their rates); it does not change the cell\'s status.',
      resolve: (c) => c.engagement,
    }),
  }),
});

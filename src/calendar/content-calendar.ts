import { builder } from '../builder.js';
import { Channel } from '../channels/channel.js';
import { workspaceId, type Context } from '../context.js';
import { ContentPiece } from '../content/content-piece.js';
import { ContentFormat, ContentStatus } from '../content/enums.js';
import { Scope } from '../journeys/enums.js';
import { Phase } from '../journeys/model.js';
import { Segment } from '../segments/segment.js';
import { issueCursor, notACursor, readCursor } from '../shared/cursor.js';
import { totalCountField } from '../shared/keyset.js';
import { arrayConnection } from '../shared/offset-paging.js';
import { keysetPageInfo, pageRequest } from '../shared/paging.js';
import { PhaseRefInput } from '../shared/refs.js';
import { asksFor } from '../shared/selection.js';
import { MAX_RANGE_DAYS, openCalendar, type Calendar, type CalendarEntry } from './calendar.js';
import { analysisOf } from './sql.js';
import type { EntryCounts } from './counts.js';
import { EVENTS, type CalendarEventKind, type EntryPosition } from './entries.js';
import { messageOf, type Finding } from './findings.js';
import type { CalendarPiece } from './pieces.js';
import { localDate, localDateTime, type Period } from '../shared/time-zone.js';
import './tokens.js';

/**
 * contentCalendar: what goes out when. A year's overview (how many entries
 * each day, week or month holds, and the cadence findings) and a month's
 * page of entries are each a few statements, whatever the workspace holds.
 * EDITOR: a calendar is for the people who plan content; it shows drafts and
 * ideas, which a DELIVERY key (a public website) must never see.
 */
const CalendarGrouping = builder.enumType('CalendarGrouping', {
  description: 'How the calendar groups its entries, in its time zone.',
  values: {
    DAY: { description: 'Local days, midnight to midnight (23 or 25 hours across a daylight-saving change).' },
    WEEK: { description: 'ISO weeks, Monday 00:00 local time to the next Monday.' },
    MONTH: { description: 'Local calendar months.' },
  } as const,
});

const CalendarEvent = builder.enumType('CalendarEvent', {
  description: 'What happens to a piece at an entry\'s moment.',
  values: {
    PUBLISH: { description: 'It goes (or went) out: its publishAt.' },
    EXPIRE: { description: 'It stops being live: its expiresAt.' },
    REVIEW: { description: 'It is due to be checked for freshness: its reviewAt.' },
  } as const,
});

const CalendarFindingKind = builder.enumType('CalendarFindingKind', {
  description: 'A cadence warning of the calendar.',
  values: {
    OVERLOAD: { description: 'A segment gets more PUBLISH entries on a channel in one ISO week than the channel\'s maxPerWeek.' },
    SILENCE: { description: 'A segment gets nothing published in its journey\'s STAY phases for longer than the workspace\'s silence window (default 30 days).' },
    COLLISION: { description: 'Two or more pieces for the same segment and channel are published at the same instant.' },
  } as const,
});

const CalendarEntryRef = builder.objectRef<CalendarEntry>('CalendarEntry').implement({
  description: 'One dated event of a piece in the calendar. The targeting comes with the calendar at no extra cost.',
  fields: (t) => ({
    event: t.field({ type: CalendarEvent, description: 'What happens: publish, expire or review.', resolve: (e) => e.event }),
    at: t.field({ type: 'DateTime', description: 'The instant it happens.', resolve: (e) => e.at }),
    localDateTime: t.string({ description: 'The same moment in the calendar\'s time zone, e.g. 2026-03-29T09:00:00 (no offset).', resolve: (e) => localDateTime(e.at, e.timeZone) }),
    piece: t.field({ type: ContentPiece, description: 'The content piece.', resolve: (e) => e.piece }),
    phases: t.field({ type: [Phase], description: 'The phases the piece serves.', resolve: (e) => e.targeting.phasesOf(e.piece) }),
    channels: t.field({ type: [Channel], description: 'The channels the piece is for, by key.', resolve: (e) => e.targeting.channelsOf(e.piece) }),
    segments: t.field({ type: [Segment], description: 'The segments the piece targets, by key; empty when it is generic.', resolve: (e) => e.targeting.targetedSegmentsOf(e.piece) }),
    isGeneric: t.boolean({ description: 'True when the piece targets no segment: it is for every segment whose journey holds its phases.', resolve: (e) => e.piece.segmentIds.length === 0 }),
  }),
});

const CalendarCounts = builder.objectRef<EntryCounts>('CalendarCounts').implement({
  description: 'How many entries, in all and per event. Counted in the database: no entry is read to count them.',
  fields: (t) => ({
    total: t.exposeInt('total', { description: 'All entries: publish, expire and review.' }),
    publish: t.exposeInt('publish', { description: 'PUBLISH entries (publishAt).' }),
    expire: t.exposeInt('expire', { description: 'EXPIRE entries (expiresAt).' }),
    review: t.exposeInt('review', { description: 'REVIEW entries (reviewAt).' }),
  }),
});

/** A bucket is one of the calendar's periods; its counts come from the calendar's one count of all buckets. */
interface Bucket extends Period {
  index: number;
  calendar: Calendar;
}

const bucketCounts = async (b: Bucket) => (await b.calendar.counts())[b.index] as EntryCounts;

const CalendarBucketRef = builder.objectRef<Bucket>('CalendarBucket').implement({
  description: 'One day, ISO week or month of the calendar in its time zone, with how many entries it holds. Empty buckets are present, so a grid can be drawn directly.',
  fields: (t) => ({
    start: t.field({ type: 'DateTime', description: 'Its first instant (local midnight, Monday midnight or the 1st).', resolve: (b) => b.start }),
    end: t.field({ type: 'DateTime', description: 'The first instant after it.', resolve: (b) => b.end }),
    startDate: t.string({ description: 'Its first local date, YYYY-MM-DD.', resolve: (b) => b.startDate }),
    endDate: t.string({ description: 'The local date it ends before (exclusive), YYYY-MM-DD.', resolve: (b) => b.endDate }),
    label: t.string({ description: 'A short name: 2026-03-29 (day), 2026-W13 (ISO week) or 2026-03 (month).', resolve: (b) => b.label }),
    counts: t.field({ type: CalendarCounts, description: 'How many entries it holds (only those inside the range), in all and per event.', resolve: bucketCounts }),
    entryCount: t.int({
      description: 'How many entries it holds.',
      deprecationReason: 'Use counts.total.',
      resolve: async (b) => (await bucketCounts(b)).total,
    }),
    entries: t.field({
      type: [CalendarEntryRef],
      description: 'Its entries, by instant, then publish before expire before review. Reads every entry of the calendar\'s range.',
      deprecationReason: 'Reads every entry of the range. Use ContentCalendar.entries, a page at a time, with the bucket\'s start and end as from and to.',
      resolve: async (b) => (await b.calendar.allEntries()).filter((e) => e.at.getTime() >= b.start.getTime() && e.at.getTime() < b.end.getTime()),
    }),
  }),
});

/** A finding of a page, with the pieces of the whole page read once, when the first of them is asked for. */
interface FindingNode {
  finding: Finding;
  pieces(): Promise<CalendarPiece[]>;
}

const CalendarFinding = builder.objectRef<FindingNode>('CalendarFinding').implement({
  description: 'A cadence warning: which segment, which channel, when, which pieces, and a sentence saying so.',
  fields: (t) => ({
    kind: t.field({ type: CalendarFindingKind, description: 'What kind of warning.', resolve: ({ finding }) => finding.kind }),
    segment: t.field({ type: Segment, description: 'The segment it concerns.', resolve: ({ finding }) => finding.segment }),
    channel: t.field({ type: Channel, nullable: true, description: 'The channel it concerns; null for SILENCE, which is across channels.', resolve: ({ finding }) => finding.channel }),
    start: t.field({ type: 'DateTime', description: 'Start of the period: the ISO week (OVERLOAD), the silent stretch (SILENCE) or the shared instant (COLLISION).', resolve: ({ finding }) => finding.start }),
    end: t.field({ type: 'DateTime', description: 'End of the period (exclusive); equal to start for COLLISION.', resolve: ({ finding }) => finding.end }),
    startDate: t.string({ description: 'Local date of start, YYYY-MM-DD.', resolve: ({ finding }) => localDate(finding.start, finding.timeZone) }),
    endDate: t.string({ description: 'Local date of end, YYYY-MM-DD.', resolve: ({ finding }) => localDate(finding.end, finding.timeZone) }),
    pieces: t.field({
      type: [ContentPiece],
      description: 'The pieces involved, by publishAt: those of the week (OVERLOAD), those at the instant (COLLISION), or the last before and first after the silence (SILENCE; none at the range\'s edges).',
      resolve: (node) => node.pieces(),
    }),
    message: t.string({
      description: 'The warning in a sentence, for people.',
      // Only a collision names its pieces: the others need no piece read.
      resolve: async (node) => messageOf(node.finding, node.finding.kind === 'COLLISION' ? await node.pieces() : []),
    }),
  }),
});

const ENTRIES = 'contentCalendar.entries';

/** The signed cursor of an entry: its place in entry order. */
function entryCursor(ctx: Context, entry: CalendarEntry): string {
  return issueCursor(ctx, ENTRIES, [entry.at.toISOString(), entry.event, entry.piece.id]);
}

function readEntryCursor(ctx: Context, cursor: { raw: string; argument: 'after' | 'before' }): EntryPosition {
  const payload = readCursor(ctx, ENTRIES, cursor.raw, cursor.argument);
  const [at, event, pieceId] = Array.isArray(payload) ? payload : [];
  const instant = typeof at === 'string' ? new Date(at) : null;
  if (!instant || Number.isNaN(instant.getTime()) || !EVENTS.includes(event as CalendarEventKind) || typeof pieceId !== 'string') {
    throw notACursor(ENTRIES, cursor.argument, cursor.raw);
  }
  return { at: instant, event: event as CalendarEventKind, pieceId };
}

const ContentCalendarRef = builder.objectRef<Calendar>('ContentCalendar').implement({
  description: 'Pieces with a date in a range, grouped in a time zone, with cadence findings.',
  fields: (t) => ({
    from: t.field({ type: 'DateTime', description: 'Start of the range (inclusive).', resolve: (c) => c.from }),
    to: t.field({ type: 'DateTime', description: 'End of the range (exclusive).', resolve: (c) => c.to }),
    timeZone: t.string({ description: 'The IANA time zone the buckets and local times are in.', resolve: (c) => c.timeZone }),
    groupBy: t.field({ type: CalendarGrouping, description: 'How entries are grouped.', resolve: (c) => c.groupBy }),
    counts: t.field({ type: CalendarCounts, description: 'How many entries the range holds, in all and per event.', resolve: (c) => c.total() }),
    entryCount: t.int({
      description: 'How many entries the range holds, over all buckets.',
      deprecationReason: 'Use counts.total (or entries.totalCount).',
      resolve: async (c) => (await c.total()).total,
    }),
    buckets: t.field({
      type: [CalendarBucketRef],
      description:
        'Every day, week or month the range touches, in order, empty ones included, with their counts: the overview of a year costs one count in the database. The first and last may reach beyond the range; they only count entries inside it.',
      resolve: (c) => c.buckets.map((period, index) => ({ ...period, index, calendar: c })),
    }),
    entries: t.connection(
      {
        type: CalendarEntryRef,
        description:
          'The entries of the range, by instant, then publish before expire before review, then piece: a page at a time (first/after or last/before). For a month view, ask for the month as the range. Each page is one statement that reads only as far as the page.',
        resolve: async (c, args, ctx, info) => {
          const page = pageRequest(args);
          const beyond = page.cursor ? readEntryCursor(ctx, page.cursor) : null;
          const totalCount = async () => (await c.total()).total;
          if (!asksFor(info, 'edges') && !asksFor(info, 'pageInfo')) return { edges: [], pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null }, totalCount };
          const { entries, more } = await c.page({ beyond, backward: page.backward, limit: page.limit });
          const edges = entries.map((node) => ({ node, cursor: entryCursor(ctx, node) }));
          return {
            edges,
            pageInfo: keysetPageInfo(page, more, edges),
            totalCount,
          };
        },
      },
      { description: 'A page of calendar entries.', fields: (conn) => ({ totalCount: conn.int({ ...totalCountField, description: 'How many entries the range holds, over all pages.' }) }) },
      { description: 'A calendar entry and its cursor.' },
    ),
    findings: t.connection(
      {
        type: CalendarFinding,
        description:
          'Cadence warnings, by start, a page at a time. They judge SCHEDULED and PUBLISHED pieces among those the filters let through (none when the statuses filter excludes both). OVERLOAD counts whole ISO weeks, even where the range cuts one; SILENCE and COLLISION look inside the range.',
        args: { kinds: t.arg({ type: [CalendarFindingKind], description: 'Only findings of these kinds; all when omitted.' }) },
        resolve: async (c, args, ctx) => {
          const all = await c.findings();
          const findings = args.kinds ? all.filter((f) => args.kinds?.includes(f.kind)) : all;
          const page = arrayConnection(ctx, 'contentCalendar.findings', args, findings);
          let pieces: Promise<Map<Finding, CalendarPiece[]>> | null = null;
          const piecesOf = async (finding: Finding) => (await (pieces ??= c.findingPieces(page.edges.map((e) => e.node)))).get(finding) ?? [];
          return { ...page, edges: page.edges.map(({ cursor, node }) => ({ cursor, node: { finding: node, pieces: () => piecesOf(node) } })) };
        },
      },
      {
        description: 'A page of cadence findings.',
        fields: (conn) => ({
          totalCount: conn.int({ description: 'How many findings there are, over all pages.', resolve: (page) => (page as unknown as { totalCount: number }).totalCount }),
        }),
      },
      { description: 'A cadence finding and its cursor.' },
    ),
  }),
});

builder.queryFields((t) => ({
  contentCalendar: t.field({
    type: ContentCalendarRef,
    description: `What goes out when: entries for publishAt (PUBLISH), expiresAt (EXPIRE) and reviewAt (REVIEW) in [from, to), counted per local day, ISO week or month and paged, with cadence findings. Filters combine: a piece shows when it has a phase in phaseRefs (and of scope), a channel in channels, and a segment in segments (a generic piece matches every segment of its phases' journey). At most ${MAX_RANGE_DAYS} days. EDITOR.`,
    authScopes: { editor: true },
    args: {
      from: t.arg({ type: 'DateTime', required: true, description: 'Start of the range (inclusive).' }),
      to: t.arg({ type: 'DateTime', required: true, description: `End of the range (exclusive); at most ${MAX_RANGE_DAYS} days after from.` }),
      timeZone: t.arg.string({ defaultValue: 'UTC', description: 'IANA time zone for buckets and local times, e.g. Europe/Amsterdam.' }),
      groupBy: t.arg({ type: CalendarGrouping, defaultValue: 'DAY', description: 'Group by local day, ISO week or month.' }),
      segments: t.arg.stringList({ description: 'Segment keys: pieces targeted at any of them, and generic pieces of their journeys.' }),
      phaseRefs: t.arg({ type: [PhaseRefInput], description: 'Phases by journey and phase key: pieces for any of them.' }),
      phases: t.arg.stringList({
        description: 'Phases as "journey:phase" (phase keys are unique per journey only); a bare phase key is accepted when one journey alone has it. Together with phaseRefs: pieces for a phase in either.',
        deprecationReason: 'Use phaseRefs: [{ journey, phase }], like every other argument that names a phase.',
      }),
      scope: t.arg({ type: Scope, description: 'Pieces for a phase of this scope.' }),
      channels: t.arg.stringList({ description: 'Channel keys: pieces for any of them.' }),
      statuses: t.arg({ type: [ContentStatus], description: 'Pieces in any of these statuses; all when omitted.' }),
      formats: t.arg({ type: [ContentFormat], description: 'Pieces in any of these formats; all when omitted.' }),
    },
    resolve: (_root, args, ctx) => openCalendar(analysisOf(ctx.database), workspaceId(ctx), args),
  }),
}));

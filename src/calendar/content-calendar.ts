import { builder } from '../builder.js';
import { Channel } from '../channels/channel.js';
import { workspaceId } from '../context.js';
import { ContentPiece } from '../content/content-piece.js';
import { ContentFormat, ContentStatus } from '../content/enums.js';
import { Scope } from '../journeys/enums.js';
import { Phase } from '../journeys/model.js';
import { Segment } from '../segments/segment.js';
import { arrayConnection } from '../shared/offset-paging.js';
import { contentCalendar, MAX_RANGE_DAYS, type Calendar, type CalendarBucket, type CalendarEntry } from './calendar.js';
import { messageOf, type Finding } from './findings.js';
import { localDate, localDateTime } from './time-zone.js';
import './tokens.js';

/**
 * contentCalendar: what goes out when, grouped by local day, ISO week or
 * month, with cadence findings. EDITOR: a calendar is for the people who
 * plan content; it shows drafts and ideas, which a DELIVERY key (a public
 * website) must never see.
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

const CalendarBucketRef = builder.objectRef<CalendarBucket>('CalendarBucket').implement({
  description: 'One day, ISO week or month of the calendar in its time zone, with its entries. Empty buckets are present, so a grid can be drawn directly.',
  fields: (t) => ({
    start: t.field({ type: 'DateTime', description: 'Its first instant (local midnight, Monday midnight or the 1st).', resolve: (b) => b.start }),
    end: t.field({ type: 'DateTime', description: 'The first instant after it.', resolve: (b) => b.end }),
    startDate: t.string({ description: 'Its first local date, YYYY-MM-DD.', resolve: (b) => b.startDate }),
    endDate: t.string({ description: 'The local date it ends before (exclusive), YYYY-MM-DD.', resolve: (b) => b.endDate }),
    label: t.string({ description: 'A short name: 2026-03-29 (day), 2026-W13 (ISO week) or 2026-03 (month).', resolve: (b) => b.label }),
    entryCount: t.int({ description: 'How many entries it holds.', resolve: (b) => b.entries.length }),
    entries: t.field({ type: [CalendarEntryRef], description: 'Its entries, by instant, then publish before expire before review.', resolve: (b) => b.entries }),
  }),
});

const CalendarFinding = builder.objectRef<Finding>('CalendarFinding').implement({
  description: 'A cadence warning: which segment, which channel, when, which pieces, and a sentence saying so.',
  fields: (t) => ({
    kind: t.field({ type: CalendarFindingKind, description: 'What kind of warning.', resolve: (f) => f.kind }),
    segment: t.field({ type: Segment, description: 'The segment it concerns.', resolve: (f) => f.segment }),
    channel: t.field({ type: Channel, nullable: true, description: 'The channel it concerns; null for SILENCE, which is across channels.', resolve: (f) => f.channel }),
    start: t.field({ type: 'DateTime', description: 'Start of the period: the ISO week (OVERLOAD), the silent stretch (SILENCE) or the shared instant (COLLISION).', resolve: (f) => f.start }),
    end: t.field({ type: 'DateTime', description: 'End of the period (exclusive); equal to start for COLLISION.', resolve: (f) => f.end }),
    startDate: t.string({ description: 'Local date of start, YYYY-MM-DD.', resolve: (f) => localDate(f.start, f.timeZone) }),
    endDate: t.string({ description: 'Local date of end, YYYY-MM-DD.', resolve: (f) => localDate(f.end, f.timeZone) }),
    pieces: t.field({
      type: [ContentPiece],
      description: 'The pieces involved, by publishAt: those of the week (OVERLOAD), those at the instant (COLLISION), or the last before and first after the silence (SILENCE; none at the range\'s edges).',
      resolve: (f) => f.pieces,
    }),
    message: t.string({ description: 'The warning in a sentence, for people.', resolve: (f) => messageOf(f) }),
  }),
});

const ContentCalendarRef = builder.objectRef<Calendar>('ContentCalendar').implement({
  description: 'Pieces with a date in a range, grouped in a time zone, with cadence findings.',
  fields: (t) => ({
    from: t.field({ type: 'DateTime', description: 'Start of the range (inclusive).', resolve: (c) => c.from }),
    to: t.field({ type: 'DateTime', description: 'End of the range (exclusive).', resolve: (c) => c.to }),
    timeZone: t.string({ description: 'The IANA time zone the buckets and local times are in.', resolve: (c) => c.timeZone }),
    groupBy: t.field({ type: CalendarGrouping, description: 'How entries are grouped.', resolve: (c) => c.groupBy }),
    entryCount: t.int({ description: 'How many entries the range holds, over all buckets.', resolve: (c) => c.entries.length }),
    buckets: t.field({
      type: [CalendarBucketRef],
      description: 'Every day, week or month the range touches, in order, empty ones included. The first and last may reach beyond the range; they only hold entries inside it.',
      resolve: (c) => c.buckets,
    }),
    findings: t.connection(
      {
        type: CalendarFinding,
        description:
          'Cadence warnings, by start, a page at a time. They judge SCHEDULED and PUBLISHED pieces among those the filters let through (none when the statuses filter excludes both). OVERLOAD counts whole ISO weeks, even where the range cuts one; SILENCE and COLLISION look inside the range.',
        args: { kinds: t.arg({ type: [CalendarFindingKind], description: 'Only findings of these kinds; all when omitted.' }) },
        resolve: (c, args, ctx) => {
          const findings = args.kinds ? c.findings.filter((f) => args.kinds?.includes(f.kind)) : c.findings;
          return arrayConnection(ctx, 'contentCalendar.findings', args, findings);
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
    description: `What goes out when: entries for publishAt (PUBLISH), expiresAt (EXPIRE) and reviewAt (REVIEW) in [from, to), grouped by local day, ISO week or month, with cadence findings. Filters combine: a piece shows when it has a phase in phases (and of scope), a channel in channels, and a segment in segments (a generic piece matches every segment of its phases' journey). At most ${MAX_RANGE_DAYS} days. EDITOR.`,
    authScopes: { editor: true },
    args: {
      from: t.arg({ type: 'DateTime', required: true, description: 'Start of the range (inclusive).' }),
      to: t.arg({ type: 'DateTime', required: true, description: `End of the range (exclusive); at most ${MAX_RANGE_DAYS} days after from.` }),
      timeZone: t.arg.string({ defaultValue: 'UTC', description: 'IANA time zone for buckets and local times, e.g. Europe/Amsterdam.' }),
      groupBy: t.arg({ type: CalendarGrouping, defaultValue: 'DAY', description: 'Group by local day, ISO week or month.' }),
      segments: t.arg.stringList({ description: 'Segment keys: pieces targeted at any of them, and generic pieces of their journeys.' }),
      phases: t.arg.stringList({ description: 'Phases as "journey:phase" (phase keys are unique per journey only); a bare phase key is accepted when one journey alone has it.' }),
      scope: t.arg({ type: Scope, description: 'Pieces for a phase of this scope.' }),
      channels: t.arg.stringList({ description: 'Channel keys: pieces for any of them.' }),
      statuses: t.arg({ type: [ContentStatus], description: 'Pieces in any of these statuses; all when omitted.' }),
      formats: t.arg({ type: [ContentFormat], description: 'Pieces in any of these formats; all when omitted.' }),
    },
    resolve: (_root, args, ctx) =>
      contentCalendar(ctx.prisma, ctx.provider, workspaceId(ctx), {
        ...args,
        statuses: args.statuses ?? null,
        formats: args.formats ?? null,
        scope: args.scope ?? null,
      }),
  }),
}));

import type { Channel, Segment } from '../generated/sqlite/client.js';
import type { ContentStatus } from '../generated/sqlite/enums.js';
import { compareIds, type Filter, type Targeting } from './calendar.js';
import type { CalendarPiece, Taxonomy } from './load.js';
import { isoWeekOf, localDate, localMoment, periodsOf, type Period } from './time-zone.js';

/**
 * Cadence findings (seed 000: watch the order, frequency and timing of
 * touchpoints). They judge only pieces that are SCHEDULED or PUBLISHED
 * (ideas and drafts may never go out; archived ones are withdrawn), among
 * those the calendar's filters let through, and generic pieces count for
 * every segment of their journey.
 */
export const FINDING_STATUSES: readonly ContentStatus[] = ['SCHEDULED', 'PUBLISHED'];

export type FindingKind = 'OVERLOAD' | 'SILENCE' | 'COLLISION';

export interface Finding {
  kind: FindingKind;
  segment: Segment;
  /** Null for SILENCE: silence is across every channel the filters allow. */
  channel: Channel | null;
  start: Date;
  end: Date;
  pieces: CalendarPiece[];
  /** The calendar's time zone, for the local dates and the sentence. */
  timeZone: string;
  /** The limit crossed: maxPerWeek (OVERLOAD) or the silence window in days (SILENCE). */
  limit: number | null;
  /** The STAY phases' names (SILENCE). */
  phaseNames: string[];
}

export interface FindingInput {
  pieces: CalendarPiece[];
  from: Date;
  to: Date;
  timeZone: string;
  taxonomy: Taxonomy;
  targeting: Targeting;
  filter: Filter;
}

const DAY = 86_400_000;
const KIND_ORDER: Record<FindingKind, number> = { COLLISION: 0, OVERLOAD: 1, SILENCE: 2 };

export function findingsOf(input: FindingInput): Finding[] {
  if (!input.filter.countsFindings) return [];
  const counting = input.pieces.filter((p) => p.publishAt !== null && FINDING_STATUSES.includes(p.status));
  const findings = [...overloads(input, counting), ...collisions(input, counting), ...silences(input, counting)];
  return findings.sort(
    (a, b) =>
      a.start.getTime() - b.start.getTime() ||
      KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
      a.segment.key.localeCompare(b.segment.key) ||
      (a.channel?.key ?? '').localeCompare(b.channel?.key ?? ''),
  );
}

/** The finding in a sentence, for people. */
export function messageOf(f: Finding): string {
  const days = Math.floor((f.end.getTime() - f.start.getTime()) / DAY);
  switch (f.kind) {
    case 'OVERLOAD':
      return `Segment "${f.segment.name}" gets ${f.pieces.length} pieces on ${f.channel?.name} in week ${isoWeekOf(f.start, f.timeZone).label} (from ${localDate(f.start, f.timeZone)}), more than the channel's maximum of ${f.limit} per week.`;
    case 'COLLISION': {
      const titles = f.pieces.map((p) => `"${p.title}"`);
      return `Segment "${f.segment.name}" gets ${f.pieces.length} pieces on ${f.channel?.name} at the same moment, ${localMoment(f.start, f.timeZone)} (${f.timeZone}): ${titles.slice(0, -1).join(', ')} and ${titles.at(-1)}.`;
    }
    case 'SILENCE':
      return `Segment "${f.segment.name}" gets nothing in its STAY phases (${f.phaseNames.join(', ')}) from ${localDate(f.start, f.timeZone)} to ${localDate(f.end, f.timeZone)}: ${days} days, longer than the silence window of ${f.limit} days.`;
  }
}

/**
 * OVERLOAD: per channel with a maxPerWeek and ISO week, and only in weeks
 * with more pieces than the maximum at all, the pieces per segment.
 */
function overloads(input: FindingInput, counting: CalendarPiece[]): Finding[] {
  const weeks = periodsOf(input.from, input.to, 'WEEK', input.timeZone);
  const groups = groupByChannel(input, counting, (channel, piece) => {
    if (channel.maxPerWeek === null) return null;
    const week = weekIndex(weeks, piece.publishAt as Date);
    return week < 0 ? null : week;
  });
  const findings: Finding[] = [];
  for (const [channel, byWeek] of groups) {
    const max = channel.maxPerWeek as number;
    for (const [week, pieces] of byWeek) {
      if (pieces.length <= max) continue;
      for (const [segment, own] of perSegment(input, pieces)) {
        if (own.length <= max) continue;
        const { start, end } = weeks[week] as Period;
        findings.push({ kind: 'OVERLOAD', segment, channel, start, end, pieces: byPublishAt(own), timeZone: input.timeZone, limit: max, phaseNames: [] });
      }
    }
  }
  return findings;
}

/** COLLISION: per channel and instant in range, and only where two pieces share one at all, the pieces per segment. */
function collisions(input: FindingInput, counting: CalendarPiece[]): Finding[] {
  const groups = groupByChannel(input, counting, (_channel, piece) => {
    const at = (piece.publishAt as Date).getTime();
    return at >= input.from.getTime() && at < input.to.getTime() ? at : null;
  });
  const findings: Finding[] = [];
  for (const [channel, byInstant] of groups) {
    for (const [at, pieces] of byInstant) {
      if (pieces.length < 2) continue;
      for (const [segment, own] of perSegment(input, pieces)) {
        if (own.length < 2) continue;
        findings.push({ kind: 'COLLISION', segment, channel, start: new Date(at), end: new Date(at), pieces: byPublishAt(own), timeZone: input.timeZone, limit: null, phaseNames: [] });
      }
    }
  }
  return findings;
}

/** Pieces per channel (those the filter allows) and per key; a null key leaves the piece out. */
function groupByChannel(input: FindingInput, pieces: CalendarPiece[], keyOf: (channel: Channel, piece: CalendarPiece) => number | null) {
  const groups = new Map<Channel, Map<number, CalendarPiece[]>>();
  for (const piece of pieces) {
    for (const channel of input.targeting.channelsOf(piece)) {
      if (input.filter.channels && !input.filter.channels.has(channel.id)) continue;
      const key = keyOf(channel, piece);
      if (key === null) continue;
      const byKey = groups.get(channel) ?? new Map<number, CalendarPiece[]>();
      const list = byKey.get(key) ?? [];
      list.push(piece);
      byKey.set(key, list);
      groups.set(channel, byKey);
    }
  }
  return groups;
}

/** The pieces per segment they reach (generic ones: every segment of their journey), within the segment filter. */
function perSegment(input: FindingInput, pieces: CalendarPiece[]): Map<Segment, CalendarPiece[]> {
  const bySegment = new Map<Segment, CalendarPiece[]>();
  for (const piece of pieces) {
    for (const segment of input.targeting.segmentsOf(piece)) {
      if (input.filter.segments && !input.filter.segments.has(segment.id)) continue;
      const list = bySegment.get(segment) ?? [];
      list.push(piece);
      bySegment.set(segment, list);
    }
  }
  return bySegment;
}

/**
 * SILENCE: stretches within [from, to) longer than the workspace's silence
 * window in which a segment gets nothing published in its journey's STAY
 * phases (those the phase and scope filters allow).
 */
function silences(input: FindingInput, counting: CalendarPiece[]): Finding[] {
  const { filter, targeting, timeZone, taxonomy } = input;
  const window = taxonomy.workspace.silenceDays * DAY;
  const stayPhases = new Map<string, Set<string>>();
  for (const phase of taxonomy.phases) {
    if (phase.scope !== 'STAY' || !filter.phaseAllowed(phase)) continue;
    stayPhases.set(phase.journeyId, (stayPhases.get(phase.journeyId) ?? new Set()).add(phase.id));
  }
  const published = new Map<string, CalendarPiece[]>();
  for (const piece of counting) {
    const at = (piece.publishAt as Date).getTime();
    if (at < input.from.getTime() || at >= input.to.getTime()) continue;
    for (const segment of targeting.segmentsOf(piece)) {
      const stay = stayPhases.get(segment.journeyId);
      if (!stay || !piece.phaseIds.some((id) => stay.has(id))) continue;
      const list = published.get(segment.id) ?? [];
      list.push(piece);
      published.set(segment.id, list);
    }
  }
  const findings: Finding[] = [];
  for (const segment of taxonomy.segments) {
    if (!stayPhases.has(segment.journeyId) || (filter.segments && !filter.segments.has(segment.id))) continue;
    const pieces = byPublishAt(published.get(segment.id) ?? []);
    let start = input.from;
    let before: CalendarPiece | null = null;
    for (const next of [...pieces, null]) {
      const end = next ? (next.publishAt as Date) : input.to;
      if (end.getTime() - start.getTime() > window) findings.push(silence(input, segment, start, end, [before, next]));
      if (next) {
        start = end;
        before = next;
      }
    }
  }
  return findings;

  function silence(input: FindingInput, segment: Segment, start: Date, end: Date, around: (CalendarPiece | null)[]): Finding {
    const phaseNames = [...(stayPhases.get(segment.journeyId) ?? [])].map((id) => targeting.phases.get(id)?.name ?? '');
    const pieces = around.filter((p): p is CalendarPiece => p !== null);
    return { kind: 'SILENCE', segment, channel: null, start, end, pieces, timeZone, limit: input.taxonomy.workspace.silenceDays, phaseNames };
  }
}

/** Index of the week holding `at` (weeks are consecutive), or -1 outside them. */
function weekIndex(weeks: Period[], at: Date): number {
  let low = 0;
  let high = weeks.length - 1;
  const t = at.getTime();
  while (low <= high) {
    const mid = (low + high) >> 1;
    const week = weeks[mid] as Period;
    if (t < week.start.getTime()) high = mid - 1;
    else if (t >= week.end.getTime()) low = mid + 1;
    else return mid;
  }
  return -1;
}

function byPublishAt(pieces: CalendarPiece[]): CalendarPiece[] {
  return [...pieces].sort((a, b) => (a.publishAt as Date).getTime() - (b.publishAt as Date).getTime() || compareIds(a.id, b.id));
}

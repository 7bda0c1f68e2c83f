import type { Channel, Segment } from '../generated/sqlite/client.js';
import type { ContentStatus } from '../generated/sqlite/enums.js';
import type { Filter, Targeting } from './calendar.js';
import type { CalendarPiece, Taxonomy } from './load.js';
import { localDate, localMoment, periodsOf, type Period } from './time-zone.js';

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
  startDate: string;
  endDate: string;
  pieces: CalendarPiece[];
  message: string;
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
  const findings = [...perChannel(input, counting), ...silences(input, counting)];
  return findings.sort(
    (a, b) =>
      a.start.getTime() - b.start.getTime() ||
      KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
      a.segment.key.localeCompare(b.segment.key) ||
      (a.channel?.key ?? '').localeCompare(b.channel?.key ?? ''),
  );
}

/** OVERLOAD and COLLISION: counts per segment, channel and ISO week or instant. */
function perChannel(input: FindingInput, counting: CalendarPiece[]): Finding[] {
  const { filter, targeting, timeZone } = input;
  const weeks = periodsOf(input.from, input.to, 'WEEK', timeZone);
  const perWeek = new Map<string, { segment: Segment; channel: Channel; week: Period; pieces: CalendarPiece[] }>();
  const perInstant = new Map<string, { segment: Segment; channel: Channel; at: Date; pieces: CalendarPiece[] }>();
  for (const piece of counting) {
    const at = piece.publishAt as Date;
    const week = weekIndex(weeks, at);
    const inRange = at.getTime() >= input.from.getTime() && at.getTime() < input.to.getTime();
    const segments = targeting.segmentsOf(piece).filter((s) => !filter.segments || filter.segments.has(s.id));
    for (const channel of targeting.channelsOf(piece)) {
      if (filter.channels && !filter.channels.has(channel.id)) continue;
      for (const segment of segments) {
        if (channel.maxPerWeek !== null && week >= 0) {
          const key = `${segment.id}|${channel.id}|${week}`;
          const group = perWeek.get(key) ?? { segment, channel, week: weeks[week] as Period, pieces: [] };
          group.pieces.push(piece);
          perWeek.set(key, group);
        }
        if (inRange) {
          const key = `${segment.id}|${channel.id}|${at.getTime()}`;
          const group = perInstant.get(key) ?? { segment, channel, at, pieces: [] };
          group.pieces.push(piece);
          perInstant.set(key, group);
        }
      }
    }
  }
  const findings: Finding[] = [];
  for (const { segment, channel, week, pieces } of perWeek.values()) {
    const max = channel.maxPerWeek as number;
    if (pieces.length <= max) continue;
    findings.push({
      kind: 'OVERLOAD',
      segment,
      channel,
      ...week,
      pieces: byPublishAt(pieces),
      message: `Segment "${segment.name}" gets ${pieces.length} pieces on ${channel.name} in week ${week.label} (from ${week.startDate}), more than the channel's maximum of ${max} per week.`,
    });
  }
  for (const { segment, channel, at, pieces } of perInstant.values()) {
    if (pieces.length < 2) continue;
    const titles = byPublishAt(pieces).map((p) => `"${p.title}"`);
    findings.push({
      kind: 'COLLISION',
      segment,
      channel,
      start: at,
      end: at,
      startDate: localDate(at, timeZone),
      endDate: localDate(at, timeZone),
      pieces: byPublishAt(pieces),
      message: `Segment "${segment.name}" gets ${pieces.length} pieces on ${channel.name} at the same moment, ${localMoment(at, timeZone)} (${timeZone}): ${titles.slice(0, -1).join(', ')} and ${titles.at(-1)}.`,
    });
  }
  return findings;
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
    const names = [...(stayPhases.get(segment.journeyId) ?? [])].map((id) => targeting.phases.get(id)?.name).join(', ');
    const days = Math.floor((end.getTime() - start.getTime()) / DAY);
    return {
      kind: 'SILENCE',
      segment,
      channel: null,
      start,
      end,
      startDate: localDate(start, timeZone),
      endDate: localDate(end, timeZone),
      pieces: around.filter((p): p is CalendarPiece => p !== null),
      message: `Segment "${segment.name}" gets nothing in its STAY phases (${names}) from ${localDate(start, timeZone)} to ${localDate(end, timeZone)}: ${days} days, longer than the silence window of ${input.taxonomy.workspace.silenceDays} days.`,
    };
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
  return [...pieces].sort((a, b) => (a.publishAt as Date).getTime() - (b.publishAt as Date).getTime() || a.id.localeCompare(b.id));
}

import type { Db } from '../db/client.js';
import type { Provider } from '../db/config.js';
import { badUserInput } from '../errors.js';
import type { Channel, Phase, Segment } from '../generated/sqlite/client.js';
import type { ContentFormat, ContentStatus, Scope } from '../generated/sqlite/enums.js';
import { FINDING_STATUSES, findingsOf, type Finding } from './findings.js';
import { loadPieces, loadTaxonomy, type CalendarPiece, type Taxonomy } from './load.js';
import { isoWeekOf, isTimeZone, periodsOf, type Grouping, type Period } from './time-zone.js';

/**
 * The content calendar: the pieces with a date in [from, to), as entries
 * (PUBLISH at publishAt, EXPIRE at expiresAt, REVIEW at reviewAt) grouped
 * into local days, ISO weeks or months of a time zone, with the cadence
 * findings. Shared by the GraphQL query and the iCalendar feed; a bad
 * argument is a BAD_USER_INPUT error naming it (the feed answers 400).
 */
export const MAX_RANGE_DAYS = 400;

export type CalendarEventKind = 'PUBLISH' | 'EXPIRE' | 'REVIEW';

export interface CalendarArgs {
  from: Date;
  to: Date;
  timeZone?: string | null;
  groupBy?: Grouping | null;
  segments?: readonly string[] | null;
  /** "journey:phase", or a bare phase key when only one journey has it. */
  phases?: readonly string[] | null;
  scope?: Scope | null;
  channels?: readonly string[] | null;
  statuses?: readonly ContentStatus[] | null;
  formats?: readonly ContentFormat[] | null;
}

/** One dated event of a piece; its local time and targeting are worked out only when asked for. */
export interface CalendarEntry {
  piece: CalendarPiece;
  event: CalendarEventKind;
  at: Date;
  timeZone: string;
  targeting: Targeting;
}

export interface CalendarBucket extends Period {
  entries: CalendarEntry[];
}

export interface Calendar {
  from: Date;
  to: Date;
  timeZone: string;
  groupBy: Grouping;
  workspaceName: string;
  entries: CalendarEntry[];
  buckets: CalendarBucket[];
  findings: Finding[];
}

const DAY = 86_400_000;
const EVENT_ORDER: Record<CalendarEventKind, number> = { PUBLISH: 0, EXPIRE: 1, REVIEW: 2 };

export async function contentCalendar(db: Db, provider: Provider, workspaceId: string, args: CalendarArgs): Promise<Calendar> {
  const timeZone = args.timeZone ?? 'UTC';
  const groupBy = args.groupBy ?? 'DAY';
  checkRange(args.from, args.to);
  if (!isTimeZone(timeZone)) throw badUserInput('timeZone', 'not a known IANA time zone, e.g. "Europe/Amsterdam" or "UTC"', timeZone);

  const taxonomy = await loadTaxonomy(db, workspaceId);
  if (!taxonomy) throw new Error(`Workspace ${workspaceId} vanished during the request`);
  const filter = resolveFilter(taxonomy, args);
  // Whole ISO weeks at the edges, so an overload in a week the range cuts is still seen.
  const publishFrom = isoWeekOf(args.from, timeZone).start;
  const publishTo = isoWeekOf(new Date(args.to.getTime() - 1), timeZone).end;
  const loaded = await loadPieces(db, provider, { workspaceId, publishFrom, publishTo, from: args.from, to: args.to, statuses: args.statuses, formats: args.formats });

  const targeting = new Targeting(taxonomy);
  const pieces = loaded.filter((piece) => filter.matches(piece, targeting)).sort((a, b) => compareIds(a.id, b.id));
  const entries = entriesOf(pieces, args.from, args.to, timeZone, targeting);
  const buckets = bucketsOf(entries, periodsOf(args.from, args.to, groupBy, timeZone));
  const findings = findingsOf({ pieces, from: args.from, to: args.to, timeZone, taxonomy, targeting, filter });
  return { from: args.from, to: args.to, timeZone, groupBy, workspaceName: taxonomy.workspace.name, entries, buckets, findings };
}

function checkRange(from: Date, to: Date) {
  if (to.getTime() <= from.getTime()) throw badUserInput('to', 'must be after "from" (the range is [from, to))', to.toISOString());
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY) {
    throw badUserInput('to', `the range may span at most ${MAX_RANGE_DAYS} days`, to.toISOString());
  }
}

/** The targeting of pieces in terms of the taxonomy's rows. */
export class Targeting {
  readonly phases: Map<string, Phase>;
  readonly channels: Map<string, Channel>;
  readonly segments: Map<string, Segment>;
  private readonly segmentsOfJourney = new Map<string, Segment[]>();
  private readonly reach = new Map<string, Segment[]>();

  constructor(taxonomy: Taxonomy) {
    this.phases = new Map(taxonomy.phases.map((p) => [p.id, p]));
    this.channels = new Map(taxonomy.channels.map((c) => [c.id, c]));
    this.segments = new Map(taxonomy.segments.map((s) => [s.id, s]));
    for (const segment of taxonomy.segments) {
      const list = this.segmentsOfJourney.get(segment.journeyId) ?? [];
      list.push(segment);
      this.segmentsOfJourney.set(segment.journeyId, list);
    }
  }

  /** The segments a piece is for: its own, or, when generic, every segment whose journey holds one of its phases. */
  segmentsOf(piece: CalendarPiece): Segment[] {
    let segments = this.reach.get(piece.id);
    if (segments) return segments;
    if (piece.segmentIds.length > 0) segments = this.targetedSegmentsOf(piece);
    else {
      const journeys = new Set(piece.phaseIds.map((id) => this.phases.get(id)?.journeyId));
      segments = [...journeys].flatMap((journeyId) => (journeyId ? (this.segmentsOfJourney.get(journeyId) ?? []) : []));
    }
    this.reach.set(piece.id, segments);
    return segments;
  }

  /** The segments a piece names, by key; empty when it is generic. */
  targetedSegmentsOf(piece: CalendarPiece): Segment[] {
    return piece.segmentIds
      .map((id) => this.segments.get(id))
      .filter((s): s is Segment => s !== undefined)
      .sort((a, b) => a.key.localeCompare(b.key));
  }

  phasesOf(piece: CalendarPiece): Phase[] {
    return piece.phaseIds.map((id) => this.phases.get(id)).filter((p): p is Phase => p !== undefined);
  }

  channelsOf(piece: CalendarPiece): Channel[] {
    return piece.channelIds
      .map((id) => this.channels.get(id))
      .filter((c): c is Channel => c !== undefined)
      .sort((a, b) => a.key.localeCompare(b.key));
  }
}

/** The caller's filters as sets of ids; each unknown key is refused by argument name. */
export interface Filter {
  segments: Set<string> | null;
  phases: Set<string> | null;
  scope: Scope | null;
  channels: Set<string> | null;
  /** Whether findings may be judged at all: the status filter lets planned or published pieces through. */
  countsFindings: boolean;
  phaseAllowed(phase: Phase): boolean;
  matches(piece: CalendarPiece, targeting: Targeting): boolean;
}

function resolveFilter(taxonomy: Taxonomy, args: CalendarArgs): Filter {
  const byKey = <T extends { key: string; id: string }>(rows: T[], keys: readonly string[] | null | undefined, argument: string, what: string) => {
    if (!keys) return null;
    return new Set(
      keys.map((key) => {
        const row = rows.find((r) => r.key === key);
        if (!row) throw badUserInput(argument, `no ${what} with key "${key}" in this workspace`, key);
        return row.id;
      }),
    );
  };
  const segments = byKey(taxonomy.segments, args.segments, 'segments', 'segment');
  const channels = byKey(taxonomy.channels, args.channels, 'channels', 'channel');
  const phases = args.phases ? new Set(args.phases.map((ref) => phaseOf(taxonomy, ref).id)) : null;
  const scope = args.scope ?? null;
  const phaseAllowed = (phase: Phase) => (!phases || phases.has(phase.id)) && (!scope || phase.scope === scope);
  return {
    segments,
    phases,
    scope,
    channels,
    countsFindings: !args.statuses || args.statuses.some((s) => FINDING_STATUSES.includes(s)),
    phaseAllowed,
    matches(piece, targeting) {
      const piecePhases = targeting.phasesOf(piece).filter(phaseAllowed);
      if (piecePhases.length === 0) return false;
      if (channels && !piece.channelIds.some((id) => channels.has(id))) return false;
      if (!segments) return true;
      if (piece.segmentIds.length > 0) return piece.segmentIds.some((id) => segments.has(id));
      // A generic piece is for every segment whose journey holds one of its (matching) phases.
      const journeys = new Set(piecePhases.map((p) => p.journeyId));
      return [...segments].some((id) => journeys.has(targeting.segments.get(id)?.journeyId ?? ''));
    },
  };
}

/** "journey:phase", or a bare phase key that only one journey of the workspace has. */
function phaseOf(taxonomy: Taxonomy, ref: string): Phase {
  const [journeyKey, phaseKey] = ref.includes(':') ? ref.split(':', 2) : [null, ref];
  const candidates = taxonomy.phases.filter((p) => p.key === phaseKey && (journeyKey === null || taxonomy.journeys.get(p.journeyId)?.key === journeyKey));
  if (candidates.length === 1) return candidates[0] as Phase;
  if (candidates.length === 0) throw badUserInput('phases', `no phase "${ref}" in this workspace (write "journey:phase")`, ref);
  const journeys = candidates.map((p) => `"${taxonomy.journeys.get(p.journeyId)?.key}:${p.key}"`).join(' or ');
  throw badUserInput('phases', `phase key "${ref}" is in more than one journey: write ${journeys}`, ref);
}

function entriesOf(pieces: CalendarPiece[], from: Date, to: Date, timeZone: string, targeting: Targeting): CalendarEntry[] {
  const entries: CalendarEntry[] = [];
  const inRange = (at: Date | null): at is Date => at !== null && at.getTime() >= from.getTime() && at.getTime() < to.getTime();
  for (const piece of pieces) {
    if (inRange(piece.publishAt)) entries.push({ piece, event: 'PUBLISH', at: piece.publishAt, timeZone, targeting });
    if (inRange(piece.expiresAt)) entries.push({ piece, event: 'EXPIRE', at: piece.expiresAt, timeZone, targeting });
    if (inRange(piece.reviewAt)) entries.push({ piece, event: 'REVIEW', at: piece.reviewAt, timeZone, targeting });
  }
  return entries.sort((a, b) => a.at.getTime() - b.at.getTime() || EVENT_ORDER[a.event] - EVENT_ORDER[b.event] || compareIds(a.piece.id, b.piece.id));
}

/** Entries are sorted and periods consecutive, so one pass fills every bucket; empty ones stay. */
function bucketsOf(entries: CalendarEntry[], periods: Period[]): CalendarBucket[] {
  const buckets = periods.map((period) => ({ ...period, entries: [] as CalendarEntry[] }));
  let index = 0;
  for (const entry of entries) {
    while (index < buckets.length - 1 && entry.at.getTime() >= (buckets[index] as CalendarBucket).end.getTime()) index += 1;
    buckets[index]?.entries.push(entry);
  }
  return buckets;
}

/** Ids and keys are ASCII: a plain comparison orders them, faster than localeCompare over many entries. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

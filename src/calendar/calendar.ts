import { badUserInput } from '../errors.js';
import type { Finding, FindingQuery } from './cadence.js';
import { countEntries, type EntryCounts } from './counts.js';
import { loadEntries, type EntryPosition, type EntryRow } from './entries.js';
import { resolveFilter, type CalendarFilter, type FilterArgs } from './filter.js';
import { findingPieces, findingsOf } from './findings.js';
import type { CalendarPiece } from './pieces.js';
import type { CalendarDatabase } from './sql.js';
import { Targeting } from './targeting.js';
import { loadTaxonomy, type Taxonomy } from './taxonomy.js';
import { isTimeZone, periodsOf, type Grouping, type Period } from '../shared/time-zone.js';

/**
 * The content calendar of a range [from, to) in a time zone: its buckets
 * (local days, ISO weeks or months) with how many entries each holds, its
 * entries (PUBLISH at publishAt, EXPIRE at expiresAt, REVIEW at reviewAt) a
 * page at a time, and its cadence findings. Opening one checks the
 * arguments and reads the taxonomy (one statement); each part is read when
 * first asked for, in a statement or two of its own, and kept for the
 * request, so a year's overview never reads an entry and a month's page
 * never counts a year. Shared by the GraphQL query and the iCalendar feed;
 * a bad argument is a BAD_USER_INPUT error naming it (the feed answers 400).
 */
export const MAX_RANGE_DAYS = 400;

export interface CalendarArgs extends FilterArgs {
  from: Date;
  to: Date;
  timeZone?: string | null;
  groupBy?: Grouping | null;
}

/** One dated event of a piece; its local time and targeting are worked out only when asked for. */
export interface CalendarEntry extends EntryRow {
  timeZone: string;
  targeting: Targeting;
}

export interface EntryPage {
  entries: CalendarEntry[];
  /** Whether more entries lie beyond the page, in the direction read. */
  more: boolean;
}

const DAY = 86_400_000;

export class Calendar {
  readonly buckets: Period[];
  readonly targeting: Targeting;
  private counted: Promise<EntryCounts[]> | null = null;
  private found: Promise<Finding[]> | null = null;
  private everyEntry: Promise<CalendarEntry[]> | null = null;

  constructor(
    private readonly db: CalendarDatabase,
    readonly workspaceId: string,
    readonly taxonomy: Taxonomy,
    readonly filter: CalendarFilter,
    readonly from: Date,
    readonly to: Date,
    readonly timeZone: string,
    readonly groupBy: Grouping,
  ) {
    this.buckets = periodsOf(from, to, groupBy, timeZone);
    this.targeting = new Targeting(taxonomy);
  }

  get workspaceName(): string {
    return this.taxonomy.workspace.name;
  }

  /** Entries per bucket and event, in the buckets' order. */
  counts(): Promise<EntryCounts[]> {
    return (this.counted ??= countEntries(this.db, { workspaceId: this.workspaceId, from: this.from, to: this.to, filter: this.filter, buckets: this.buckets }));
  }

  /** Entries over the whole range. */
  async total(): Promise<EntryCounts> {
    const sum = { total: 0, publish: 0, expire: 0, review: 0 };
    for (const bucket of await this.counts()) for (const key of Object.keys(sum) as (keyof EntryCounts)[]) sum[key] += bucket[key];
    return sum;
  }

  /** Up to `limit` entries beyond a position (from the start, or from the end when backward), in entry order. */
  async page(options: { beyond: EntryPosition | null; backward: boolean; limit: number }): Promise<EntryPage> {
    const rows = await loadEntries(this.db, { ...this.window(), ...options, limit: options.limit + 1 });
    // One more than asked says whether more follow; it is the farthest from the start of the read.
    const more = rows.length > options.limit;
    const kept = more ? (options.backward ? rows.slice(1) : rows.slice(0, options.limit)) : rows;
    return { entries: kept.map((row) => this.entry(row)), more };
  }

  /** Every entry of the range, in order: for the iCalendar feed (a bounded range) and the deprecated per-bucket entries. */
  allEntries(): Promise<CalendarEntry[]> {
    return (this.everyEntry ??= loadEntries(this.db, this.window()).then((rows) => rows.map((row) => this.entry(row))));
  }

  findings(): Promise<Finding[]> {
    return (this.found ??= findingsOf(this.db, this.findingQuery()));
  }

  /** The pieces of some findings (a page of them), in one statement. */
  findingPieces(findings: Finding[]): Promise<Map<Finding, CalendarPiece[]>> {
    return findingPieces(this.db, this.findingQuery(), this.targeting, findings);
  }

  private window() {
    return { workspaceId: this.workspaceId, from: this.from, to: this.to, filter: this.filter };
  }

  private findingQuery(): FindingQuery {
    return { ...this.window(), timeZone: this.timeZone, taxonomy: this.taxonomy };
  }

  private entry(row: EntryRow): CalendarEntry {
    return { ...row, timeZone: this.timeZone, targeting: this.targeting };
  }
}

export async function openCalendar(db: CalendarDatabase, workspaceId: string, args: CalendarArgs): Promise<Calendar> {
  const timeZone = args.timeZone ?? 'UTC';
  checkRange(args.from, args.to);
  if (!isTimeZone(timeZone)) throw badUserInput('timeZone', 'not a known IANA time zone, e.g. "Europe/Amsterdam" or "UTC"', timeZone);
  const taxonomy = await loadTaxonomy(db, workspaceId);
  if (!taxonomy) throw new Error(`Workspace ${workspaceId} vanished during the request`);
  return new Calendar(db, workspaceId, taxonomy, resolveFilter(taxonomy, args), args.from, args.to, timeZone, args.groupBy ?? 'DAY');
}

function checkRange(from: Date, to: Date) {
  if (to.getTime() <= from.getTime()) throw badUserInput('to', 'must be after "from" (the range is [from, to))', to.toISOString());
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY) {
    throw badUserInput('to', `the range may span at most ${MAX_RANGE_DAYS} days`, to.toISOString());
  }
}

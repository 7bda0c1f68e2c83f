import { badUserInput } from '../errors.js';
import { Prisma } from '../generated/sqlite/client.js';
import type { Phase } from '../generated/sqlite/client.js';
import type { ContentFormat, ContentStatus, Scope } from '../generated/sqlite/enums.js';
import type { PhaseRef } from '../shared/refs.js';
import type { Taxonomy } from './taxonomy.js';

/**
 * The calendar's filters, resolved from keys to ids against the taxonomy
 * (an unknown key is refused naming its argument), and written as SQL
 * conditions on a piece. Filters combine: a piece shows when it has a phase
 * the phase and scope filters allow, a channel in channels, and a segment in
 * segments (a generic piece matches when a journey of its allowed phases
 * holds one of them), in one of the statuses and formats.
 */
export interface FilterArgs {
  segments?: readonly string[] | null;
  /** "journey:phase", or a bare phase key when only one journey has it (deprecated form). */
  phases?: readonly string[] | null;
  phaseRefs?: readonly PhaseRef[] | null;
  scope?: Scope | null;
  channels?: readonly string[] | null;
  statuses?: readonly ContentStatus[] | null;
  formats?: readonly ContentFormat[] | null;
}

export interface CalendarFilter {
  segments: Set<string> | null;
  /** The phases a piece needs one of: those the phase and scope filters allow; null when neither is given. */
  phases: Set<string> | null;
  channels: Set<string> | null;
  statuses: readonly ContentStatus[] | null;
  formats: readonly ContentFormat[] | null;
  /** With a segment filter: the allowed phases whose journey holds a filtered segment; a generic piece needs one. */
  genericPhases: Set<string> | null;
  phaseAllowed(phase: Phase): boolean;
}

export function resolveFilter(taxonomy: Taxonomy, args: FilterArgs): CalendarFilter {
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
  const named = namedPhases(taxonomy, args);
  const scope = args.scope ?? null;
  const phaseAllowed = (phase: Phase) => (!named || named.has(phase.id)) && (!scope || phase.scope === scope);
  const phases = named || scope ? new Set(taxonomy.phases.filter(phaseAllowed).map((p) => p.id)) : null;
  const journeys = segments ? new Set(taxonomy.segments.filter((s) => segments.has(s.id)).map((s) => s.journeyId)) : null;
  const genericPhases = journeys ? new Set(taxonomy.phases.filter((p) => phaseAllowed(p) && journeys.has(p.journeyId)).map((p) => p.id)) : null;
  return { segments, phases, channels, statuses: args.statuses ?? null, formats: args.formats ?? null, genericPhases, phaseAllowed };
}

/** The phases named by phaseRefs and by the deprecated phases strings, together; null when neither is given. */
function namedPhases(taxonomy: Taxonomy, args: FilterArgs): Set<string> | null {
  if (!args.phases && !args.phaseRefs) return null;
  const refs = (args.phaseRefs ?? []).map((ref) => phaseOfRef(taxonomy, ref).id);
  const strings = (args.phases ?? []).map((ref) => phaseOfString(taxonomy, ref).id);
  return new Set([...refs, ...strings]);
}

function phaseOfRef(taxonomy: Taxonomy, ref: PhaseRef): Phase {
  const phase = taxonomy.phases.find((p) => p.key === ref.phase && taxonomy.journeys.get(p.journeyId)?.key === ref.journey);
  if (!phase) throw badUserInput('phaseRefs', `no phase "${ref.phase}" in journey "${ref.journey}" in this workspace`, ref);
  return phase;
}

/** "journey:phase", or a bare phase key that only one journey of the workspace has. */
function phaseOfString(taxonomy: Taxonomy, ref: string): Phase {
  const [journeyKey, phaseKey] = ref.includes(':') ? ref.split(':', 2) : [null, ref];
  const candidates = taxonomy.phases.filter((p) => p.key === phaseKey && (journeyKey === null || taxonomy.journeys.get(p.journeyId)?.key === journeyKey));
  if (candidates.length === 1) return candidates[0] as Phase;
  if (candidates.length === 0) throw badUserInput('phases', `no phase "${ref}" in this workspace (write "journey:phase")`, ref);
  const journeys = candidates.map((p) => `"${taxonomy.journeys.get(p.journeyId)?.key}:${p.key}"`).join(' or ');
  throw badUserInput('phases', `phase key "${ref}" is in more than one journey: write ${journeys}`, ref);
}

/**
 * The phase, channel and segment filters as conditions on the piece with id
 * `pieceId` (an SQL expression), each an index lookup in a link table;
 * nothing when none is given. Every piece has a phase and a channel (the
 * API refuses pieces without, and phases and channels in use cannot be
 * deleted), so no filter needs no lookup.
 */
export function targetingConditions(filter: CalendarFilter, pieceId: Prisma.Sql): Prisma.Sql {
  const conditions: Prisma.Sql[] = [];
  if (filter.phases) conditions.push(linked('ContentPhase', 'phaseId', pieceId, filter.phases));
  if (filter.channels) conditions.push(linked('ContentChannel', 'channelId', pieceId, filter.channels));
  if (filter.segments) {
    const generic = Prisma.sql`NOT EXISTS (SELECT 1 FROM "ContentSegment" l WHERE l."pieceId" = ${pieceId}) AND ${linked('ContentPhase', 'phaseId', pieceId, filter.genericPhases ?? new Set())}`;
    conditions.push(Prisma.sql`(${linked('ContentSegment', 'segmentId', pieceId, filter.segments)} OR (${generic}))`);
  }
  return conditions.length ? Prisma.sql`AND ${Prisma.join(conditions, ' AND ')}` : Prisma.empty;
}

/** The status and format filters on a ContentPiece row `p`. */
export function pieceConditions(filter: CalendarFilter, p: string): Prisma.Sql {
  const statuses = filter.statuses ? Prisma.sql`AND ${Prisma.raw(p)}.status IN (${listOf(filter.statuses)})` : Prisma.empty;
  const formats = filter.formats ? Prisma.sql`AND ${Prisma.raw(p)}.format IN (${listOf(filter.formats)})` : Prisma.empty;
  return Prisma.sql`${statuses} ${formats}`;
}

/** The piece has a row in `table` whose `column` is one of `ids`. */
function linked(table: string, column: string, pieceId: Prisma.Sql, ids: Set<string>): Prisma.Sql {
  if (ids.size === 0) return Prisma.sql`1 = 0`;
  return Prisma.sql`EXISTS (SELECT 1 FROM ${Prisma.raw(`"${table}"`)} l WHERE l."pieceId" = ${pieceId} AND l.${Prisma.raw(`"${column}"`)} IN (${Prisma.join([...ids])}))`;
}

/** A list for IN (...): an empty filter list matches nothing. */
export function listOf(values: readonly string[]): Prisma.Sql {
  return values.length ? Prisma.join(values) : Prisma.sql`NULL`;
}

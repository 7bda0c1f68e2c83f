import { workspaceId, type Context } from '../context.js';
import { databaseIdOf } from '../shared/global-id.js';
import type { Tx } from '../shared/mutation.js';
import type { PhaseRef } from '../shared/refs.js';
import type { UserErrorShape } from '../shared/user-errors.js';
import { idSchema, refSchema } from '../shared/validation.js';
import { collect } from './validation.js';
import { oneByOne } from '../db/one-by-one.js';

/**
 * A piece's targeting as its inputs name it (keys, phase references,
 * touchpoint IDs), resolved to database ids inside the caller's workspace.
 * One lookup per kind serves a whole batch of inputs, so an import of a
 * thousand rows costs the same four queries as a single create.
 */
export interface TargetingInput {
  phases?: PhaseRef[] | null;
  channels?: string[] | null;
  segments?: string[] | null;
  touchpoints?: string[] | null;
}

/** Resolved ids; a list absent from the input stays undefined (unchanged on update). */
export interface Targeting {
  phaseIds?: string[];
  channelIds?: string[];
  segmentIds?: string[];
  touchpointIds?: string[];
}

/** What is stored for a piece being updated, to check the segment rule against. */
export interface StoredTargeting {
  phases: { id: string; journeyId: string }[];
  segments: { id: string; key: string; journeyId: string }[];
}

interface PhaseHit {
  id: string;
  journeyId: string;
}
interface SegmentHit {
  id: string;
  key: string;
  journeyId: string;
}

export interface TargetingIndex {
  phases: Map<string, PhaseHit>;
  channels: Map<string, string>;
  segments: Map<string, SegmentHit>;
  touchpoints: Set<string>;
}

const refKey = (ref: PhaseRef) => `${ref.journey}\u0000${ref.phase}`;

/** Loads every phase, channel, segment and touchpoint the inputs reference: at most four queries. */
export async function loadTargetingIndex(tx: Tx, ctx: Context, inputs: TargetingInput[]): Promise<TargetingIndex> {
  const ws = workspaceId(ctx);
  // References that break the string rules are never looked up; resolveTargeting reports them.
  const refs = inputs.flatMap((i) => i.phases ?? []).filter((ref) => isRef(ref.journey) && isRef(ref.phase));
  const channelKeys = unique(inputs.flatMap((i) => i.channels ?? []).filter(isRef));
  const segmentKeys = unique(inputs.flatMap((i) => i.segments ?? []).filter(isRef));
  const touchpointIds = unique(inputs.flatMap((i) => (i.touchpoints ?? []).map(touchpointDbId).filter((id): id is string => id !== null)));

  const [phases, channels, segments, touchpoints] = await oneByOne(
    () =>
      refs.length === 0
        ? []
        : tx.phase.findMany({
            // A superset (any listed phase key in any listed journey), narrowed by exact pair below.
            where: { workspaceId: ws, key: { in: unique(refs.map((r) => r.phase)) }, journey: { key: { in: unique(refs.map((r) => r.journey)) } } },
            select: { id: true, key: true, journeyId: true, journey: { select: { key: true } } },
          }),
    () => (channelKeys.length === 0 ? [] : tx.channel.findMany({ where: { workspaceId: ws, key: { in: channelKeys } }, select: { id: true, key: true } })),
    () =>
      segmentKeys.length === 0
        ? []
        : tx.segment.findMany({ where: { workspaceId: ws, key: { in: segmentKeys } }, select: { id: true, key: true, journeyId: true } }),
    () => (touchpointIds.length === 0 ? [] : tx.touchpoint.findMany({ where: { workspaceId: ws, id: { in: touchpointIds } }, select: { id: true } })),
  );
  return {
    phases: new Map(phases.map((p) => [refKey({ journey: p.journey.key, phase: p.key }), { id: p.id, journeyId: p.journeyId }])),
    channels: new Map(channels.map((c) => [c.key, c.id])),
    segments: new Map(segments.map((s) => [s.key, s])),
    touchpoints: new Set(touchpoints.map((t) => t.id)),
  };
}

/**
 * Resolves one input against the index. Unknown references become NOT_FOUND
 * errors naming the list index (e.g. input.channels.1), malformed ones
 * INVALID errors; duplicates collapse.
 * A segment must follow a journey that holds at least one of the piece's
 * phases, else its content could never reach that segment (INVALID).
 */
export function resolveTargeting(
  index: TargetingIndex,
  input: TargetingInput,
  path: string[],
  errors: UserErrorShape[],
  stored?: StoredTargeting,
): Targeting {
  const result: Targeting = {};
  const validKey = (key: string, at: string[]) => collect(refSchema, key, at, errors) !== null;
  const validRef = (ref: PhaseRef, at: string[]) => validKey(ref.journey, [...at, 'journey']) && validKey(ref.phase, [...at, 'phase']);
  const validId = (globalId: string, at: string[]) => collect(idSchema, globalId, at, errors) !== null;
  let phases: PhaseHit[] | undefined;
  if (input.phases) {
    phases = resolveList(input.phases, [...path, 'phases'], errors, validRef, (ref) => index.phases.get(refKey(ref)), (ref) => `No phase "${ref.phase}" in journey "${ref.journey}" in this workspace.`);
    result.phaseIds = unique(phases.map((p) => p.id));
  }
  if (input.channels) {
    result.channelIds = unique(
      resolveList(input.channels, [...path, 'channels'], errors, validKey, (key) => index.channels.get(key), (key) => `No channel with key "${key}" in this workspace.`),
    );
  }
  let segments: SegmentHit[] | undefined;
  if (input.segments) {
    segments = resolveList(input.segments, [...path, 'segments'], errors, validKey, (key) => index.segments.get(key), (key) => `No segment with key "${key}" in this workspace.`);
    result.segmentIds = unique(segments.map((s) => s.id));
  }
  if (input.touchpoints) {
    result.touchpointIds = unique(
      resolveList(
        input.touchpoints,
        [...path, 'touchpoints'],
        errors,
        validId,
        (globalId) => {
          const id = touchpointDbId(globalId);
          return id !== null && index.touchpoints.has(id) ? id : undefined;
        },
        (globalId) => `No Touchpoint with id "${globalId}" in this workspace.`,
      ),
    );
  }
  checkSegmentsFollowPhases(input, path, errors, phases ?? stored?.phases, segments, stored);
  return result;
}

function checkSegmentsFollowPhases(
  input: TargetingInput,
  path: string[],
  errors: UserErrorShape[],
  phases: PhaseHit[] | undefined,
  given: SegmentHit[] | undefined,
  stored: StoredTargeting | undefined,
) {
  // With an unresolved reference the rule cannot be judged; the NOT_FOUND already explains.
  if (!phases || phases.length === 0 || (input.phases && phases.length !== input.phases.length)) return;
  const journeys = new Set(phases.map((p) => p.journeyId));
  if (given && input.segments) {
    input.segments.forEach((key, i) => {
      const segment = given.find((s) => s.key === key);
      if (segment && !journeys.has(segment.journeyId)) {
        errors.push({ field: [...path, 'segments', String(i)], code: 'INVALID', message: `Segment "${key}" follows a journey that contains none of the piece's phases.` });
      }
    });
  } else if (stored && input.phases) {
    const orphan = stored.segments.find((s) => !journeys.has(s.journeyId));
    if (orphan) {
      errors.push({ field: [...path, 'phases'], code: 'INVALID', message: `The piece targets segment "${orphan.key}", whose journey would contain none of these phases; change its segments too.` });
    }
  }
}

/**
 * Maps each item through `find`, recording NOT_FOUND at its index; keeps only
 * the hits. An item `valid` refuses (recording why) is not looked for.
 */
function resolveList<I, R>(
  items: I[],
  path: string[],
  errors: UserErrorShape[],
  valid: (item: I, at: string[]) => boolean,
  find: (item: I) => R | undefined,
  missing: (item: I) => string,
): R[] {
  const hits: R[] = [];
  items.forEach((item, i) => {
    const at = [...path, String(i)];
    if (!valid(item, at)) return;
    const hit = find(item);
    if (hit === undefined) errors.push({ field: at, code: 'NOT_FOUND', message: missing(item) });
    else hits.push(hit);
  });
  return hits;
}

const isRef = (key: string) => refSchema.safeParse(key).success;

function touchpointDbId(globalId: string): string | null {
  return idSchema.safeParse(globalId).success ? databaseIdOf(globalId, 'Touchpoint') : null;
}

export function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

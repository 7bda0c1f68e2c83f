import { z } from 'zod';
import { workspaceId, type Context } from '../context.js';
import type { Archetype, Scope } from '../generated/sqlite/enums.js';
import { idOf } from '../shared/global-id.js';
import type { Tx } from '../shared/mutation.js';
import { refuse } from '../shared/user-errors.js';
import { descriptionSchema, keySchema, nameSchema } from '../shared/validation.js';
import { DEFAULT_SCOPE } from './templates.js';
import { oneByOne } from '../db/one-by-one.js';

/**
 * What the journey and phase mutations share: validation, workspace-scoped
 * lookups, and keeping positions 0-based and consecutive.
 */

/** The most phases one journey model holds; a journey is a handful of steps, not a catalogue. */
export const MAX_PHASES = 50;

export const journeyFields = z.object({ key: keySchema, name: nameSchema, description: descriptionSchema });
export const phaseFields = z.object({ key: keySchema, name: nameSchema, description: descriptionSchema });
export const positionSchema = z.number().int().min(0, 'must be 0 or more').nullish();

export interface NewPhase {
  key: string;
  name: string;
  description?: string | null;
  archetype: Archetype;
  scope?: Scope | null;
}

export async function ownedJourney(tx: Tx, ctx: Context, globalId: string) {
  const id = idOf(globalId, 'JourneyModel', ['input', 'id']);
  const journey = await tx.journeyModel.findFirst({ where: { id, workspaceId: workspaceId(ctx) } });
  return journey ?? refuse(['input', 'id'], 'NOT_FOUND', `No JourneyModel with id "${globalId}" in this workspace.`);
}

export async function ownedPhase(tx: Tx, ctx: Context, globalId: string) {
  const id = idOf(globalId, 'Phase', ['input', 'id']);
  const phase = await tx.phase.findFirst({ where: { id, workspaceId: workspaceId(ctx) } });
  return phase ?? refuse(['input', 'id'], 'NOT_FOUND', `No Phase with id "${globalId}" in this workspace.`);
}

export async function assertJourneyKeyFree(tx: Tx, ctx: Context, key: string) {
  const taken = await tx.journeyModel.findUnique({ where: { workspaceId_key: { workspaceId: workspaceId(ctx), key } }, select: { id: true } });
  if (taken) refuse(['input', 'key'], 'CONFLICT', `A journey model with key "${key}" already exists.`);
}

export async function assertPhaseKeyFree(tx: Tx, journeyId: string, key: string, field: string[]) {
  const taken = await tx.phase.findUnique({ where: { journeyId_key: { journeyId, key } }, select: { id: true } });
  if (taken) refuse(field, 'CONFLICT', `This journey already has a phase with key "${key}".`);
}

/** Refuses a list of new phases that repeats a key (CONFLICT on the later one) or is too long. */
export function assertPhaseList(phases: { key: string }[], field: string[]) {
  if (phases.length > MAX_PHASES) refuse(field, 'TOO_MANY', `A journey model holds at most ${MAX_PHASES} phases; got ${phases.length}.`);
  const seen = new Set<string>();
  phases.forEach((phase, index) => {
    if (seen.has(phase.key)) refuse([...field, String(index), 'key'], 'CONFLICT', `Phase key "${phase.key}" appears more than once.`);
    seen.add(phase.key);
  });
}

/** Adds phases at the end of a fresh journey, in the order given; scope defaults from the archetype. */
export async function appendPhases(tx: Tx, ctx: Context, journeyId: string, phases: NewPhase[]) {
  if (phases.length === 0) return;
  await tx.phase.createMany({
    data: phases.map((phase, position) => ({
      workspaceId: workspaceId(ctx),
      journeyId,
      key: phase.key,
      name: phase.name,
      description: phase.description ?? null,
      archetype: phase.archetype,
      scope: phase.scope ?? DEFAULT_SCOPE[phase.archetype],
      position,
    })),
  });
}

/** The journey's phase ids in their current order. */
export async function phaseOrder(tx: Tx, journeyId: string): Promise<string[]> {
  const phases = await tx.phase.findMany({ where: { journeyId }, orderBy: [{ position: 'asc' }, { id: 'asc' }], select: { id: true } });
  return phases.map((phase) => phase.id);
}

/** Writes positions 0..n-1 in the order given, touching only the phases whose position changes. */
export async function renumber(tx: Tx, journeyId: string, orderedIds: string[]) {
  const current = await tx.phase.findMany({ where: { journeyId }, select: { id: true, position: true } });
  const was = new Map(current.map((phase) => [phase.id, phase.position]));
  for (const [position, id] of orderedIds.entries()) {
    if (was.get(id) !== position) await tx.phase.update({ where: { id }, data: { position } });
  }
}

/** How many content pieces, touchpoints and coverage rules use any of these phases. */
export async function phaseUsage(tx: Tx, phaseIds: string[]) {
  const where = { phaseId: { in: phaseIds } };
  const [pieces, touchpoints, rules] = await oneByOne(
    // Distinct pieces: one piece may target several of the phases.
    () => tx.contentPiece.count({ where: { phases: { some: where } } }),
    () => tx.touchpoint.count({ where }),
    () => tx.coverageRule.count({ where }),
  );
  return { pieces, touchpoints, rules, total: pieces + touchpoints + rules };
}

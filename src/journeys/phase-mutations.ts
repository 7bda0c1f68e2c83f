import { z } from 'zod';
import { builder } from '../builder.js';
import { workspaceId } from '../context.js';
import { runMutation } from '../shared/mutation.js';
import { DeletePayload } from '../shared/payloads.js';
import { journeyByKey } from '../shared/refs.js';
import { refuse } from '../shared/user-errors.js';
import { parseInput, refSchema } from '../shared/validation.js';
import { Archetype, Scope } from './enums.js';
import { JourneyPayload, PhasePayload } from './model.js';
import { assertPhaseKeyFree, MAX_PHASES, ownedPhase, phaseFields, phaseOrder, phaseUsage, positionSchema, renumber } from './store.js';
import { DEFAULT_SCOPE } from './templates.js';

// Phase mutations (ADMIN). Positions stay 0-based and consecutive after each one.

const CreatePhaseInput = builder.inputType('CreatePhaseInput', {
  description: 'A new phase in an existing journey model.',
  fields: (t) => ({
    journey: t.string({ required: true, description: 'The journey model\'s key.' }),
    key: t.string({ required: true, description: 'Stable key, unique within the journey: lowercase letters, digits, "-" and "_".' }),
    name: t.string({ required: true, description: 'Display name.' }),
    description: t.string({ description: 'The phase\'s goal.' }),
    archetype: t.field({ type: Archetype, required: true, description: 'What kind of step it is.' }),
    scope: t.field({ type: Scope, description: 'Become, be or stay a customer; omit to take the archetype\'s default.' }),
    position: t.int({ description: 'Where to insert it (0 = first); later phases move one place down. Omit to append it at the end.' }),
  }),
});

const UpdatePhaseInput = builder.inputType('UpdatePhaseInput', {
  description: 'Changes to a phase; omitted fields stay as they are.',
  fields: (t) => ({
    id: t.id({ required: true, description: 'The phase\'s global ID.' }),
    key: t.string({ description: 'New key, unique within the journey.' }),
    name: t.string({ description: 'New name.' }),
    description: t.string({ description: 'New goal; null removes it.' }),
    archetype: t.field({ type: Archetype, description: 'New archetype. The scope stays as it is unless scope is given too.' }),
    scope: t.field({ type: Scope, description: 'New scope.' }),
    position: t.int({ description: 'Move it to this position (0 = first); the phases in between shift by one.' }),
  }),
});

const DeletePhaseInput = builder.inputType('DeletePhaseInput', {
  description: 'The phase to delete.',
  fields: (t) => ({ id: t.id({ required: true, description: 'The phase\'s global ID.' }) }),
});

const ReorderPhasesInput = builder.inputType('ReorderPhasesInput', {
  description: 'A new order for all phases of one journey model.',
  fields: (t) => ({
    journey: t.string({ required: true, description: 'The journey model\'s key.' }),
    phases: t.stringList({ required: true, description: 'Every phase key of the journey exactly once, in the new order.' }),
  }),
});

const createPhaseFields = phaseFields.extend({ position: positionSchema });
const updatePhaseFields = phaseFields.partial().extend({ position: positionSchema });
const reorderFields = z.object({ journey: refSchema, phases: z.array(refSchema) });

/** Like every list: more phases than this are no journey anyone draws. */
const MAX_REORDERED = 100;

builder.mutationFields((t) => ({
  createPhase: t.field({
    type: PhasePayload,
    description: 'Adds a phase to a journey model, at the end or at a given position. ADMIN.',
    authScopes: { admin: true },
    args: { input: t.arg({ type: CreatePhaseInput, required: true, description: 'The new phase.' }) },
    resolve: (_root, { input }, ctx) =>
      runMutation(ctx, async (tx) => {
        const data = parseInput(createPhaseFields, input);
        const journey = await journeyByKey(tx, ctx, input.journey, ['input', 'journey']);
        const order = await phaseOrder(tx, journey.id);
        if (order.length >= MAX_PHASES) refuse(['input', 'journey'], 'TOO_MANY', `Journey model "${journey.key}" already holds the maximum of ${MAX_PHASES} phases.`);
        const position = data.position ?? order.length;
        if (position > order.length) refuse(['input', 'position'], 'INVALID', `must be between 0 and ${order.length} (the number of phases)`);
        await assertPhaseKeyFree(tx, journey.id, data.key, ['input', 'key']);
        const phase = await tx.phase.create({
          data: {
            workspaceId: workspaceId(ctx),
            journeyId: journey.id,
            key: data.key,
            name: data.name,
            description: data.description ?? null,
            archetype: input.archetype,
            scope: input.scope ?? DEFAULT_SCOPE[input.archetype],
            position,
          },
        });
        order.splice(position, 0, phase.id);
        await renumber(tx, journey.id, order);
        return { phase: await tx.phase.findUniqueOrThrow({ where: { id: phase.id } }) };
      }),
  }),
  updatePhase: t.field({
    type: PhasePayload,
    description: 'Changes a phase, or moves it to another position. ADMIN.',
    authScopes: { admin: true },
    args: { input: t.arg({ type: UpdatePhaseInput, required: true, description: 'The changes.' }) },
    resolve: (_root, { input }, ctx) =>
      runMutation(ctx, async (tx) => {
        const existing = await ownedPhase(tx, ctx, input.id);
        const data = parseInput(updatePhaseFields, input);
        if (data.key && data.key !== existing.key) await assertPhaseKeyFree(tx, existing.journeyId, data.key, ['input', 'key']);
        if (data.position != null && data.position !== existing.position) {
          const order = (await phaseOrder(tx, existing.journeyId)).filter((id) => id !== existing.id);
          if (data.position > order.length) refuse(['input', 'position'], 'INVALID', `must be between 0 and ${order.length} (the last position)`);
          order.splice(data.position, 0, existing.id);
          await renumber(tx, existing.journeyId, order);
        }
        const phase = await tx.phase.update({
          where: { id: existing.id },
          data: {
            key: data.key,
            name: data.name,
            description: data.description,
            // Null is treated like omitted: archetype and scope are never empty.
            archetype: input.archetype ?? undefined,
            scope: input.scope ?? undefined,
          },
        });
        return { phase };
      }),
  }),
  deletePhase: t.field({
    type: DeletePayload,
    description: 'Deletes a phase that no content piece, touchpoint or coverage rule uses; later phases move up one place. ADMIN.',
    authScopes: { admin: true },
    args: { input: t.arg({ type: DeletePhaseInput, required: true, description: 'The phase to delete.' }) },
    resolve: (_root, { input }, ctx) =>
      runMutation(ctx, async (tx) => {
        const existing = await ownedPhase(tx, ctx, input.id);
        const usage = await phaseUsage(tx, [existing.id]);
        if (usage.total > 0) {
          refuse(['input', 'id'], 'IN_USE', `Phase "${existing.key}" is used by ${usage.pieces} content piece(s), ${usage.touchpoints} touchpoint(s) and ${usage.rules} coverage rule(s).`);
        }
        await tx.phase.delete({ where: { id: existing.id } });
        await renumber(tx, existing.journeyId, await phaseOrder(tx, existing.journeyId));
        return { deletedId: input.id };
      }),
  }),
  reorderPhases: t.field({
    type: JourneyPayload,
    description: 'Puts all phases of a journey model in a new order. ADMIN.',
    authScopes: { admin: true },
    args: { input: t.arg({ type: ReorderPhasesInput, required: true, description: 'The journey and its phase keys in the new order.' }) },
    resolve: (_root, { input }, ctx) =>
      runMutation(ctx, async (tx) => {
        // Before anything else: a huge list would otherwise be checked (and reported) key by key.
        if (input.phases.length > MAX_REORDERED) refuse(['input', 'phases'], 'TOO_MANY', `must list at most ${MAX_REORDERED} phases`);
        parseInput(reorderFields, input);
        const journey = await journeyByKey(tx, ctx, input.journey, ['input', 'journey']);
        const phases = await tx.phase.findMany({ where: { journeyId: journey.id }, select: { id: true, key: true } });
        const idByKey = new Map(phases.map((phase) => [phase.key, phase.id]));
        const problem = orderProblems(input.phases, [...idByKey.keys()]);
        if (problem) refuse(['input', 'phases'], 'INVALID', problem);
        await renumber(tx, journey.id, input.phases.map((key) => idByKey.get(key) as string));
        return { journey: await tx.journeyModel.update({ where: { id: journey.id }, data: { updatedAt: new Date() } }) };
      }),
  }),
}));

/** Why `given` is not a permutation of `expected`, or null when it is. */
function orderProblems(given: string[], expected: string[]): string | null {
  const known = new Set(expected);
  const counts = new Map<string, number>();
  for (const key of given) counts.set(key, (counts.get(key) ?? 0) + 1);
  const problems: string[] = [];
  const list = (keys: string[]) => keys.map((key) => `"${key}"`).join(', ');
  const missing = expected.filter((key) => !counts.has(key));
  const unknown = [...counts.keys()].filter((key) => !known.has(key));
  const duplicate = [...counts.entries()].filter(([key, n]) => n > 1 && known.has(key)).map(([key]) => key);
  if (missing.length) problems.push(`missing ${list(missing)}`);
  if (unknown.length) problems.push(`unknown ${list(unknown)}`);
  if (duplicate.length) problems.push(`duplicate ${list(duplicate)}`);
  return problems.length ? `must list every phase of the journey exactly once: ${problems.join('; ')}` : null;
}

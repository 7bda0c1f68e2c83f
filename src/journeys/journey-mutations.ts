import { z } from 'zod';
import { builder } from '../builder.js';
import { workspaceId } from '../context.js';
import { runMutation } from '../shared/mutation.js';
import { DeletePayload } from '../shared/payloads.js';
import { refuse } from '../shared/user-errors.js';
import { parseInput } from '../shared/validation.js';
import { Archetype, Scope } from './enums.js';
import { JourneyPayload } from './model.js';
import { appendPhases, assertJourneyKeyFree, assertPhaseList, journeyFields, ownedJourney, phaseFields, phaseUsage } from './store.js';

// Journey model mutations (ADMIN): create (optionally with its phases), update, delete.

const NewJourneyPhaseInput = builder.inputType('NewJourneyPhaseInput', {
  description: 'A phase created together with its journey model; phases take positions in the order listed.',
  fields: (t) => ({
    key: t.string({ required: true, description: 'Stable key, unique within the journey: lowercase letters, digits, "-" and "_".' }),
    name: t.string({ required: true, description: 'Display name.' }),
    description: t.string({ description: 'The phase\'s goal.' }),
    archetype: t.field({ type: Archetype, required: true, description: 'What kind of step it is.' }),
    scope: t.field({ type: Scope, description: 'Become, be or stay a customer; omit to take the archetype\'s default.' }),
  }),
});

const CreateJourneyInput = builder.inputType('CreateJourneyInput', {
  description: 'A new journey model, built by hand.',
  fields: (t) => ({
    key: t.string({ required: true, description: 'Stable key, unique in the workspace: lowercase letters, digits, "-" and "_".' }),
    name: t.string({ required: true, description: 'Display name.' }),
    description: t.string({ description: 'What the journey is for and who walks it.' }),
    phases: t.field({ type: [NewJourneyPhaseInput], description: 'Its phases in journey order; omit to add them later with createPhase.' }),
  }),
});

const UpdateJourneyInput = builder.inputType('UpdateJourneyInput', {
  description: 'Changes to a journey model; omitted fields stay as they are. Phases change through the phase mutations.',
  fields: (t) => ({
    id: t.id({ required: true, description: 'The journey model\'s global ID.' }),
    key: t.string({ description: 'New key.' }),
    name: t.string({ description: 'New name.' }),
    description: t.string({ description: 'New description; null removes it.' }),
  }),
});

const DeleteJourneyInput = builder.inputType('DeleteJourneyInput', {
  description: 'The journey model to delete.',
  fields: (t) => ({ id: t.id({ required: true, description: 'The journey model\'s global ID.' }) }),
});

const createJourneyFields = journeyFields.extend({ phases: z.array(phaseFields).nullish() });

builder.mutationFields((t) => ({
  createJourney: t.field({
    type: JourneyPayload,
    description: 'Adds a journey model, optionally with its phases in order. ADMIN.',
    authScopes: { admin: true },
    args: { input: t.arg({ type: CreateJourneyInput, required: true, description: 'The new journey model.' }) },
    resolve: (_root, { input }, ctx) =>
      runMutation(ctx, async (tx) => {
        const phases = input.phases ?? [];
        assertPhaseList(phases, ['input', 'phases']);
        const data = parseInput(createJourneyFields, input);
        await assertJourneyKeyFree(tx, ctx, data.key);
        const journey = await tx.journeyModel.create({
          data: { workspaceId: workspaceId(ctx), key: data.key, name: data.name, description: data.description ?? null },
        });
        await appendPhases(tx, ctx, journey.id, phases.map((phase, i) => ({ ...phase, ...data.phases?.[i] })));
        return { journey };
      }),
  }),
  updateJourney: t.field({
    type: JourneyPayload,
    description: 'Changes a journey model\'s key, name or description. ADMIN.',
    authScopes: { admin: true },
    args: { input: t.arg({ type: UpdateJourneyInput, required: true, description: 'The changes.' }) },
    resolve: (_root, { input }, ctx) =>
      runMutation(ctx, async (tx) => {
        const existing = await ownedJourney(tx, ctx, input.id);
        const data = parseInput(journeyFields.partial(), input);
        if (data.key && data.key !== existing.key) await assertJourneyKeyFree(tx, ctx, data.key);
        const journey = await tx.journeyModel.update({
          where: { id: existing.id },
          data: { key: data.key, name: data.name, description: data.description },
        });
        return { journey };
      }),
  }),
  deleteJourney: t.field({
    type: DeletePayload,
    description: 'Deletes a journey model and its phases, when no segment follows it and no content piece, touchpoint or coverage rule uses its phases. ADMIN.',
    authScopes: { admin: true },
    args: { input: t.arg({ type: DeleteJourneyInput, required: true, description: 'The journey model to delete.' }) },
    resolve: (_root, { input }, ctx) =>
      runMutation(ctx, async (tx) => {
        const existing = await ownedJourney(tx, ctx, input.id);
        const segments = await tx.segment.count({ where: { journeyId: existing.id } });
        if (segments > 0) refuse(['input', 'id'], 'IN_USE', `Journey model "${existing.key}" is followed by ${segments} segment(s); move them to another journey first.`);
        const phaseIds = (await tx.phase.findMany({ where: { journeyId: existing.id }, select: { id: true } })).map((p) => p.id);
        // Deleting the phases would silently drop content targeting and the strategist's map: refuse instead.
        const usage = await phaseUsage(tx, phaseIds);
        if (usage.total > 0) {
          refuse(['input', 'id'], 'IN_USE', `The phases of journey model "${existing.key}" are used by ${usage.pieces} content piece(s), ${usage.touchpoints} touchpoint(s) and ${usage.rules} coverage rule(s).`);
        }
        await tx.phase.deleteMany({ where: { journeyId: existing.id } });
        await tx.journeyModel.delete({ where: { id: existing.id } });
        return { deletedId: input.id };
      }),
  }),
}));

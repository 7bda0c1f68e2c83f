import type { ObjectRef } from '@pothos/core';
import { builder, type Types } from '../builder.js';
import { workspaceId, type Context } from '../context.js';
import { ContentFormat } from '../content/enums.js';
import { loadTargetingIndex, resolveTargeting } from '../content/targeting.js';
import { checkScheduled, checkWindow, collect, failIfAny, pieceFieldsSchema } from '../content/validation.js';
import type { Channel as ChannelRow, ContentPiece as ContentPieceRow, Phase as PhaseRow, Segment as SegmentRow, Touchpoint as TouchpointRow } from '../generated/sqlite/client.js';
import { inWorkspace, nodeScope } from '../nodes/node-lookup.js';
import { NeedType } from '../shared/enums.js';
import { idOf } from '../shared/global-id.js';
import { oldestFirst, keysetConnection, totalCountField } from '../shared/keyset.js';
import { runMutation, type Payload, type Tx } from '../shared/mutation.js';
import { DeletePayload } from '../shared/payloads.js';
import { PhaseRefInput } from '../shared/refs.js';
import { refuse, UserError, type UserErrorShape } from '../shared/user-errors.js';
import { descriptionSchema, nameSchema, parseInput } from '../shared/validation.js';
import { z } from 'zod';

/**
 * What-if scenarios (EDITOR): a named set of hypothetical changes, planned
 * pieces and changes to existing pieces, stored apart from the content so
 * no real answer, cache or webhook ever sees them. contentMatrix,
 * contentGaps and recommendedContent answer as if they were made when
 * asked with `scenario`; scenarioImpact compares; applyScenario makes them.
 */

/** The most planned pieces and changes one scenario holds: what one apply writes in its transaction. */
export const MAX_SCENARIO_ITEMS = 500;

function byName<Shape>(name: string): ObjectRef<Types, Shape> {
  return name as unknown as ObjectRef<Types, Shape>;
}

const ScenarioPieceStatus = builder.enumType('ScenarioPieceStatus', {
  description: 'The status a planned piece has, and gets when the scenario is applied: the start of the content workflow.',
  values: {
    IDEA: { description: 'Someone wants it; nothing is written yet.' },
    DRAFT: { description: 'Being written.' },
  } as const,
});

const ScenarioChangeKind = builder.enumType('ScenarioChangeKind', {
  description: 'What a scenario does to an existing content piece.',
  values: {
    ARCHIVE: { description: 'The piece is archived (setContentStatus ARCHIVED when applied).' },
    MOVE: { description: 'The piece is moved in time: its publishAt and expiresAt are replaced by the change\'s (updateContentPiece when applied).' },
  } as const,
});

export const Scenario = builder.prismaNode('Scenario', {
  description: 'A what-if scenario: planned pieces that do not exist and changes to existing pieces, never counted in real answers. Pass its id as `scenario` to contentMatrix, contentGaps or recommendedContent to see them as if made. EDITOR.',
  authScopes: { editor: true },
  id: { field: 'id' },
  findUnique: nodeScope('Scenario', inWorkspace),
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Its name, unique in the workspace.' }),
    description: t.exposeString('description', { nullable: true, description: 'What it tries out.' }),
    plannedPieces: t.relation('plannedPieces', { description: 'The pieces it plans, oldest first.', query: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] } }),
    pieceChanges: t.relation('pieceChanges', { description: 'What it does to existing pieces, oldest first.', query: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] } }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was created.' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When it or its list of changes last changed.' }),
  }),
});

builder.prismaNode('ScenarioPiece', {
  description: 'A piece a scenario plans: the fields and targeting of a content piece that does not exist. Applying the scenario creates it. EDITOR.',
  authScopes: { editor: true },
  id: { field: 'id' },
  findUnique: nodeScope('ScenarioPiece', inWorkspace),
  fields: (t) => ({
    title: t.exposeString('title', { description: 'Title.' }),
    summary: t.exposeString('summary', { nullable: true, description: 'A short summary.' }),
    format: t.expose('format', { type: ContentFormat, description: 'What kind of content it is.' }),
    status: t.field({ type: ScenarioPieceStatus, description: 'IDEA or DRAFT.', resolve: (p) => p.status as 'IDEA' | 'DRAFT' }),
    locale: t.expose('locale', { type: 'Locale', description: 'Its language.' }),
    publishAt: t.expose('publishAt', { type: 'DateTime', nullable: true, description: 'When it is meant to go live.' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true, description: 'When it is meant to stop being live.' }),
    reviewAt: t.expose('reviewAt', { type: 'DateTime', nullable: true, description: 'When it should be checked for freshness.' }),
    priority: t.exposeInt('priority', { description: '0..100.' }),
    needType: t.expose('needType', { type: NeedType, nullable: true, description: 'Whether it answers a functional or an emotional need.' }),
    phases: t.field({
      type: [byName<PhaseRow>('Phase')],
      description: 'The journey phases it would serve.',
      select: (_args, _ctx, nested) => ({ phases: { select: { phase: nested(true) }, orderBy: [{ phase: { journeyId: 'asc' } }, { phase: { position: 'asc' } }] } }),
      resolve: (piece) => piece.phases.map((link) => link.phase),
    }),
    channels: t.field({
      type: [byName<ChannelRow>('Channel')],
      description: 'The channels it would be for, by key.',
      select: (_args, _ctx, nested) => ({ channels: { select: { channel: nested(true) }, orderBy: { channel: { key: 'asc' } } } }),
      resolve: (piece) => piece.channels.map((link) => link.channel),
    }),
    segments: t.field({
      type: [byName<SegmentRow>('Segment')],
      description: 'The segments it would target, by key; empty: generic.',
      select: (_args, _ctx, nested) => ({ segments: { select: { segment: nested(true) }, orderBy: { segment: { key: 'asc' } } } }),
      resolve: (piece) => piece.segments.map((link) => link.segment),
    }),
    touchpoints: t.field({
      type: [byName<TouchpointRow>('Touchpoint')],
      description: 'The touchpoints it would serve.',
      select: (_args, _ctx, nested) => ({ touchpoints: { select: { touchpoint: nested(true) }, orderBy: { touchpoint: { name: 'asc' } } } }),
      resolve: (piece) => piece.touchpoints.map((link) => link.touchpoint),
    }),
  }),
});

builder.prismaNode('ScenarioChange', {
  description: 'What a scenario does to one existing content piece: archive it, or move it in time. EDITOR.',
  authScopes: { editor: true },
  id: { field: 'id' },
  findUnique: nodeScope('ScenarioChange', inWorkspace),
  fields: (t) => ({
    kind: t.expose('kind', { type: ScenarioChangeKind, description: 'Archive or move.' }),
    contentPiece: t.field({
      type: byName<ContentPieceRow>('ContentPiece'),
      description: 'The piece changed.',
      select: (_args, _ctx, nested) => ({ piece: nested(true) }),
      resolve: (change) => change.piece,
    }),
    publishAt: t.expose('publishAt', { type: 'DateTime', nullable: true, description: 'MOVE: the piece\'s new publishAt (null: none). Null for ARCHIVE.' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true, description: 'MOVE: the piece\'s new expiresAt (null: never). Null for ARCHIVE.' }),
  }),
});

builder.queryField('scenarios', (t) =>
  t.connection(
    {
      type: Scenario,
      description: 'The workspace\'s what-if scenarios, oldest first. EDITOR.',
      authScopes: { editor: true },
      resolve: (_root, args, ctx, info) =>
        keysetConnection({
          ctx, info, args, list: 'scenarios', typeName: 'Scenario', order: oldestFirst,
          where: { workspaceId: workspaceId(ctx) },
          findMany: (query) => ctx.prisma.scenario.findMany(query),
          count: (where) => ctx.prisma.scenario.count({ where }),
        }),
    },
    { fields: (t) => ({ totalCount: t.int(totalCountField) }) },
  ),
);

// Mutations (EDITOR).

const CreateScenarioInput = builder.inputType('CreateScenarioInput', {
  description: 'A new, empty what-if scenario.',
  fields: (t) => ({
    name: t.string({ required: true, description: 'Its name, unique in the workspace.' }),
    description: t.string({ description: 'What it tries out.' }),
  }),
});

const AddScenarioPieceInput = builder.inputType('AddScenarioPieceInput', {
  description: 'A piece a scenario plans, with the targeting a content piece has (checked the same way).',
  fields: (t) => ({
    scenario: t.id({ required: true, description: 'The scenario\'s global ID.' }),
    title: t.string({ required: true, description: 'Title.' }),
    summary: t.string({ description: 'A short summary.' }),
    format: t.field({ type: ContentFormat, required: true, description: 'What kind of content it is.' }),
    status: t.field({ type: ScenarioPieceStatus, defaultValue: 'IDEA', description: 'IDEA (default) or DRAFT: what applying the scenario creates.' }),
    locale: t.field({ type: 'Locale', required: true, description: 'Its language, e.g. nl-NL.' }),
    publishAt: t.field({ type: 'DateTime', description: 'When it is meant to go live.' }),
    expiresAt: t.field({ type: 'DateTime', description: 'When it is meant to stop being live; must be after publishAt.' }),
    reviewAt: t.field({ type: 'DateTime', description: 'When it should be checked for freshness.' }),
    priority: t.int({ defaultValue: 50, description: '0..100, default 50.' }),
    needType: t.field({ type: NeedType, description: 'Whether it answers a functional or an emotional need.' }),
    phases: t.field({ type: [PhaseRefInput], required: true, description: 'The phases it would serve; at least one.' }),
    channels: t.stringList({ required: true, description: 'Keys of its channels; at least one.' }),
    segments: t.stringList({ description: 'Keys of the segments it would target; omit or leave empty for generic content.' }),
    touchpoints: t.idList({ description: 'Global IDs of the touchpoints it would serve.' }),
  }),
});

const AddScenarioChangeInput = builder.inputType('AddScenarioChangeInput', {
  description: 'What a scenario does to an existing content piece; one change per piece and scenario.',
  fields: (t) => ({
    scenario: t.id({ required: true, description: 'The scenario\'s global ID.' }),
    piece: t.id({ required: true, description: 'The content piece\'s global ID.' }),
    kind: t.field({ type: ScenarioChangeKind, required: true, description: 'Archive it, or move it in time.' }),
    publishAt: t.field({ type: 'DateTime', description: 'MOVE: its new publishAt; omitted or null: none (not allowed for a SCHEDULED piece). Not with ARCHIVE.' }),
    expiresAt: t.field({ type: 'DateTime', description: 'MOVE: its new expiresAt, after publishAt; omitted or null: never. Not with ARCHIVE.' }),
  }),
});

const ScenarioIdInput = (name: string, what: string) =>
  builder.inputType(name, { description: what, fields: (t) => ({ id: t.id({ required: true, description: 'The global ID.' }) }) });
const DeleteScenarioInput = ScenarioIdInput('DeleteScenarioInput', 'The scenario to delete, with its planned pieces and changes (no content changes).');
const RemoveScenarioPieceInput = ScenarioIdInput('RemoveScenarioPieceInput', 'The planned piece to take out of its scenario.');
const RemoveScenarioChangeInput = ScenarioIdInput('RemoveScenarioChangeInput', 'The change to take out of its scenario.');

interface ScenarioPayloadShape extends Payload {
  scenarioId?: string | null;
}

const ScenarioPayload = builder.objectRef<ScenarioPayloadShape>('ScenarioPayload').implement({
  description: 'The result of a scenario mutation.',
  fields: (t) => ({
    scenario: t.prismaField({
      type: 'Scenario',
      nullable: true,
      description: 'The scenario as saved; null when refused.',
      resolve: (query, p, _args, ctx) => (p.scenarioId ? ctx.prisma.scenario.findUnique({ ...query, where: { id: p.scenarioId } }) : null),
    }),
    userErrors: t.field({ type: [UserError], description: 'Why the input was refused; empty on success.', resolve: (p) => p.userErrors }),
  }),
});

const scenarioFields = z.object({ name: nameSchema, description: descriptionSchema });
const plannedFields = pieceFieldsSchema.pick({ title: true, summary: true, priority: true, phases: true, channels: true, segments: true, touchpoints: true });

builder.mutationFields((t) => ({
  createScenario: t.field({
    type: ScenarioPayload,
    description: 'Starts an empty what-if scenario. EDITOR.',
    authScopes: { editor: true },
    args: { input: t.arg({ type: CreateScenarioInput, required: true, description: 'Its name and description.' }) },
    resolve: (_root, { input }, ctx) =>
      runMutation(ctx, async (tx) => {
        const data = parseInput(scenarioFields, input);
        const taken = await tx.scenario.findUnique({ where: { workspaceId_name: { workspaceId: workspaceId(ctx), name: data.name } }, select: { id: true } });
        if (taken) refuse(['input', 'name'], 'CONFLICT', `A scenario named "${data.name}" already exists.`);
        const scenario = await tx.scenario.create({ data: { workspaceId: workspaceId(ctx), name: data.name, description: data.description ?? null }, select: { id: true } });
        return { scenarioId: scenario.id };
      }, ['input']),
  }),
  addScenarioPiece: t.field({
    type: ScenarioPayload,
    description: 'Plans a piece in a scenario: checked like createContentPiece, created by applyScenario. EDITOR.',
    authScopes: { editor: true },
    args: { input: t.arg({ type: AddScenarioPieceInput, required: true, description: 'The planned piece.' }) },
    resolve: (_root, { input }, ctx) =>
      runMutation(ctx, async (tx) => {
        const scenario = await ownedScenario(tx, ctx, input.scenario, ['input', 'scenario']);
        const errors: UserErrorShape[] = [];
        const data = collect(plannedFields, input, ['input'], errors);
        checkWindow(input.publishAt, input.expiresAt, ['input'], errors);
        const targeting = resolveTargeting(await loadTargetingIndex(tx, ctx, [input]), input, ['input'], errors);
        failIfAny(errors);
        await checkRoom(tx, scenario.id);
        await tx.scenarioPiece.create({
          data: {
            scenarioId: scenario.id, workspaceId: workspaceId(ctx), title: data!.title, summary: data!.summary ?? null, format: input.format, status: input.status ?? 'IDEA',
            locale: input.locale, publishAt: input.publishAt ?? null, expiresAt: input.expiresAt ?? null, reviewAt: input.reviewAt ?? null, priority: data!.priority, needType: input.needType ?? null,
            phases: { create: (targeting.phaseIds ?? []).map((phaseId) => ({ phaseId })) },
            channels: { create: (targeting.channelIds ?? []).map((channelId) => ({ channelId })) },
            segments: { create: (targeting.segmentIds ?? []).map((segmentId) => ({ segmentId })) },
            touchpoints: { create: (targeting.touchpointIds ?? []).map((touchpointId) => ({ touchpointId })) },
          },
        });
        await touch(tx, scenario.id);
        return { scenarioId: scenario.id };
      }, ['input']),
  }),
  addScenarioChange: t.field({
    type: ScenarioPayload,
    description: 'Archives an existing piece, or moves it in time, in a scenario; one change per piece. The piece itself does not change until applyScenario. EDITOR.',
    authScopes: { editor: true },
    args: { input: t.arg({ type: AddScenarioChangeInput, required: true, description: 'The piece and what happens to it.' }) },
    resolve: (_root, { input }, ctx) =>
      runMutation(ctx, async (tx) => {
        const scenario = await ownedScenario(tx, ctx, input.scenario, ['input', 'scenario']);
        const pieceId = idOf(input.piece, 'ContentPiece', ['input', 'piece']);
        const piece = await tx.contentPiece.findFirst({ where: { id: pieceId, workspaceId: workspaceId(ctx) }, select: { id: true, status: true } });
        if (!piece) refuse(['input', 'piece'], 'NOT_FOUND', `No ContentPiece with id "${input.piece}" in this workspace.`);
        const errors: UserErrorShape[] = [];
        if (input.kind === 'ARCHIVE') {
          if (piece.status === 'ARCHIVED') errors.push({ field: ['input', 'piece'], code: 'INVALID_TRANSITION', message: 'The piece is archived already.' });
          for (const field of ['publishAt', 'expiresAt'] as const) {
            if (input[field] !== undefined && input[field] !== null) errors.push({ field: ['input', field], code: 'INVALID', message: 'only a MOVE sets dates' });
          }
        } else {
          checkWindow(input.publishAt, input.expiresAt, ['input'], errors);
          checkScheduled(piece.status, input.publishAt, ['input'], errors);
        }
        failIfAny(errors);
        if (await tx.scenarioChange.findUnique({ where: { scenarioId_pieceId: { scenarioId: scenario.id, pieceId } }, select: { id: true } })) {
          refuse(['input', 'piece'], 'CONFLICT', 'The scenario changes this piece already; remove that change first.');
        }
        await checkRoom(tx, scenario.id);
        const move = input.kind === 'MOVE';
        await tx.scenarioChange.create({
          data: { scenarioId: scenario.id, workspaceId: workspaceId(ctx), pieceId, kind: input.kind, publishAt: move ? input.publishAt ?? null : null, expiresAt: move ? input.expiresAt ?? null : null },
        });
        await touch(tx, scenario.id);
        return { scenarioId: scenario.id };
      }, ['input']),
  }),
  removeScenarioPiece: t.field({
    type: ScenarioPayload,
    description: 'Takes a planned piece out of its scenario. EDITOR.',
    authScopes: { editor: true },
    args: { input: t.arg({ type: RemoveScenarioPieceInput, required: true, description: 'The planned piece.' }) },
    resolve: (_root, { input }, ctx) =>
      runMutation(ctx, async (tx) => {
        const id = idOf(input.id, 'ScenarioPiece', ['input', 'id']);
        const piece = await tx.scenarioPiece.findFirst({ where: { id, workspaceId: workspaceId(ctx) }, select: { id: true, scenarioId: true } });
        if (!piece) refuse(['input', 'id'], 'NOT_FOUND', `No ScenarioPiece with id "${input.id}" in this workspace.`);
        await tx.scenarioPiece.delete({ where: { id: piece.id } });
        await touch(tx, piece.scenarioId);
        return { scenarioId: piece.scenarioId };
      }),
  }),
  removeScenarioChange: t.field({
    type: ScenarioPayload,
    description: 'Takes a change to an existing piece out of its scenario. EDITOR.',
    authScopes: { editor: true },
    args: { input: t.arg({ type: RemoveScenarioChangeInput, required: true, description: 'The change.' }) },
    resolve: (_root, { input }, ctx) =>
      runMutation(ctx, async (tx) => {
        const id = idOf(input.id, 'ScenarioChange', ['input', 'id']);
        const change = await tx.scenarioChange.findFirst({ where: { id, workspaceId: workspaceId(ctx) }, select: { id: true, scenarioId: true } });
        if (!change) refuse(['input', 'id'], 'NOT_FOUND', `No ScenarioChange with id "${input.id}" in this workspace.`);
        await tx.scenarioChange.delete({ where: { id: change.id } });
        await touch(tx, change.scenarioId);
        return { scenarioId: change.scenarioId };
      }),
  }),
  deleteScenario: t.field({
    type: DeletePayload,
    description: 'Deletes a scenario with its planned pieces and changes; no content changes. EDITOR.',
    authScopes: { editor: true },
    args: { input: t.arg({ type: DeleteScenarioInput, required: true, description: 'The scenario.' }) },
    resolve: (_root, { input }, ctx) =>
      runMutation(ctx, async (tx) => {
        const scenario = await ownedScenario(tx, ctx, input.id, ['input', 'id']);
        await tx.scenario.delete({ where: { id: scenario.id } });
        return { deletedId: input.id };
      }),
  }),
}));

/** A scenario of the caller's workspace, or NOT_FOUND on `field`. */
export async function ownedScenario(tx: Tx, ctx: Context, globalId: string, field: string[]) {
  const id = idOf(globalId, 'Scenario', field);
  const scenario = await tx.scenario.findFirst({ where: { id, workspaceId: workspaceId(ctx) }, select: { id: true, name: true } });
  return scenario ?? refuse(field, 'NOT_FOUND', `No Scenario with id "${globalId}" in this workspace.`);
}

async function checkRoom(tx: Tx, scenarioId: string) {
  const [pieces, changes] = [await tx.scenarioPiece.count({ where: { scenarioId } }), await tx.scenarioChange.count({ where: { scenarioId } })];
  if (pieces + changes >= MAX_SCENARIO_ITEMS) refuse(['input', 'scenario'], 'TOO_MANY', `A scenario holds at most ${MAX_SCENARIO_ITEMS} planned pieces and changes.`);
}

/** A scenario's updatedAt tells when its list of changes last changed. */
async function touch(tx: Tx, scenarioId: string) {
  await tx.scenario.update({ where: { id: scenarioId }, data: { updatedAt: new Date() } });
}

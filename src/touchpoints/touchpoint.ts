import { z } from 'zod';
import { builder } from '../builder.js';
import { workspaceId, type Context } from '../context.js';
import { badUserInput } from '../errors.js';
import type { Prisma, Touchpoint as TouchpointRow } from '../generated/sqlite/client.js';
import { inWorkspace, nodeScope } from '../nodes/node-lookup.js';
import { NeedType } from '../shared/enums.js';
import { idOf } from '../shared/global-id.js';
import { runMutation, type Payload, type Tx } from '../shared/mutation.js';
import { DeletePayload } from '../shared/payloads.js';
import { channelByKey, phaseByRef, PhaseRefInput, segmentByKey, type PhaseRef } from '../shared/refs.js';
import { refuse, UserError } from '../shared/user-errors.js';
import { descriptionSchema, labelSchema, MAX_DEVICE, nameSchema, parseInput } from '../shared/validation.js';
import { byId, keysetConnection, totalCountField, type ListOrder } from '../shared/keyset.js';

export const Touchpoint = builder.prismaNode('Touchpoint', {
  description: 'A concrete contact moment of the journey map (contactmoment): an order form, a confirmation e-mail, an intake call... It sits at one phase and one channel, and is what the strategist expects content for. EDITOR.',
  authScopes: { editor: true },
  id: { field: 'id' },
  findUnique: nodeScope('Touchpoint', inWorkspace),
  fields: (t) => ({
    name: t.exposeString('name', { description: 'What the moment is, e.g. "Order confirmation e-mail".' }),
    phase: t.relation('phase', { description: 'The journey phase it belongs to.' }),
    channel: t.relation('channel', { description: 'The channel it happens on.' }),
    segment: t.relation('segment', {
      nullable: true,
      description: 'The segment it is for; null means every segment that follows the phase\'s journey.',
    }),
    emotion: t.exposeInt('emotion', { description: 'What the customer feels here, from -2 (very negative) to +2 (very positive); painful moments are fixed first.' }),
    salesOpportunity: t.exposeBoolean('salesOpportunity', { description: 'Whether this is a moment to sell; not every touchpoint is.' }),
    device: t.exposeString('device', { nullable: true, description: 'The device the customer typically uses here, e.g. "mobile".' }),
    needType: t.expose('needType', { type: NeedType, nullable: true, description: 'Whether the customer has a functional or an emotional need here.' }),
    notes: t.exposeString('notes', { nullable: true, description: 'Context: what the customer wants, what goes wrong, what to keep in mind.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was created.' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When it last changed.' }),
  }),
});

/** Journey order: journey, phase position, then channel key and name. */
const JOURNEY_ORDER: ListOrder = {
  name: 'JOURNEY',
  keys: [
    { path: ['phase', 'journey', 'key'], direction: 'asc', kind: 'string' },
    { path: ['phase', 'position'], direction: 'asc', kind: 'number' },
    { path: ['channel', 'key'], direction: 'asc', kind: 'string' },
    { path: ['name'], direction: 'asc', kind: 'string' },
    byId,
  ],
};

builder.queryFields((t) => ({
  touchpoints: t.connection(
    {
      type: Touchpoint,
      description: 'The workspace\'s touchpoints, in journey order (phase position), then by channel key and name. EDITOR. Unknown keys in the filters are an error, not an empty list.',
      authScopes: { editor: true },
      args: {
        journey: t.arg.string({ description: 'Only touchpoints at phases of the journey model with this key.' }),
        phase: t.arg({ type: PhaseRefInput, description: 'Only touchpoints at this phase.' }),
        channel: t.arg.string({ description: 'Only touchpoints on the channel with this key.' }),
        segment: t.arg.string({
          description: 'Only touchpoints that apply to the segment with this key: those for that segment and those for every segment of its journey.',
        }),
      },
      resolve: async (_root, args, ctx, info) =>
        keysetConnection({
          ctx,
          info,
          args,
          list: 'touchpoints',
          typeName: 'Touchpoint',
          order: JOURNEY_ORDER,
          where: await touchpointFilter(ctx, args),
          findMany: (query) => ctx.prisma.touchpoint.findMany(query),
          count: (where) => ctx.prisma.touchpoint.count({ where }),
        }),
    },
    { fields: (t) => ({ totalCount: t.int(totalCountField) }) },
  ),
}));

interface TouchpointFilterArgs {
  journey?: string | null;
  phase?: PhaseRef | null;
  channel?: string | null;
  segment?: string | null;
}

async function touchpointFilter(ctx: Context, args: TouchpointFilterArgs): Promise<Prisma.TouchpointWhereInput> {
  const ws = workspaceId(ctx);
  const and: Prisma.TouchpointWhereInput[] = [{ workspaceId: ws }];
  if (args.journey != null) {
    const journey = await ctx.prisma.journeyModel.findUnique({ where: { workspaceId_key: { workspaceId: ws, key: args.journey } }, select: { id: true } });
    if (!journey) throw badUserInput('journey', `No journey model with key "${args.journey}" in this workspace.`, args.journey);
    and.push({ phase: { journeyId: journey.id } });
  }
  if (args.phase != null) {
    const { journey, phase: key } = args.phase;
    const phase = await ctx.prisma.phase.findFirst({ where: { workspaceId: ws, key, journey: { key: journey } }, select: { id: true } });
    if (!phase) throw badUserInput('phase', `No phase "${key}" in journey "${journey}" in this workspace.`, args.phase);
    and.push({ phaseId: phase.id });
  }
  if (args.channel != null) {
    const channel = await ctx.prisma.channel.findUnique({ where: { workspaceId_key: { workspaceId: ws, key: args.channel } }, select: { id: true } });
    if (!channel) throw badUserInput('channel', `No channel with key "${args.channel}" in this workspace.`, args.channel);
    and.push({ channelId: channel.id });
  }
  if (args.segment != null) {
    const segment = await ctx.prisma.segment.findUnique({ where: { workspaceId_key: { workspaceId: ws, key: args.segment } }, select: { id: true, journeyId: true } });
    if (!segment) throw badUserInput('segment', `No segment with key "${args.segment}" in this workspace.`, args.segment);
    and.push({ OR: [{ segmentId: segment.id }, { segmentId: null, phase: { journeyId: segment.journeyId } }] });
  }
  return { AND: and };
}

// Mutations (EDITOR): create, update, delete.

const CreateTouchpointInput = builder.inputType('CreateTouchpointInput', {
  description: 'A new touchpoint.',
  fields: (t) => ({
    name: t.string({ required: true, description: 'What the moment is.' }),
    phase: t.field({ type: PhaseRefInput, required: true, description: 'The phase it belongs to.' }),
    channel: t.string({ required: true, description: 'The key of the channel it happens on.' }),
    segment: t.string({ description: 'The key of the segment it is for; it must follow the phase\'s journey. Omit for every segment of that journey.' }),
    emotion: t.int({ description: 'From -2 (very negative) to +2 (very positive); 0 when omitted.' }),
    salesOpportunity: t.boolean({ description: 'Whether this is a moment to sell; false when omitted.' }),
    device: t.string({ description: 'The device the customer typically uses here.' }),
    needType: t.field({ type: NeedType, description: 'Functional or emotional need.' }),
    notes: t.string({ description: 'Context notes.' }),
  }),
});

const UpdateTouchpointInput = builder.inputType('UpdateTouchpointInput', {
  description: 'Changes to a touchpoint; omitted fields stay as they are, null clears an optional one.',
  fields: (t) => ({
    id: t.id({ required: true, description: 'The touchpoint\'s global ID.' }),
    name: t.string({ description: 'New name.' }),
    phase: t.field({ type: PhaseRefInput, description: 'New phase; its journey must be the segment\'s journey.' }),
    channel: t.string({ description: 'The key of the new channel.' }),
    segment: t.string({ description: 'The key of the new segment; null makes it apply to every segment of the phase\'s journey.' }),
    emotion: t.int({ description: 'New emotion, -2..+2.' }),
    salesOpportunity: t.boolean({ description: 'Whether this is a moment to sell.' }),
    device: t.string({ description: 'New device; null clears it.' }),
    needType: t.field({ type: NeedType, description: 'New need type; null clears it.' }),
    notes: t.string({ description: 'New notes; null clears them.' }),
  }),
});

const DeleteTouchpointInput = builder.inputType('DeleteTouchpointInput', {
  description: 'The touchpoint to delete.',
  fields: (t) => ({ id: t.id({ required: true, description: 'The touchpoint\'s global ID.' }) }),
});

interface TouchpointPayloadShape extends Payload {
  touchpoint?: TouchpointRow | null;
}

const TouchpointPayload = builder.objectRef<TouchpointPayloadShape>('TouchpointPayload').implement({
  description: 'The result of a touchpoint mutation.',
  fields: (t) => ({
    touchpoint: t.field({ type: Touchpoint, nullable: true, description: 'The touchpoint as saved; null when refused.', resolve: (p) => p.touchpoint ?? null }),
    userErrors: t.field({ type: [UserError], description: 'Why the input was refused; empty on success.', resolve: (p) => p.userErrors }),
  }),
});

const touchpointFields = z.object({
  name: nameSchema,
  emotion: z.number().int().min(-2, 'must be at least -2').max(2, 'must be at most 2'),
  salesOpportunity: z.boolean(),
  device: labelSchema(MAX_DEVICE).nullish(),
  notes: descriptionSchema,
});

builder.mutationFields((t) => ({
  createTouchpoint: t.field({
    type: TouchpointPayload,
    description: 'Adds a touchpoint to the journey map. EDITOR.',
    authScopes: { editor: true },
    args: { input: t.arg({ type: CreateTouchpointInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      runMutation(ctx, async (tx) => {
        const data = parseInput(touchpointFields.partial({ emotion: true, salesOpportunity: true }), input);
        const phase = await phaseByRef(tx, ctx, input.phase, ['input', 'phase']);
        const channel = await channelByKey(tx, ctx, input.channel, ['input', 'channel']);
        const segment = input.segment == null ? null : await segmentByKey(tx, ctx, input.segment, ['input', 'segment']);
        if (segment) assertSameJourney(segment, phase, ['input', 'segment']);
        const touchpoint = await tx.touchpoint.create({
          data: {
            ...data,
            needType: input.needType ?? null,
            workspaceId: workspaceId(ctx),
            phaseId: phase.id,
            channelId: channel.id,
            segmentId: segment?.id ?? null,
          },
        });
        return { touchpoint };
      }),
  }),
  updateTouchpoint: t.field({
    type: TouchpointPayload,
    description: 'Changes a touchpoint. EDITOR.',
    authScopes: { editor: true },
    args: { input: t.arg({ type: UpdateTouchpointInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      runMutation(ctx, async (tx) => {
        const existing = await ownedTouchpoint(tx, ctx, input.id);
        const data = parseInput(touchpointFields.partial(), input);
        const phase = input.phase == null
          ? await tx.phase.findUniqueOrThrow({ where: { id: existing.phaseId } })
          : await phaseByRef(tx, ctx, input.phase, ['input', 'phase']);
        const channelId = input.channel == null ? existing.channelId : (await channelByKey(tx, ctx, input.channel, ['input', 'channel'])).id;
        const segment = await newSegment(tx, ctx, existing, input.segment);
        if (segment) assertSameJourney(segment, phase, ['input', input.segment !== undefined ? 'segment' : 'phase']);
        const touchpoint = await tx.touchpoint.update({
          where: { id: existing.id },
          data: {
            ...data,
            needType: input.needType,
            phaseId: phase.id,
            channelId,
            segmentId: segment?.id ?? null,
          },
        });
        return { touchpoint };
      }),
  }),
  deleteTouchpoint: t.field({
    type: DeletePayload,
    description: 'Deletes a touchpoint; content pieces linked to it lose the link and stay. EDITOR.',
    authScopes: { editor: true },
    args: { input: t.arg({ type: DeleteTouchpointInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      runMutation(ctx, async (tx) => {
        const existing = await ownedTouchpoint(tx, ctx, input.id);
        await tx.touchpoint.delete({ where: { id: existing.id } });
        return { deletedId: input.id };
      }),
  }),
}));

async function ownedTouchpoint(tx: Tx, ctx: Context, globalId: string) {
  const id = idOf(globalId, 'Touchpoint', ['input', 'id']);
  const touchpoint = await tx.touchpoint.findFirst({ where: { id, workspaceId: workspaceId(ctx) } });
  return touchpoint ?? refuse(['input', 'id'], 'NOT_FOUND', `No Touchpoint with id "${globalId}" in this workspace.`);
}

/** The segment after the update: unchanged when omitted, none (all segments) when null. */
async function newSegment(tx: Tx, ctx: Context, touchpoint: TouchpointRow, key: string | null | undefined) {
  if (key === null) return null;
  if (key !== undefined) return segmentByKey(tx, ctx, key, ['input', 'segment']);
  return touchpoint.segmentId ? tx.segment.findUniqueOrThrow({ where: { id: touchpoint.segmentId } }) : null;
}

/** A segment's phases are its journey's phases: a touchpoint for it must sit at one of them. */
function assertSameJourney(segment: { key: string; journeyId: string }, phase: { key: string; journeyId: string }, field: string[]) {
  if (segment.journeyId !== phase.journeyId) {
    refuse(field, 'INVALID', `Segment "${segment.key}" does not follow the journey of phase "${phase.key}".`);
  }
}

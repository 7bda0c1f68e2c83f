import { z } from 'zod';
import { builder } from '../builder.js';
import { workspaceId, type Context } from '../context.js';
import { badUserInput } from '../errors.js';
import type { Prisma, Segment as SegmentRow } from '../generated/sqlite/client.js';
import { inWorkspace, nodeScope } from '../nodes/node-lookup.js';
import { idOf } from '../shared/global-id.js';
import { runMutation, type Payload, type Tx } from '../shared/mutation.js';
import { DeletePayload } from '../shared/payloads.js';
import { journeyByKey, segmentByKey } from '../shared/refs.js';
import { refuse, UserError } from '../shared/user-errors.js';
import { descriptionSchema, keySchema, nameSchema, parseInput } from '../shared/validation.js';
import { byKey, keysetConnection, totalCountField } from '../shared/keyset.js';
import { walkAncestors, wouldCycle } from './tree.js';
import { oneByOne } from '../db/one-by-one.js';

export const Market = builder.enumType('Market', {
  description: 'Whether a segment is made of businesses or of consumers; it changes the formats suggested for its gaps.',
  values: {
    B2B: { description: 'Business to business: organisations buy.' },
    B2C: { description: 'Business to consumer: people buy for themselves.' },
  } as const,
});

export const Segment = builder.prismaNode('Segment', {
  description: 'A customer group (klantgroep / doelgroep), e.g. "MKB" with "ZZP\'ers" under it. Its phases are those of the journey model it follows.',
  id: { field: 'id' },
  findUnique: nodeScope('Segment', inWorkspace),
  fields: (t) => ({
    key: t.exposeString('key', { description: 'Stable key, unique in the workspace; used in queries, targeting and imports.' }),
    name: t.exposeString('name', { description: 'Display name.' }),
    description: t.exposeString('description', { nullable: true, description: 'Who belongs to the group and what sets it apart.' }),
    market: t.expose('market', { type: Market, description: 'B2B or B2C.' }),
    journey: t.relation('journey', { description: 'The journey model this segment follows; its phases are the segment\'s phases.' }),
    parent: t.relation('parent', { nullable: true, description: 'The broader segment this one refines; null for a root segment.' }),
    children: t.relation('children', {
      description: 'The segments that refine this one, by key.',
      query: { orderBy: [{ key: 'asc' }, { id: 'asc' }] },
    }),
    ancestors: t.prismaField({
      type: ['Segment'],
      description: 'Its parent, the parent\'s parent and so on, nearest first; empty for a root segment.',
      resolve: (query, segment, _args, ctx) =>
        walkAncestors(segment.parentId, (id) =>
          ctx.prisma.segment.findFirst({ ...withParentId(query), where: { id, workspaceId: workspaceId(ctx) } }), segment.id),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was created.' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When it last changed.' }),
  }),
});

builder.queryFields((t) => ({
  segments: t.connection(
    {
      type: Segment,
      description: 'The workspace\'s segments by key, optionally filtered. Unknown journey or parent keys are an error, not an empty list.',
      authScopes: { delivery: true },
      args: {
        journey: t.arg.string({ description: 'Only segments following the journey model with this key.' }),
        parent: t.arg.string({ description: 'Only the direct sub-segments of the segment with this key.' }),
        rootsOnly: t.arg.boolean({ description: 'Only segments without a parent. Cannot be combined with parent.' }),
        market: t.arg({ type: Market, description: 'Only segments of this market.' }),
      },
      resolve: async (_root, args, ctx, info) =>
        keysetConnection({
          ctx,
          info,
          args,
          list: 'segments',
          typeName: 'Segment',
          order: byKey,
          where: await segmentFilter(ctx, args),
          findMany: (query) => ctx.prisma.segment.findMany(query),
          count: (where) => ctx.prisma.segment.count({ where }),
        }),
    },
    { fields: (t) => ({ totalCount: t.int(totalCountField) }) },
  ),
  segment: t.prismaField({
    type: 'Segment',
    nullable: true,
    description: 'One segment by its key; null when there is none.',
    authScopes: { delivery: true },
    args: { key: t.arg.string({ required: true, description: 'The segment\'s key.' }) },
    resolve: (query, _root, { key }, ctx) =>
      ctx.prisma.segment.findUnique({ ...query, where: { workspaceId_key: { workspaceId: workspaceId(ctx), key } } }),
  }),
}));

interface SegmentFilterArgs {
  journey?: string | null;
  parent?: string | null;
  rootsOnly?: boolean | null;
  market?: 'B2B' | 'B2C' | null;
}

async function segmentFilter(ctx: Context, args: SegmentFilterArgs): Promise<Prisma.SegmentWhereInput> {
  const ws = workspaceId(ctx);
  const where: Prisma.SegmentWhereInput = { workspaceId: ws };
  if (args.market) where.market = args.market;
  if (args.rootsOnly && args.parent != null) throw badUserInput('rootsOnly', 'rootsOnly and parent exclude each other: a sub-segment is never a root.');
  if (args.rootsOnly) where.parentId = null;
  if (args.journey != null) {
    const journey = await ctx.prisma.journeyModel.findUnique({ where: { workspaceId_key: { workspaceId: ws, key: args.journey } }, select: { id: true } });
    if (!journey) throw badUserInput('journey', `No journey model with key "${args.journey}" in this workspace.`, args.journey);
    where.journeyId = journey.id;
  }
  if (args.parent != null) {
    const parent = await ctx.prisma.segment.findUnique({ where: { workspaceId_key: { workspaceId: ws, key: args.parent } }, select: { id: true } });
    if (!parent) throw badUserInput('parent', `No segment with key "${args.parent}" in this workspace.`, args.parent);
    where.parentId = parent.id;
  }
  return where;
}

/** The ancestor walk reads parentId from each row, whatever the client selected. */
function withParentId<Q extends { select?: object }>(query: Q): Q {
  return query.select ? { ...query, select: { ...query.select, parentId: true } } : query;
}

// Mutations (ADMIN): create, update, delete.

const CreateSegmentInput = builder.inputType('CreateSegmentInput', {
  description: 'A new segment.',
  fields: (t) => ({
    key: t.string({ required: true, description: 'Stable key: lowercase letters, digits, "-" and "_".' }),
    name: t.string({ required: true, description: 'Display name.' }),
    description: t.string({ description: 'Who belongs to the group.' }),
    market: t.field({ type: Market, required: true, description: 'B2B or B2C.' }),
    journey: t.string({ required: true, description: 'The key of the journey model it follows.' }),
    parent: t.string({ description: 'The key of the broader segment it refines; it must follow the same journey. Omit for a root segment.' }),
  }),
});

const UpdateSegmentInput = builder.inputType('UpdateSegmentInput', {
  description: 'Changes to a segment; omitted fields stay as they are.',
  fields: (t) => ({
    id: t.id({ required: true, description: 'The segment\'s global ID.' }),
    key: t.string({ description: 'New key.' }),
    name: t.string({ description: 'New name.' }),
    description: t.string({ description: 'New description; null clears it.' }),
    market: t.field({ type: Market, description: 'New market.' }),
    parent: t.string({ description: 'The key of the new parent segment (same journey, not itself or one of its sub-segments); null makes it a root.' }),
    journey: t.string({
      description: 'The key of the journey model it should follow instead. Refused while it has sub-segments, a parent in another journey, or touchpoints, content or phase-bound coverage rules tied to its current journey.',
    }),
  }),
});

const DeleteSegmentInput = builder.inputType('DeleteSegmentInput', {
  description: 'The segment to delete.',
  fields: (t) => ({ id: t.id({ required: true, description: 'The segment\'s global ID.' }) }),
});

interface SegmentPayloadShape extends Payload {
  segment?: SegmentRow | null;
}

const SegmentPayload = builder.objectRef<SegmentPayloadShape>('SegmentPayload').implement({
  description: 'The result of a segment mutation.',
  fields: (t) => ({
    segment: t.field({ type: Segment, nullable: true, description: 'The segment as saved; null when refused.', resolve: (p) => p.segment ?? null }),
    userErrors: t.field({ type: [UserError], description: 'Why the input was refused; empty on success.', resolve: (p) => p.userErrors }),
  }),
});

const segmentFields = z.object({ key: keySchema, name: nameSchema, description: descriptionSchema });

builder.mutationFields((t) => ({
  createSegment: t.field({
    type: SegmentPayload,
    description: 'Adds a segment, optionally under a parent segment of the same journey. ADMIN.',
    authScopes: { admin: true },
    args: { input: t.arg({ type: CreateSegmentInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      runMutation(ctx, async (tx) => {
        const data = parseInput(segmentFields, input);
        await assertKeyFree(tx, ctx, data.key);
        const journey = await journeyByKey(tx, ctx, input.journey, ['input', 'journey']);
        const parent = input.parent == null ? null : await segmentByKey(tx, ctx, input.parent, ['input', 'parent']);
        if (parent && parent.journeyId !== journey.id) {
          refuse(['input', 'parent'], 'INVALID', `Segment "${parent.key}" follows another journey; a sub-segment follows its parent's journey.`);
        }
        const segment = await tx.segment.create({
          data: { ...data, market: input.market, workspaceId: workspaceId(ctx), journeyId: journey.id, parentId: parent?.id ?? null },
        });
        return { segment };
      }),
  }),
  updateSegment: t.field({
    type: SegmentPayload,
    description: 'Changes a segment: its fields, its place in the tree or the journey it follows. ADMIN.',
    authScopes: { admin: true },
    args: { input: t.arg({ type: UpdateSegmentInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      runMutation(ctx, async (tx) => {
        const existing = await ownedSegment(tx, ctx, input.id);
        const data = parseInput(segmentFields.partial(), input);
        if (data.key && data.key !== existing.key) await assertKeyFree(tx, ctx, data.key);
        const journeyId = input.journey == null ? existing.journeyId : (await journeyByKey(tx, ctx, input.journey, ['input', 'journey'])).id;
        const parentId = await newParentId(tx, ctx, existing, input.parent);
        if (journeyId !== existing.journeyId) await assertJourneyMovable(tx, existing);
        await assertParentFollowsJourney(tx, parentId, journeyId, input.parent !== undefined);
        const segment = await tx.segment.update({
          where: { id: existing.id },
          data: { ...data, market: input.market ?? undefined, journeyId, parentId },
        });
        return { segment };
      }),
  }),
  deleteSegment: t.field({
    type: DeletePayload,
    description: 'Deletes a segment that has no sub-segments and that no content piece, touchpoint or coverage rule uses (removing it from a piece would silently make the piece generic). ADMIN.',
    authScopes: { admin: true },
    args: { input: t.arg({ type: DeleteSegmentInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      runMutation(ctx, async (tx) => {
        const existing = await ownedSegment(tx, ctx, input.id);
        const [children, pieces, touchpoints, rules] = await oneByOne(
          () => tx.segment.count({ where: { parentId: existing.id } }),
          () => tx.contentSegment.count({ where: { segmentId: existing.id } }),
          () => tx.touchpoint.count({ where: { segmentId: existing.id } }),
          () => tx.coverageRule.count({ where: { segmentId: existing.id } }),
        );
        if (children + pieces + touchpoints + rules > 0) {
          refuse(['input', 'id'], 'IN_USE',
            `Segment "${existing.key}" has ${children} sub-segment(s) and is used by ${pieces} content piece(s), ${touchpoints} touchpoint(s) and ${rules} coverage rule(s).`);
        }
        // Rows of zeros left by content that moved away (a cell row names its segment without a foreign key: generic content has none).
        await tx.contentCell.deleteMany({ where: { segmentId: existing.id } });
        await tx.segment.delete({ where: { id: existing.id } });
        return { deletedId: input.id };
      }),
  }),
}));

async function ownedSegment(tx: Tx, ctx: Context, globalId: string) {
  const id = idOf(globalId, 'Segment', ['input', 'id']);
  const segment = await tx.segment.findFirst({ where: { id, workspaceId: workspaceId(ctx) } });
  return segment ?? refuse(['input', 'id'], 'NOT_FOUND', `No Segment with id "${globalId}" in this workspace.`);
}

async function assertKeyFree(tx: Tx, ctx: Context, key: string) {
  const taken = await tx.segment.findUnique({ where: { workspaceId_key: { workspaceId: workspaceId(ctx), key } }, select: { id: true } });
  if (taken) refuse(['input', 'key'], 'CONFLICT', `A segment with key "${key}" already exists.`);
}

/** The parent after the update: unchanged when omitted, none when null, else the keyed segment unless that closes a loop. */
async function newParentId(tx: Tx, ctx: Context, segment: SegmentRow, parentKey: string | null | undefined): Promise<string | null> {
  if (parentKey === undefined) return segment.parentId;
  if (parentKey === null) return null;
  const parent = await segmentByKey(tx, ctx, parentKey, ['input', 'parent']);
  if (await wouldCycle(tx, segment.id, parent.id)) {
    refuse(['input', 'parent'], 'INVALID', `Segment "${parentKey}" is "${segment.key}" itself or one of its sub-segments; that would make a loop.`);
  }
  return parent.id;
}

/**
 * A segment's touchpoints, rules and content name phases of its journey, and
 * its sub-segments follow it: moving it to another journey would leave them
 * pointing at phases it no longer has.
 */
async function assertJourneyMovable(tx: Tx, segment: SegmentRow) {
  const [children, pieces, touchpoints, rules] = await oneByOne(
    () => tx.segment.count({ where: { parentId: segment.id } }),
    () => tx.contentSegment.count({ where: { segmentId: segment.id } }),
    () => tx.touchpoint.count({ where: { segmentId: segment.id } }),
    () => tx.coverageRule.count({ where: { segmentId: segment.id, phaseId: { not: null } } }),
  );
  if (children > 0) refuse(['input', 'journey'], 'INVALID', `Segment "${segment.key}" has sub-segments that follow its journey; move them first.`);
  if (pieces + touchpoints + rules > 0) {
    refuse(['input', 'journey'], 'INVALID',
      `Segment "${segment.key}" is used by ${pieces} content piece(s), ${touchpoints} touchpoint(s) and ${rules} coverage rule(s) tied to its current journey's phases.`);
  }
}

async function assertParentFollowsJourney(tx: Tx, parentId: string | null, journeyId: string, parentGiven: boolean) {
  if (!parentId) return;
  const parent = await tx.segment.findUniqueOrThrow({ where: { id: parentId }, select: { key: true, journeyId: true } });
  if (parent.journeyId !== journeyId) {
    refuse(['input', parentGiven ? 'parent' : 'journey'], 'INVALID',
      `Parent segment "${parent.key}" follows another journey; a sub-segment follows its parent's journey.`);
  }
}

import { z } from 'zod';
import { builder } from '../builder.js';
import { workspaceId, type Context } from '../context.js';
import { badUserInput } from '../errors.js';
import type { CoverageRule as CoverageRuleRow, Prisma } from '../generated/sqlite/client.js';
import { inWorkspace, nodeScope } from '../nodes/node-lookup.js';
import { idOf } from '../shared/global-id.js';
import { runMutation, type Payload, type Tx } from '../shared/mutation.js';
import { DeletePayload } from '../shared/payloads.js';
import { channelByKey, phaseByRef, PhaseRefInput, segmentByKey } from '../shared/refs.js';
import { refuse, UserError } from '../shared/user-errors.js';
import { parseInput } from '../shared/validation.js';
import { keysetConnection, oldestFirst, totalCountField } from '../shared/keyset.js';

export const CoverageRule = builder.prismaNode('CoverageRule', {
  description: 'What coverage the strategist expects in the content matrix: for a segment (or all), a phase (or all) and a channel (or all), either at least `minLive` live pieces or explicitly nothing (`notExpected`). Where several rules cover a cell, the most specific one (highest `specificity`) wins. EDITOR.',
  authScopes: { editor: true },
  id: { field: 'id' },
  findUnique: nodeScope('CoverageRule', inWorkspace),
  fields: (t) => ({
    segment: t.relation('segment', { nullable: true, description: 'The segment it is about; null means every segment.' }),
    phase: t.relation('phase', { nullable: true, description: 'The phase it is about; null means every phase.' }),
    channel: t.relation('channel', { nullable: true, description: 'The channel it is about; null means every channel.' }),
    minLive: t.exposeInt('minLive', { nullable: true, description: 'The fewest live pieces expected in each cell it covers; null when notExpected.' }),
    notExpected: t.exposeBoolean('notExpected', { description: 'True: no content is expected in the cells it covers, even where a touchpoint or a broader rule asks for some.' }),
    countCrosswalk: t.exposeBoolean('countCrosswalk', {
      description:
        'True: in the cells where it wins and nothing of the cell\'s own journey is live, content of the phase crosswalk counts toward minLive (live pieces tagged to phases of other journey models with the same archetype and scope, on the same channel, generic or for the cell\'s segment). Default false.',
    }),
    specificity: t.int({
      description: 'How many of segment, phase and channel the rule names (0..3). Where several rules cover a cell, the one with the highest specificity wins.',
      select: { segmentId: true, phaseId: true, channelId: true },
      resolve: (rule) => specificity(rule),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was created.' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When it last changed.' }),
  }),
});

/** The number of dimensions a rule names; the most specific rule for a cell wins. */
export function specificity(rule: { segmentId: string | null; phaseId: string | null; channelId: string | null }): number {
  return [rule.segmentId, rule.phaseId, rule.channelId].filter((id) => id !== null).length;
}

builder.queryFields((t) => ({
  coverageRules: t.connection(
    {
      type: CoverageRule,
      description: 'The workspace\'s coverage rules, oldest first. EDITOR. Unknown keys in the filters are an error, not an empty list.',
      authScopes: { editor: true },
      args: {
        segment: t.arg.string({
          description: 'Only rules that can apply to the segment with this key: those naming it, and those for every segment (unless they name a phase of another journey).',
        }),
        channel: t.arg.string({ description: 'Only rules that can apply to the channel with this key: those naming it and those for every channel.' }),
      },
      resolve: async (_root, args, ctx, info) =>
        keysetConnection({
          ctx,
          info,
          args,
          list: 'coverageRules',
          typeName: 'CoverageRule',
          order: oldestFirst,
          where: await ruleFilter(ctx, args),
          findMany: (query) => ctx.prisma.coverageRule.findMany(query),
          count: (where) => ctx.prisma.coverageRule.count({ where }),
        }),
    },
    { fields: (t) => ({ totalCount: t.int(totalCountField) }) },
  ),
}));

async function ruleFilter(ctx: Context, args: { segment?: string | null; channel?: string | null }): Promise<Prisma.CoverageRuleWhereInput> {
  const ws = workspaceId(ctx);
  const and: Prisma.CoverageRuleWhereInput[] = [{ workspaceId: ws }];
  if (args.segment != null) {
    const segment = await ctx.prisma.segment.findUnique({ where: { workspaceId_key: { workspaceId: ws, key: args.segment } }, select: { id: true, journeyId: true } });
    if (!segment) throw badUserInput('segment', `No segment with key "${args.segment}" in this workspace.`, args.segment);
    and.push({
      OR: [{ segmentId: segment.id }, { segmentId: null, OR: [{ phaseId: null }, { phase: { journeyId: segment.journeyId } }] }],
    });
  }
  if (args.channel != null) {
    const channel = await ctx.prisma.channel.findUnique({ where: { workspaceId_key: { workspaceId: ws, key: args.channel } }, select: { id: true } });
    if (!channel) throw badUserInput('channel', `No channel with key "${args.channel}" in this workspace.`, args.channel);
    and.push({ OR: [{ channelId: channel.id }, { channelId: null }] });
  }
  return { AND: and };
}

// Mutations (EDITOR): create, update, delete.

const CreateCoverageRuleInput = builder.inputType('CreateCoverageRuleInput', {
  description: 'A new coverage rule. Give exactly one of minLive and notExpected: true. Each (segment, phase, channel) combination can have one rule.',
  fields: (t) => ({
    segment: t.string({ description: 'The key of the segment it is about; omit for every segment.' }),
    phase: t.field({ type: PhaseRefInput, description: 'The phase it is about (in the segment\'s journey, when a segment is given); omit for every phase.' }),
    channel: t.string({ description: 'The key of the channel it is about; omit for every channel.' }),
    minLive: t.int({ description: 'The fewest live pieces expected per cell, at least 1.' }),
    notExpected: t.boolean({ description: 'True: no content is expected in these cells.' }),
    countCrosswalk: t.boolean({ description: 'True: crosswalk content counts toward minLive where nothing of the cell\'s own is live (see CoverageRule.countCrosswalk). Default false; not with notExpected: true.' }),
  }),
});

const UpdateCoverageRuleInput = builder.inputType('UpdateCoverageRuleInput', {
  description: 'A new expectation for a rule. Its segment, phase and channel are its identity: to change them, delete it and create another. Setting minLive clears notExpected and setting notExpected: true clears minLive.',
  fields: (t) => ({
    id: t.id({ required: true, description: 'The rule\'s global ID.' }),
    minLive: t.int({ description: 'The fewest live pieces expected per cell, at least 1.' }),
    notExpected: t.boolean({ description: 'True: no content is expected in these cells.' }),
    countCrosswalk: t.boolean({ description: 'Whether crosswalk content counts toward minLive; omit to keep it. Setting notExpected: true clears it; true together with notExpected: true is refused.' }),
  }),
});

const DeleteCoverageRuleInput = builder.inputType('DeleteCoverageRuleInput', {
  description: 'The coverage rule to delete.',
  fields: (t) => ({ id: t.id({ required: true, description: 'The rule\'s global ID.' }) }),
});

interface CoverageRulePayloadShape extends Payload {
  coverageRule?: CoverageRuleRow | null;
}

const CoverageRulePayload = builder.objectRef<CoverageRulePayloadShape>('CoverageRulePayload').implement({
  description: 'The result of a coverage rule mutation.',
  fields: (t) => ({
    coverageRule: t.field({ type: CoverageRule, nullable: true, description: 'The rule as saved; null when refused.', resolve: (p) => p.coverageRule ?? null }),
    userErrors: t.field({ type: [UserError], description: 'Why the input was refused; empty on success.', resolve: (p) => p.userErrors }),
  }),
});

const expectationFields = z.object({
  minLive: z.number().int().min(1, 'must be at least 1').max(1000, 'must be at most 1000').nullish(),
  notExpected: z.boolean().nullish(),
  countCrosswalk: z.boolean().nullish(),
});

builder.mutationFields((t) => ({
  createCoverageRule: t.field({
    type: CoverageRulePayload,
    description: 'Sets the expected coverage for a segment, phase and channel (each or all). EDITOR.',
    authScopes: { editor: true },
    args: { input: t.arg({ type: CreateCoverageRuleInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      runMutation(ctx, async (tx) => {
        const expectation = oneExpectation(parseInput(expectationFields, input));
        const segment = input.segment == null ? null : await segmentByKey(tx, ctx, input.segment, ['input', 'segment']);
        const phase = input.phase == null ? null : await phaseByRef(tx, ctx, input.phase, ['input', 'phase']);
        const channel = input.channel == null ? null : await channelByKey(tx, ctx, input.channel, ['input', 'channel']);
        if (segment && phase && segment.journeyId !== phase.journeyId) {
          refuse(['input', 'phase'], 'INVALID', `Phase "${phase.key}" is not in the journey segment "${segment.key}" follows.`);
        }
        const dimensions = { segmentId: segment?.id ?? null, phaseId: phase?.id ?? null, channelId: channel?.id ?? null };
        await assertNoTwin(tx, ctx, dimensions);
        const countCrosswalk = crosswalkCounting(expectation, parseInput(expectationFields, input).countCrosswalk ?? false);
        const coverageRule = await tx.coverageRule.create({ data: { ...dimensions, ...expectation, countCrosswalk, workspaceId: workspaceId(ctx) } });
        return { coverageRule };
      }),
  }),
  updateCoverageRule: t.field({
    type: CoverageRulePayload,
    description: 'Changes what a coverage rule expects. EDITOR.',
    authScopes: { editor: true },
    args: { input: t.arg({ type: UpdateCoverageRuleInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      runMutation(ctx, async (tx) => {
        const existing = await ownedRule(tx, ctx, input.id);
        const given = parseInput(expectationFields, input);
        const expectation = oneExpectation({
          minLive: given.minLive !== undefined ? given.minLive : given.notExpected ? null : existing.minLive,
          notExpected: given.notExpected ?? (given.minLive != null ? false : existing.notExpected),
        });
        const countCrosswalk = crosswalkCounting(expectation, given.countCrosswalk ?? (expectation.notExpected ? false : existing.countCrosswalk));
        const coverageRule = await tx.coverageRule.update({ where: { id: existing.id }, data: { ...expectation, countCrosswalk } });
        return { coverageRule };
      }),
  }),
  deleteCoverageRule: t.field({
    type: DeletePayload,
    description: 'Deletes a coverage rule; the cells it covered fall back to broader rules and touchpoints. EDITOR.',
    authScopes: { editor: true },
    args: { input: t.arg({ type: DeleteCoverageRuleInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      runMutation(ctx, async (tx) => {
        const existing = await ownedRule(tx, ctx, input.id);
        await tx.coverageRule.delete({ where: { id: existing.id } });
        return { deletedId: input.id };
      }),
  }),
}));

/** A rule expects either a minimum of live pieces or nothing at all, never both or neither. */
function oneExpectation(value: { minLive?: number | null; notExpected?: boolean | null }): { minLive: number | null; notExpected: boolean } {
  const minLive = value.minLive ?? null;
  const notExpected = value.notExpected ?? false;
  if (minLive !== null && notExpected) refuse(['input', 'notExpected'], 'INVALID', 'Give either minLive or notExpected: true, not both.');
  if (minLive === null && !notExpected) refuse(['input', 'minLive'], 'INVALID', 'Give minLive (at least 1) or notExpected: true.');
  return { minLive, notExpected };
}

/** Crosswalk content counts toward a minimum; a rule that expects nothing has none to count toward. */
function crosswalkCounting(expectation: { notExpected: boolean }, countCrosswalk: boolean): boolean {
  if (countCrosswalk && expectation.notExpected) refuse(['input', 'countCrosswalk'], 'INVALID', 'countCrosswalk counts content toward minLive; a rule with notExpected: true expects none.');
  return countCrosswalk;
}

/**
 * One rule per (segment, phase, channel). A unique index cannot say so,
 * because NULL (= all) never equals NULL in SQL; checked inside the
 * mutation's transaction instead.
 */
async function assertNoTwin(tx: Tx, ctx: Context, dimensions: { segmentId: string | null; phaseId: string | null; channelId: string | null }) {
  // On PostgreSQL two concurrent creates would both find no twin: they take turns per workspace (released at commit).
  if (ctx.provider === 'postgresql') await tx.$queryRaw`SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock(2, hashtext(${workspaceId(ctx)}))) AS l`;
  const twin = await tx.coverageRule.findFirst({ where: { workspaceId: workspaceId(ctx), ...dimensions }, select: { id: true } });
  if (twin) refuse(['input'], 'CONFLICT', 'A coverage rule for this segment, phase and channel already exists; update it instead.');
}

async function ownedRule(tx: Tx, ctx: Context, globalId: string) {
  const id = idOf(globalId, 'CoverageRule', ['input', 'id']);
  const rule = await tx.coverageRule.findFirst({ where: { id, workspaceId: workspaceId(ctx) } });
  return rule ?? refuse(['input', 'id'], 'NOT_FOUND', `No CoverageRule with id "${globalId}" in this workspace.`);
}

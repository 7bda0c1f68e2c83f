import { z } from 'zod';
import { builder } from '../builder.js';
import { workspaceId, type Context } from '../context.js';
import { idOf } from '../shared/global-id.js';
import { runMutation, type Payload, type Tx } from '../shared/mutation.js';
import { DeletePayload } from '../shared/payloads.js';
import { refuse, UserError } from '../shared/user-errors.js';
import { keySchema, nameSchema, parseInput } from '../shared/validation.js';
import { byKey, keysetConnection, totalCountField } from '../shared/keyset.js';
import type { Channel as ChannelRow } from '../generated/sqlite/client.js';
import { inWorkspace, nodeScope } from '../nodes/node-lookup.js';
import { oneByOne } from '../db/one-by-one.js';

export const ChannelKind = builder.enumType('ChannelKind', {
  description: 'What kind of medium a channel is.',
  values: {
    WEBSITE: { description: 'Pages of the brand\'s own website.' },
    EMAIL: { description: 'E-mail.' },
    SOCIAL: { description: 'Social media.' },
    ADS: { description: 'Online advertising.' },
    SMS: { description: 'Text messages.' },
    PHONE: { description: 'Phone calls.' },
    EVENT: { description: 'A live meeting or event.' },
    STORE: { description: 'A shop or branch.' },
    OTHER: { description: 'Anything else.' },
  } as const,
});

export const Channel = builder.prismaNode('Channel', {
  description: 'Where a contact happens (kanaal): the website, e-mail, social media, a store...',
  id: { field: 'id' },
  findUnique: nodeScope('Channel', inWorkspace),
  fields: (t) => ({
    key: t.exposeString('key', { description: 'Stable key, unique in the workspace; used in queries and imports.' }),
    name: t.exposeString('name', { description: 'Display name.' }),
    kind: t.expose('kind', { type: ChannelKind, description: 'What kind of medium this is.' }),
    maxPerWeek: t.exposeInt('maxPerWeek', {
      nullable: true,
      description: 'The most pieces one segment should get on this channel in a week; the calendar warns above it. Null: no limit.',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was created.' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When it last changed.' }),
  }),
});

builder.queryFields((t) => ({
  channels: t.connection(
    {
      type: Channel,
      description: 'The workspace\'s channels, by key.',
      authScopes: { delivery: true },
      resolve: async (_root, args, ctx, info) =>
        keysetConnection({
          ctx,
          info,
          args,
          list: 'channels',
          typeName: 'Channel',
          order: byKey,
          where: { workspaceId: workspaceId(ctx) },
          findMany: (query) => ctx.prisma.channel.findMany(query),
          count: (where) => ctx.prisma.channel.count({ where }),
        }),
    },
    { fields: (t) => ({ totalCount: t.int(totalCountField) }) },
  ),
  channel: t.prismaField({
    type: 'Channel',
    nullable: true,
    description: 'One channel by its key; null when there is none.',
    authScopes: { delivery: true },
    args: { key: t.arg.string({ required: true, description: 'The channel\'s key.' }) },
    resolve: (query, _root, { key }, ctx) =>
      ctx.prisma.channel.findUnique({ ...query, where: { workspaceId_key: { workspaceId: workspaceId(ctx), key } } }),
  }),
}));

// Mutations (ADMIN): create, update, delete.

const maxPerWeekSchema = z.number().int().min(1, 'must be at least 1').max(1000, 'must be at most 1000').nullish();

const CreateChannelInput = builder.inputType('CreateChannelInput', {
  description: 'A new channel.',
  fields: (t) => ({
    key: t.string({ required: true, description: 'Stable key: lowercase letters, digits, "-" and "_".' }),
    name: t.string({ required: true, description: 'Display name.' }),
    kind: t.field({ type: ChannelKind, required: true, description: 'What kind of medium it is.' }),
    maxPerWeek: t.int({ description: 'Most pieces per segment per week; omit for no limit.' }),
  }),
});

const UpdateChannelInput = builder.inputType('UpdateChannelInput', {
  description: 'Changes to a channel; omitted fields stay as they are.',
  fields: (t) => ({
    id: t.id({ required: true, description: 'The channel\'s global ID.' }),
    key: t.string({ description: 'New key.' }),
    name: t.string({ description: 'New name.' }),
    kind: t.field({ type: ChannelKind, description: 'New kind.' }),
    maxPerWeek: t.int({ description: 'New weekly maximum; null removes the limit.' }),
  }),
});

const DeleteChannelInput = builder.inputType('DeleteChannelInput', {
  description: 'The channel to delete.',
  fields: (t) => ({ id: t.id({ required: true, description: 'The channel\'s global ID.' }) }),
});

interface ChannelPayloadShape extends Payload {
  channel?: ChannelRow | null;
}

const ChannelPayload = builder.objectRef<ChannelPayloadShape>('ChannelPayload').implement({
  description: 'The result of a channel mutation.',
  fields: (t) => ({
    channel: t.field({ type: Channel, nullable: true, description: 'The channel as saved; null when refused.', resolve: (p) => p.channel ?? null }),
    userErrors: t.field({ type: [UserError], description: 'Why the input was refused; empty on success.', resolve: (p) => p.userErrors }),
  }),
});

const channelFields = z.object({ key: keySchema, name: nameSchema, kind: z.string(), maxPerWeek: maxPerWeekSchema });

builder.mutationFields((t) => ({
  createChannel: t.field({
    type: ChannelPayload,
    description: 'Adds a channel. ADMIN.',
    authScopes: { admin: true },
    args: { input: t.arg({ type: CreateChannelInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      runMutation(ctx, async (tx) => {
        const data = parseInput(channelFields, input);
        await assertKeyFree(tx, ctx, data.key);
        const channel = await tx.channel.create({ data: { ...input, key: data.key, name: data.name, workspaceId: workspaceId(ctx) } });
        return { channel };
      }),
  }),
  updateChannel: t.field({
    type: ChannelPayload,
    description: 'Changes a channel. ADMIN.',
    authScopes: { admin: true },
    args: { input: t.arg({ type: UpdateChannelInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      runMutation(ctx, async (tx) => {
        const existing = await ownedChannel(tx, ctx, input.id);
        const data = parseInput(channelFields.partial(), input);
        if (data.key && data.key !== existing.key) await assertKeyFree(tx, ctx, data.key);
        const channel = await tx.channel.update({
          where: { id: existing.id },
          data: { key: data.key, name: data.name, kind: input.kind ?? undefined, maxPerWeek: input.maxPerWeek },
        });
        return { channel };
      }),
  }),
  deleteChannel: t.field({
    type: DeletePayload,
    description: 'Deletes a channel that no content piece, touchpoint or coverage rule uses. ADMIN.',
    authScopes: { admin: true },
    args: { input: t.arg({ type: DeleteChannelInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      runMutation(ctx, async (tx) => {
        const existing = await ownedChannel(tx, ctx, input.id);
        const [pieces, touchpoints, rules] = await oneByOne(
          () => tx.contentChannel.count({ where: { channelId: existing.id } }),
          () => tx.touchpoint.count({ where: { channelId: existing.id } }),
          () => tx.coverageRule.count({ where: { channelId: existing.id } }),
        );
        if (pieces + touchpoints + rules > 0) {
          refuse(['input', 'id'], 'IN_USE', `Channel "${existing.key}" is used by ${pieces} content piece(s), ${touchpoints} touchpoint(s) and ${rules} coverage rule(s).`);
        }
        await tx.channel.delete({ where: { id: existing.id } });
        return { deletedId: input.id };
      }),
  }),
}));

async function ownedChannel(tx: Tx, ctx: Context, globalId: string) {
  const id = idOf(globalId, 'Channel', ['input', 'id']);
  const channel = await tx.channel.findFirst({ where: { id, workspaceId: workspaceId(ctx) } });
  return channel ?? refuse(['input', 'id'], 'NOT_FOUND', `No Channel with id "${globalId}" in this workspace.`);
}

async function assertKeyFree(tx: Tx, ctx: Context, key: string) {
  const taken = await tx.channel.findUnique({ where: { workspaceId_key: { workspaceId: workspaceId(ctx), key } }, select: { id: true } });
  if (taken) refuse(['input', 'key'], 'CONFLICT', `A channel with key "${key}" already exists.`);
}

import { builder } from '../builder.js';
import { workspaceId } from '../context.js';
import type { Payload } from '../shared/mutation.js';
import { UserError } from '../shared/user-errors.js';
import { byKey, keysetConnection, totalCountField } from '../shared/keyset.js';
import type { JourneyModel as JourneyRow, Phase as PhaseRow } from '../generated/sqlite/client.js';
import { inWorkspace, nodeScope } from '../nodes/node-lookup.js';
import { Archetype, Scope } from './enums.js';

export const JourneyModel = builder.prismaNode('JourneyModel', {
  description: 'A named, ordered list of phases (klantreismodel). Segments follow one; a workspace may hold several, e.g. one for B2B and one for B2C.',
  id: { field: 'id' },
  findUnique: nodeScope('JourneyModel', inWorkspace),
  fields: (t) => ({
    key: t.exposeString('key', { description: 'Stable key, unique in the workspace; used in queries and imports.' }),
    name: t.exposeString('name', { description: 'Display name.' }),
    description: t.exposeString('description', { nullable: true, description: 'What the journey is for and who walks it.' }),
    template: t.exposeString('template', {
      nullable: true,
      description: 'The key of the built-in template it was created from; null when built by hand.',
    }),
    phases: t.relation('phases', {
      description: 'Its phases in journey order (by position). The order is guidance for display and "next phase" suggestions, never a constraint on data.',
      query: { orderBy: [{ position: 'asc' }, { id: 'asc' }] },
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was created.' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When it last changed.' }),
  }),
});

export const Phase = builder.prismaNode('Phase', {
  description: 'One step of a journey model (fase / stap), e.g. "Consideration".',
  id: { field: 'id' },
  findUnique: nodeScope('Phase', inWorkspace),
  fields: (t) => ({
    key: t.exposeString('key', { description: 'Stable key, unique within its journey model.' }),
    name: t.exposeString('name', { description: 'Display name.' }),
    description: t.exposeString('description', { nullable: true, description: 'The phase\'s goal: what the customer should get out of it.' }),
    position: t.exposeInt('position', { description: 'Its place in the journey, counted from 0; positions are consecutive.' }),
    archetype: t.expose('archetype', { type: Archetype, description: 'What kind of step it is.' }),
    scope: t.expose('scope', { type: Scope, description: 'Become, be or stay a customer.' }),
    journey: t.relation('journey', { description: 'The journey model it belongs to.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was created.' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When it last changed.' }),
  }),
});

interface JourneyPayloadShape extends Payload {
  journey?: JourneyRow | null;
}

export const JourneyPayload = builder.objectRef<JourneyPayloadShape>('JourneyPayload').implement({
  description: 'The result of a journey model mutation.',
  fields: (t) => ({
    journey: t.field({ type: JourneyModel, nullable: true, description: 'The journey model as saved; null when refused.', resolve: (p) => p.journey ?? null }),
    userErrors: t.field({ type: [UserError], description: 'Why the input was refused; empty on success.', resolve: (p) => p.userErrors }),
  }),
});

interface PhasePayloadShape extends Payload {
  phase?: PhaseRow | null;
}

export const PhasePayload = builder.objectRef<PhasePayloadShape>('PhasePayload').implement({
  description: 'The result of a phase mutation.',
  fields: (t) => ({
    phase: t.field({ type: Phase, nullable: true, description: 'The phase as saved; null when refused.', resolve: (p) => p.phase ?? null }),
    userErrors: t.field({ type: [UserError], description: 'Why the input was refused; empty on success.', resolve: (p) => p.userErrors }),
  }),
});

builder.queryFields((t) => ({
  journeys: t.connection(
    {
      type: JourneyModel,
      description: 'The workspace\'s journey models, by key.',
      authScopes: { delivery: true },
      resolve: async (_root, args, ctx, info) =>
        keysetConnection({
          ctx,
          info,
          args,
          list: 'journeys',
          typeName: 'JourneyModel',
          order: byKey,
          where: { workspaceId: workspaceId(ctx) },
          findMany: (query) => ctx.prisma.journeyModel.findMany(query),
          count: (where) => ctx.prisma.journeyModel.count({ where }),
        }),
    },
    { fields: (t) => ({ totalCount: t.int(totalCountField) }) },
  ),
  journey: t.prismaField({
    type: 'JourneyModel',
    nullable: true,
    description: 'One journey model by its key; null when there is none.',
    authScopes: { delivery: true },
    args: { key: t.arg.string({ required: true, description: 'The journey model\'s key.' }) },
    resolve: (query, _root, { key }, ctx) =>
      ctx.prisma.journeyModel.findUnique({ ...query, where: { workspaceId_key: { workspaceId: workspaceId(ctx), key } } }),
  }),
}));

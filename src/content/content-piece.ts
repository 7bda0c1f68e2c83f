import type { ObjectRef } from '@pothos/core';
import { builder, type Types } from '../builder.js';
import type { Context } from '../context.js';
import type { Channel as ChannelRow, Phase as PhaseRow, Segment as SegmentRow, Touchpoint as TouchpointRow } from '../generated/sqlite/client.js';
import { nodeScope } from '../nodes/node-lookup.js';
import { NeedType } from '../shared/enums.js';
import { keysetConnection, totalCountField } from '../shared/keyset.js';
import { ContentFormat, ContentStatus } from './enums.js';
import { ContentPieceFilter, ContentPieceOrder, contentOrder, contentWhere } from './filter.js';
import { isLiveAt, visibleContent } from './live.js';
import './mutations.js';

/**
 * The other concepts' types, by name: Pothos resolves them when the schema
 * is built, so this module does not depend on their modules' internals.
 */
function byName<Shape>(name: string): ObjectRef<Types, Shape> {
  return name as unknown as ObjectRef<Types, Shape>;
}

export const ContentPiece = builder.prismaNode('ContentPiece', {
  description:
    'One item of content and its targeting: the phases, channels and segments it serves. It covers every combination of its segments × phases × channels; without segments it is generic, for every segment whose journey contains its phases.',
  id: { field: 'id' },
  // node(id) sees what lists see: the caller's workspace, and for a DELIVERY key only live pieces.
  findUnique: nodeScope('ContentPiece', (ctx) => visibleContent(ctx)),
  fields: (t) => ({
    title: t.exposeString('title', { description: 'Title.' }),
    summary: t.exposeString('summary', { nullable: true, description: 'A short summary.' }),
    format: t.expose('format', { type: ContentFormat, description: 'What kind of content it is.' }),
    status: t.expose('status', { type: ContentStatus, description: 'Where it is in its life; change it with setContentStatus.' }),
    locale: t.expose('locale', { type: 'Locale', description: 'Its language, e.g. nl-NL.' }),
    url: t.expose('url', { type: 'URL', nullable: true, description: 'Where it can be read or watched.' }),
    externalId: t.exposeString('externalId', { nullable: true, description: 'Its id in the CMS it comes from; unique in the workspace, the key for importContent.' }),
    source: t.exposeString('source', { nullable: true, description: 'The CMS or other source it was last imported from under a sync (startContentSync); null for pieces made by hand or imported without a sync.' }),
    publishAt: t.expose('publishAt', { type: 'DateTime', nullable: true, description: 'When it goes (or went) live; null: as soon as it is PUBLISHED.' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true, description: 'When it stops being live; null: never.' }),
    reviewAt: t.expose('reviewAt', { type: 'DateTime', nullable: true, description: 'When it should be checked for freshness.' }),
    priority: t.exposeInt('priority', { description: '0..100; higher is recommended first among equally specific pieces.' }),
    needType: t.expose('needType', { type: NeedType, nullable: true, description: 'Whether it answers a functional or an emotional need.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was created.' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When it last changed.' }),
    phases: t.field({
      type: [byName<PhaseRow>('Phase')],
      description: 'The journey phases it serves (at least one), in journey order.',
      select: (_args, _ctx, nested) => ({
        phases: { select: { phase: nested(true) }, orderBy: [{ phase: { journeyId: 'asc' } }, { phase: { position: 'asc' } }] },
      }),
      resolve: (piece) => piece.phases.map((link) => link.phase),
    }),
    channels: t.field({
      type: [byName<ChannelRow>('Channel')],
      description: 'The channels it is for (at least one), by key.',
      select: (_args, _ctx, nested) => ({ channels: { select: { channel: nested(true) }, orderBy: { channel: { key: 'asc' } } } }),
      resolve: (piece) => piece.channels.map((link) => link.channel),
    }),
    segments: t.field({
      type: [byName<SegmentRow>('Segment')],
      description: 'The segments it targets, by key; empty means generic (every segment whose journey contains its phases).',
      select: (_args, _ctx, nested) => ({ segments: { select: { segment: nested(true) }, orderBy: { segment: { key: 'asc' } } } }),
      resolve: (piece) => piece.segments.map((link) => link.segment),
    }),
    touchpoints: t.field({
      type: [byName<TouchpointRow>('Touchpoint')],
      description: 'The touchpoints it serves. EDITOR, like touchpoints themselves.',
      authScopes: { editor: true },
      select: (_args, _ctx, nested) => ({ touchpoints: { select: { touchpoint: nested(true) }, orderBy: { touchpoint: { name: 'asc' } } } }),
      resolve: (piece) => piece.touchpoints.map((link) => link.touchpoint),
    }),
    isGeneric: t.boolean({
      description: 'True when it targets no segment, so it counts for every segment whose journey contains its phases.',
      select: { _count: { select: { segments: true } } },
      resolve: (piece) => piece._count.segments === 0,
    }),
    isLive: t.boolean({
      description: 'Whether it is live at `at`: PUBLISHED, publishAt empty or not after `at`, expiresAt empty or after `at`.',
      args: { at: t.arg({ type: 'DateTime', description: 'The instant to judge; default now.' }) },
      resolve: (piece, { at }) => isLiveAt(piece, at ?? new Date()),
    }),
  }),
});

builder.queryFields((t) => ({
  contentPieces: t.connection(
    {
      type: ContentPiece,
      description: 'The workspace\'s content pieces, filtered and ordered. A DELIVERY key sees only pieces live now.',
      authScopes: { delivery: true },
      args: {
        filter: t.arg({ type: ContentPieceFilter, description: 'Which pieces; omit for all.' }),
        orderBy: t.arg({ type: ContentPieceOrder, defaultValue: 'UPDATED_AT_DESC', description: 'The order; ties are broken by id.' }),
      },
      resolve: async (_root, args, ctx, info) => {
        // A title search reads every title of the workspace: it takes turns with other searches (Database.bounded).
        const heavy = args.filter?.search ? <T>(work: () => Promise<T>) => ctx.database.bounded(work) : <T>(work: () => Promise<T>) => work();
        return keysetConnection({
          ctx,
          info,
          args,
          list: 'contentPieces',
          typeName: 'ContentPiece',
          order: contentOrder(args.orderBy),
          where: await contentWhere(ctx, args.filter),
          findMany: (query) => heavy(() => ctx.prisma.contentPiece.findMany(query)),
          count: (where) => heavy(() => ctx.prisma.contentPiece.count({ where })),
        });
      },
    },
    { fields: (t) => ({ totalCount: t.int(totalCountField) }) },
  ),
  contentPiece: t.prismaField({
    type: 'ContentPiece',
    nullable: true,
    description: 'One piece by its CMS id (externalId); null when there is none (or, for a DELIVERY key, when it is not live).',
    authScopes: { delivery: true },
    args: { externalId: t.arg.string({ required: true, description: 'The piece\'s id in the CMS.' }) },
    resolve: (query, _root, { externalId }, ctx: Context) =>
      ctx.prisma.contentPiece.findFirst({ ...query, where: { ...visibleContent(ctx), externalId } }),
  }),
}));

import { builder } from '../builder.js';
import { workspaceId, type Context } from '../context.js';
import { likeLiteral } from '../db/like.js';
import { badUserInput } from '../errors.js';
import type { Prisma } from '../generated/sqlite/client.js';
import type { ContentFormat as FormatValue, ContentStatus as StatusValue, Scope as ScopeValue } from '../generated/sqlite/enums.js';
import { Scope } from '../journeys/enums.js';
import { PhaseRefInput, type PhaseRef } from '../shared/refs.js';
import { MAX_NAME } from '../shared/validation.js';
import { ContentFormat, ContentStatus } from './enums.js';
import { byId, type ListOrder, type SortKey } from '../shared/keyset.js';
import { visibleContent } from './live.js';

/** A longer search term could never match a title. */
export const MAX_SEARCH = MAX_NAME;

/** How lists of content pieces are filtered and ordered (contentPieces, and later the calendar). */
export const ContentPieceFilter = builder.inputType('ContentPieceFilter', {
  description: 'Narrows a list of content pieces; every given condition must hold.',
  fields: (t) => ({
    segment: t.string({ description: 'A segment key: pieces targeted at this segment.' }),
    includeGeneric: t.boolean({
      defaultValue: false,
      description: 'With segment: also generic pieces (no segments) whose phases are in that segment\'s journey.',
    }),
    phase: t.field({ type: PhaseRefInput, description: 'Pieces targeted at this phase.' }),
    scope: t.field({ type: Scope, description: 'Pieces targeted at a phase of this scope.' }),
    channel: t.string({ description: 'A channel key: pieces targeted at this channel.' }),
    statuses: t.field({ type: [ContentStatus], description: 'Pieces in any of these statuses.' }),
    formats: t.field({ type: [ContentFormat], description: 'Pieces in any of these formats.' }),
    locale: t.field({ type: 'Locale', description: 'Pieces in exactly this locale.' }),
    search: t.string({ description: `A part of the title, matched literally and ignoring case; at most ${MAX_SEARCH} characters (titles are no longer).` }),
    externalId: t.string({ description: 'The piece with this CMS id.' }),
  }),
});

export interface ContentPieceFilterValue {
  segment?: string | null;
  includeGeneric?: boolean | null;
  phase?: PhaseRef | null;
  scope?: ScopeValue | null;
  channel?: string | null;
  statuses?: StatusValue[] | null;
  formats?: FormatValue[] | null;
  locale?: string | null;
  search?: string | null;
  externalId?: string | null;
}

export const ContentPieceOrder = builder.enumType('ContentPieceOrder', {
  description: 'How to order content pieces. Ties are broken by id, so pages never overlap or skip.',
  values: {
    UPDATED_AT_DESC: { description: 'Most recently changed first.' },
    PUBLISH_AT_ASC: { description: 'Earliest publishAt first; pieces without one last.' },
    PUBLISH_AT_DESC: { description: 'Latest publishAt first; pieces without one last.' },
    PRIORITY_DESC: { description: 'Highest priority first.' },
    TITLE_ASC: { description: 'By title, A to Z.' },
  } as const,
});

export type ContentPieceOrderValue = keyof typeof ORDERS;

const ORDERS = {
  UPDATED_AT_DESC: [{ path: ['updatedAt'], direction: 'desc', kind: 'date' }, byId],
  PUBLISH_AT_ASC: [{ path: ['publishAt'], direction: 'asc', kind: 'date', nullable: true }, byId],
  PUBLISH_AT_DESC: [{ path: ['publishAt'], direction: 'desc', kind: 'date', nullable: true }, byId],
  PRIORITY_DESC: [{ path: ['priority'], direction: 'desc', kind: 'number' }, byId],
  TITLE_ASC: [{ path: ['title'], direction: 'asc', kind: 'string' }, byId],
} satisfies Record<string, SortKey[]>;

/** The order of a content list, ties broken by id (see shared/keyset.ts). */
export function contentOrder(order: ContentPieceOrderValue | null | undefined): ListOrder {
  const name = order ?? 'UPDATED_AT_DESC';
  return { name, keys: ORDERS[name] };
}

/**
 * The where clause for a filter, on top of what the caller may see. Keys are
 * resolved in the caller's workspace; an unknown one is a BAD_USER_INPUT
 * error naming it (e.g. "filter.segment"), never an empty list.
 */
export async function contentWhere(ctx: Context, filter: ContentPieceFilterValue | null | undefined): Promise<Prisma.ContentPieceWhereInput> {
  const conditions: Prisma.ContentPieceWhereInput[] = [visibleContent(ctx)];
  if (!filter) return conditions[0]!;
  // Before any lookup: a longer term could never match.
  if (filter.search && filter.search.length > MAX_SEARCH) {
    throw badUserInput('filter.search', `must be at most ${MAX_SEARCH} characters, the longest a title can be; got ${filter.search.length}`);
  }
  const ws = workspaceId(ctx);
  if (filter.segment != null) {
    const segment = await ctx.prisma.segment.findUnique({ where: { workspaceId_key: { workspaceId: ws, key: filter.segment } }, select: { id: true, journeyId: true } });
    if (!segment) throw badUserInput('filter.segment', `No segment with key "${filter.segment}" in this workspace.`, filter.segment);
    const targeted: Prisma.ContentPieceWhereInput = { segments: { some: { segmentId: segment.id } } };
    conditions.push(
      filter.includeGeneric
        ? { OR: [targeted, { segments: { none: {} }, phases: { some: { phase: { journeyId: segment.journeyId } } } }] }
        : targeted,
    );
  }
  if (filter.phase) {
    const { journey, phase: key } = filter.phase;
    const phase = await ctx.prisma.phase.findFirst({ where: { workspaceId: ws, key, journey: { key: journey } }, select: { id: true } });
    if (!phase) throw badUserInput('filter.phase', `No phase "${key}" in journey "${journey}" in this workspace.`, filter.phase);
    conditions.push({ phases: { some: { phaseId: phase.id } } });
  }
  if (filter.scope) conditions.push({ phases: { some: { phase: { scope: filter.scope } } } });
  if (filter.channel != null) {
    const channel = await ctx.prisma.channel.findUnique({ where: { workspaceId_key: { workspaceId: ws, key: filter.channel } }, select: { id: true } });
    if (!channel) throw badUserInput('filter.channel', `No channel with key "${filter.channel}" in this workspace.`, filter.channel);
    conditions.push({ channels: { some: { channelId: channel.id } } });
  }
  if (filter.statuses) conditions.push({ status: { in: filter.statuses } });
  if (filter.formats) conditions.push({ format: { in: filter.formats } });
  if (filter.locale != null) conditions.push({ locale: filter.locale });
  if (filter.search) {
    // SQLite's LIKE ignores case already; PostgreSQL needs ILIKE.
    const insensitive = ctx.provider === 'postgresql' ? { mode: 'insensitive' as const } : {};
    conditions.push({ title: { contains: likeLiteral(filter.search), ...insensitive } });
  }
  if (filter.externalId != null) conditions.push({ externalId: filter.externalId });
  return { AND: conditions };
}

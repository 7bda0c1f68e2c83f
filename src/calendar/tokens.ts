import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { hashSecret } from '../auth/keys.js';
import { builder } from '../builder.js';
import { workspaceId, type Context } from '../context.js';
import type { Db } from '../db/client.js';
import type { CalendarToken as CalendarTokenRow } from '../generated/sqlite/client.js';
import { inWorkspace, nodeScope } from '../nodes/node-lookup.js';
import { idOf } from '../shared/global-id.js';
import { runMutation, type Payload, type Tx } from '../shared/mutation.js';
import { refuse, UserError } from '../shared/user-errors.js';
import { nameSchema, parseInput } from '../shared/validation.js';
import { keysetConnection, oldestFirst, totalCountField } from '../shared/keyset.js';

/**
 * Calendar tokens open the iCalendar feed: calendar programs cannot send an
 * Authorization header, so the token travels in the feed URL. A token only
 * reads its workspace's calendar; it is stored as its SHA-256, like API keys.
 */
const TOKEN_PREFIX = 'cpc_';
export const FEED_PATH = '/calendar.ics';

export const CalendarToken = builder.prismaNode('CalendarToken', {
  description: 'A read-only token for the iCalendar feed of the workspace\'s content calendar. The token itself is never readable: only its prefix.',
  authScopes: { editor: true },
  id: { field: 'id' },
  findUnique: nodeScope('CalendarToken', inWorkspace),
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Who or what subscribes with it, e.g. "Marketing team calendar".' }),
    prefix: t.exposeString('prefix', { description: 'The first characters of the token, to tell tokens apart.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was created.' }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true, description: 'When it was revoked; null while it works.' }),
    revoked: t.boolean({ description: 'Whether it is revoked: the feed then answers 401.', resolve: (token) => token.revokedAt !== null }),
  }),
});

builder.queryFields((t) => ({
  calendarTokens: t.connection(
    {
      type: CalendarToken,
      description: 'The workspace\'s calendar tokens, oldest first. EDITOR.',
      authScopes: { editor: true },
      args: { includeRevoked: t.arg.boolean({ defaultValue: false, description: 'Also list revoked tokens.' }) },
      resolve: async (_root, args, ctx, info) =>
        keysetConnection({
          ctx,
          info,
          args,
          list: 'calendarTokens',
          typeName: 'CalendarToken',
          order: oldestFirst,
          where: tokensWhere(ctx, args.includeRevoked),
          findMany: (query) => ctx.prisma.calendarToken.findMany(query),
          count: (where) => ctx.prisma.calendarToken.count({ where }),
        }),
    },
    { fields: (t) => ({ totalCount: t.int(totalCountField) }) },
  ),
}));

function tokensWhere(ctx: Context, includeRevoked: boolean | null | undefined) {
  return { workspaceId: workspaceId(ctx), ...(includeRevoked ? {} : { revokedAt: null }) };
}

const CreateCalendarTokenInput = builder.inputType('CreateCalendarTokenInput', {
  description: 'A new calendar token for the caller\'s workspace.',
  fields: (t) => ({ name: t.string({ required: true, description: 'Who or what subscribes with it, e.g. "Marketing team calendar".' }) }),
});

const RevokeCalendarTokenInput = builder.inputType('RevokeCalendarTokenInput', {
  description: 'The calendar token to revoke.',
  fields: (t) => ({ id: t.id({ required: true, description: 'The token\'s global ID.' }) }),
});

interface CalendarTokenPayloadShape extends Payload {
  calendarToken?: CalendarTokenRow | null;
}

interface CreateCalendarTokenPayloadShape extends CalendarTokenPayloadShape {
  token?: string | null;
}

const CalendarTokenPayload = builder.objectRef<CalendarTokenPayloadShape>('CalendarTokenPayload').implement({
  description: 'The result of revokeCalendarToken.',
  fields: (t) => ({
    calendarToken: t.field({ type: CalendarToken, nullable: true, description: 'The token as saved; null when refused.', resolve: (p) => p.calendarToken ?? null }),
    userErrors: t.field({ type: [UserError], description: 'Why the input was refused; empty on success.', resolve: (p) => p.userErrors }),
  }),
});

const CreateCalendarTokenPayload = builder.objectRef<CreateCalendarTokenPayloadShape>('CreateCalendarTokenPayload').implement({
  description: 'The result of createCalendarToken, with the token and the feed URL.',
  fields: (t) => ({
    calendarToken: t.field({ type: CalendarToken, nullable: true, description: 'The new token; null when refused.', resolve: (p) => p.calendarToken ?? null }),
    token: t.string({
      nullable: true,
      description: 'The token. Shown this once only: it is stored as a hash and cannot be read again. Null when refused.',
      resolve: (p) => p.token ?? null,
    }),
    feedUrl: t.string({
      nullable: true,
      description: `The feed's absolute URL with this token, e.g. https://api.example.com${FEED_PATH}?token=cpc_...: subscribe to it in a calendar program. It starts with the server's configured public address, or else the address this request was sent to. Filters (segments, channels, phases, scope, statuses, formats, from, to, timeZone) may be added as query parameters. Null when refused.`,
      resolve: (p, _args, ctx) => (p.token ? `${ctx.publicUrl}${feedPath(p.token)}` : null),
    }),
    userErrors: t.field({ type: [UserError], description: 'Why the input was refused; empty on success.', resolve: (p) => p.userErrors }),
  }),
});

const newTokenFields = z.object({ name: nameSchema });

builder.mutationFields((t) => ({
  createCalendarToken: t.field({
    type: CreateCalendarTokenPayload,
    description: 'Creates a read-only token for the iCalendar feed and answers it, once, with the feed URL. EDITOR.',
    authScopes: { editor: true },
    args: { input: t.arg({ type: CreateCalendarTokenInput, required: true, description: 'The new token.' }) },
    resolve: (_root, { input }, ctx) =>
      runMutation(ctx, async (tx) => {
        const { name } = parseInput(newTokenFields, input);
        const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
        const calendarToken = await tx.calendarToken.create({
          data: { workspaceId: workspaceId(ctx), name, prefix: token.slice(0, TOKEN_PREFIX.length + 6), tokenHash: hashSecret(token) },
        });
        return { calendarToken, token };
      }),
  }),
  revokeCalendarToken: t.field({
    type: CalendarTokenPayload,
    description: 'Revokes a calendar token: from then on the feed answers 401 to it. Cannot be undone. EDITOR.',
    authScopes: { editor: true },
    args: { input: t.arg({ type: RevokeCalendarTokenInput, required: true, description: 'The token to revoke.' }) },
    resolve: (_root, { input }, ctx) =>
      runMutation(ctx, async (tx) => {
        const existing = await ownedToken(tx, ctx, input.id);
        if (existing.revokedAt) refuse(['input', 'id'], 'INVALID', `Calendar token "${existing.name}" is already revoked.`);
        return { calendarToken: await tx.calendarToken.update({ where: { id: existing.id }, data: { revokedAt: new Date() } }) };
      }),
  }),
}));

/** The workspace a feed token opens, or null when it is unknown or revoked. One indexed read. */
export async function workspaceOfToken(db: Db, token: string): Promise<string | null> {
  const row = await db.calendarToken.findUnique({ where: { tokenHash: hashSecret(token) }, select: { workspaceId: true, revokedAt: true } });
  return row && !row.revokedAt ? row.workspaceId : null;
}

function feedPath(token: string): string {
  return `${FEED_PATH}?${new URLSearchParams({ token })}`;
}

async function ownedToken(tx: Tx, ctx: Context, globalId: string) {
  const id = idOf(globalId, 'CalendarToken', ['input', 'id']);
  const token = await tx.calendarToken.findFirst({ where: { id, workspaceId: workspaceId(ctx) } });
  return token ?? refuse(['input', 'id'], 'NOT_FOUND', `No CalendarToken with id "${globalId}" in this workspace.`);
}

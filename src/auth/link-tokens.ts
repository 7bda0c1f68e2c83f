import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { builder } from '../builder.js';
import { workspaceId, type Context } from '../context.js';
import type { Db } from '../db/client.js';
import type { CalendarToken as TokenRow } from '../generated/sqlite/client.js';
import { inWorkspace, nodeScope } from '../nodes/node-lookup.js';
import { idOf } from '../shared/global-id.js';
import { keysetConnection, oldestFirst, totalCountField } from '../shared/keyset.js';
import { runMutation, type Payload, type Tx } from '../shared/mutation.js';
import { refuse, UserError } from '../shared/user-errors.js';
import { nameSchema, parseInput } from '../shared/validation.js';
import { hashSecret } from './keys.js';
import { Refusals } from './refusals.js';

/**
 * Link tokens open a read-only view of one workspace by a URL, for readers
 * that cannot send an Authorization header: calendar programs (the
 * iCalendar feed) and browsers, wikis and spreadsheets (the reports). Each
 * kind has its own table and prefix, so a token of one kind never opens the
 * other. A token is stored as its SHA-256, like API keys; EDITOR and above
 * create, list and revoke them; a revoked token stays revoked.
 */
export interface LinkTokenKind {
  /** The Prisma model and the GraphQL type, e.g. CalendarToken. */
  model: 'CalendarToken' | 'ReportToken';
  /** The field and argument names' stem, e.g. calendarToken. */
  field: 'calendarToken' | 'reportToken';
  /** For sentences, e.g. "calendar token". */
  noun: string;
  /** The token's first characters, telling its kind, e.g. cpc_. */
  prefix: string;
  /** The GraphQL type's description. */
  description: string;
  /** What its `revoked` field and the revoke mutation say happens once it is revoked. */
  whenRevoked: string;
  /** Description of the `name` field and input. */
  nameDescription: string;
  /** The create payload's URL field: its name, its description and the path (with the token) it answers. */
  url: { field: string; description: string; path: (token: string) => string };
}

/**
 * The rows of a kind's table, through the client of a request or of a
 * transaction. The two tables have the same columns, but TypeScript cannot
 * call a union of two Prisma delegates' generic methods: one stands for both.
 */
const tableOf = (db: Db | Tx, kind: LinkTokenKind) => (kind.model === 'CalendarToken' ? db.calendarToken : db.reportToken) as Db['calendarToken'];

/** Declares the kind's GraphQL type, its list, and its create and revoke mutations. */
export function linkTokenApi(kind: LinkTokenKind): void {
  const { model, field, noun } = kind;
  const Model = capitalised(noun);
  // Both models have the same columns (prisma/schema.prisma); Pothos is told the calendar's, which types the fields alike.
  const TokenType = builder.prismaNode(model as 'CalendarToken', {
    description: kind.description,
    authScopes: { editor: true },
    id: { field: 'id' },
    findUnique: nodeScope(model, inWorkspace),
    fields: (t) => ({
      name: t.exposeString('name', { description: kind.nameDescription }),
      prefix: t.exposeString('prefix', { description: 'The first characters of the token, to tell tokens apart.' }),
      createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was created.' }),
      revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true, description: 'When it was revoked; null while it works.' }),
      revoked: t.boolean({ description: `Whether it is revoked: ${kind.whenRevoked}.`, resolve: (token) => token.revokedAt !== null }),
    }),
  });

  builder.queryFields((t) => ({
    [`${field}s`]: t.connection(
      {
        type: TokenType,
        description: `The workspace's ${noun}s, oldest first. EDITOR.`,
        authScopes: { editor: true },
        args: { includeRevoked: t.arg.boolean({ defaultValue: false, description: 'Also list revoked tokens.' }) },
        resolve: async (_root, args, ctx, info) =>
          keysetConnection({
            ctx,
            info,
            args,
            list: `${field}s`,
            typeName: model,
            order: oldestFirst,
            where: { workspaceId: workspaceId(ctx), ...(args.includeRevoked ? {} : { revokedAt: null }) },
            findMany: (query) => tableOf(ctx.prisma, kind).findMany(query),
            count: (where) => tableOf(ctx.prisma, kind).count({ where }),
          }),
      },
      { fields: (t) => ({ totalCount: t.int(totalCountField) }) },
    ),
  }));

  const CreateInput = builder.inputType(`Create${model}Input`, {
    description: `A new ${noun} for the caller's workspace.`,
    fields: (t) => ({ name: t.string({ required: true, description: kind.nameDescription }) }),
  });
  const RevokeInput = builder.inputType(`Revoke${model}Input`, {
    description: `The ${noun} to revoke.`,
    fields: (t) => ({ id: t.id({ required: true, description: 'The token\'s global ID.' }) }),
  });

  const TokenPayload = builder.objectRef<TokenPayloadShape>(`${model}Payload`).implement({
    description: `The result of revoke${model}.`,
    fields: (t) => ({
      [field]: t.field({ type: TokenType, nullable: true, description: 'The token as saved; null when refused.', resolve: (p) => p.row ?? null }),
      userErrors: t.field({ type: [UserError], description: 'Why the input was refused; empty on success.', resolve: (p) => p.userErrors }),
    }),
  });
  const CreatePayload = builder.objectRef<TokenPayloadShape>(`Create${model}Payload`).implement({
    description: `The result of create${model}, with the token and its URL.`,
    fields: (t) => ({
      [field]: t.field({ type: TokenType, nullable: true, description: 'The new token; null when refused.', resolve: (p) => p.row ?? null }),
      token: t.string({
        nullable: true,
        description: 'The token. Shown this once only: it is stored as a hash and cannot be read again. Null when refused.',
        resolve: (p) => p.token ?? null,
      }),
      [kind.url.field]: t.string({
        nullable: true,
        description: kind.url.description,
        resolve: (p, _args, ctx) => (p.token ? `${ctx.publicUrl}${kind.url.path(p.token)}` : null),
      }),
      userErrors: t.field({ type: [UserError], description: 'Why the input was refused; empty on success.', resolve: (p) => p.userErrors }),
    }),
  });

  const newToken = z.object({ name: nameSchema });
  builder.mutationFields((t) => ({
    [`create${model}`]: t.field({
      type: CreatePayload,
      description: `Creates a ${noun} and answers it, once, with its URL. EDITOR.`,
      authScopes: { editor: true },
      args: { input: t.arg({ type: CreateInput, required: true, description: 'The new token.' }) },
      resolve: (_root, { input }, ctx) =>
        runMutation(ctx, async (tx) => {
          const { name } = parseInput(newToken, input);
          const token = kind.prefix + randomBytes(32).toString('base64url');
          const row = await tableOf(tx, kind).create({
            data: { workspaceId: workspaceId(ctx), name, prefix: token.slice(0, kind.prefix.length + 6), tokenHash: hashSecret(token) },
          });
          return { row, token };
        }),
    }),
    [`revoke${model}`]: t.field({
      type: TokenPayload,
      description: `Revokes a ${noun}: from then on ${kind.whenRevoked}. Cannot be undone. EDITOR.`,
      authScopes: { editor: true },
      args: { input: t.arg({ type: RevokeInput, required: true, description: 'The token to revoke.' }) },
      resolve: (_root, { input }, ctx) =>
        runMutation(ctx, async (tx) => {
          const id = idOf(input.id, model, ['input', 'id']);
          const existing = await tableOf(tx, kind).findFirst({ where: { id, workspaceId: workspaceId(ctx) } });
          if (!existing) return refuse(['input', 'id'], 'NOT_FOUND', `No ${model} with id "${input.id}" in this workspace.`);
          if (existing.revokedAt) refuse(['input', 'id'], 'INVALID', `${Model} "${existing.name}" is already revoked.`);
          return { row: await tableOf(tx, kind).update({ where: { id: existing.id }, data: { revokedAt: new Date() } }) };
        }),
    }),
  }));
}

interface TokenPayloadShape extends Payload {
  row?: TokenRow | null;
  token?: string | null;
}

/**
 * The workspace a link token opens, or null when it is unknown or revoked:
 * one indexed read, and none for a token refused in the last minute.
 */
export function linkTokenGate(db: Db, kind: LinkTokenKind): (token: string) => Promise<string | null> {
  const refusals = new Refusals();
  return async (token) => {
    const tokenHash = hashSecret(token);
    if (refusals.has(tokenHash)) return null;
    const row = await tableOf(db, kind).findUnique({ where: { tokenHash }, select: { workspaceId: true, revokedAt: true } });
    if (row && !row.revokedAt) return row.workspaceId;
    refusals.add(tokenHash);
    return null;
  };
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

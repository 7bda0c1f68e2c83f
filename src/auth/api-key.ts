import { z } from 'zod';
import { builder } from '../builder.js';
import { workspaceId, type Context } from '../context.js';
import type { ApiKey as ApiKeyRow } from '../generated/sqlite/client.js';
import type { Role as RoleValue } from '../generated/sqlite/enums.js';
import { inWorkspace, nodeScope } from '../nodes/node-lookup.js';
import { idOf } from '../shared/global-id.js';
import { runMutation, type Payload, type Tx } from '../shared/mutation.js';
import { refuse, UserError } from '../shared/user-errors.js';
import { nameSchema, parseInput } from '../shared/validation.js';
import { keysetConnection, oldestFirst, totalCountField } from '../shared/keyset.js';
import { Role } from '../workspaces/workspace.js';
import { createApiKey } from './keys.js';
import type { Viewer as ViewerShape } from './viewer.js';

export const ApiKey = builder.prismaNode('ApiKey', {
  description: 'A key that calls the API for one workspace with one role. The secret itself is never readable: only its prefix.',
  // ADMIN sees every key of its workspace; any key may see itself (viewer.apiKey).
  authScopes: (key, ctx) => key.id === ctx.viewer?.apiKeyId || { admin: true },
  id: { field: 'id' },
  findUnique: nodeScope('ApiKey', inWorkspace),
  fields: (t) => ({
    name: t.exposeString('name', { description: 'What the key is for, e.g. "Website production".' }),
    role: t.expose('role', { type: Role, description: 'What the key may do.' }),
    prefix: t.exposeString('prefix', { description: 'The first characters of the secret, to tell keys apart (e.g. in logs).' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the key was created.' }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true, description: 'When the key was revoked; null while it works.' }),
    revoked: t.boolean({ description: 'Whether the key is revoked: requests with it are refused as UNAUTHENTICATED.', resolve: (key) => key.revokedAt !== null }),
  }),
});

const Viewer = builder.objectRef<ViewerShape>('Viewer').implement({
  description: 'Who is calling: the workspace, role and API key of the request.',
  fields: (t) => ({
    workspace: t.prismaField({
      type: 'Workspace',
      description: 'The workspace the key belongs to.',
      resolve: (query, viewer, _args, ctx) => ctx.prisma.workspace.findUniqueOrThrow({ ...query, where: { id: viewer.workspaceId } }),
    }),
    role: t.field({ type: Role, description: 'The key\'s role.', resolve: (viewer) => viewer.role }),
    apiKey: t.prismaField({
      type: 'ApiKey',
      description: 'The key making the request.',
      resolve: (query, viewer, _args, ctx) => ctx.prisma.apiKey.findUniqueOrThrow({ ...query, where: { id: viewer.apiKeyId } }),
    }),
  }),
});

builder.queryFields((t) => ({
  viewer: t.field({
    type: Viewer,
    description: 'Who is calling: the key\'s workspace, role and the key itself. Any role.',
    authScopes: { delivery: true },
    resolve: (_root, _args, ctx) => ctx.viewer as ViewerShape,
  }),
  apiKeys: t.connection(
    {
      type: ApiKey,
      description: 'The workspace\'s API keys, oldest first. ADMIN.',
      authScopes: { admin: true },
      args: {
        includeRevoked: t.arg.boolean({ defaultValue: false, description: 'Also list revoked keys.' }),
      },
      resolve: async (_root, args, ctx, info) =>
        keysetConnection({
          ctx,
          info,
          args,
          list: 'apiKeys',
          typeName: 'ApiKey',
          order: oldestFirst,
          where: keysWhere(ctx, args.includeRevoked),
          findMany: (query) => ctx.prisma.apiKey.findMany(query),
          count: (where) => ctx.prisma.apiKey.count({ where }),
        }),
    },
    { fields: (t) => ({ totalCount: t.int(totalCountField) }) },
  ),
}));

function keysWhere(ctx: Context, includeRevoked: boolean | null | undefined) {
  return { workspaceId: workspaceId(ctx), ...(includeRevoked ? {} : { revokedAt: null }) };
}

// Mutations (ADMIN): create and revoke.

const CreateApiKeyInput = builder.inputType('CreateApiKeyInput', {
  description: 'A new API key for the caller\'s workspace.',
  fields: (t) => ({
    name: t.string({ required: true, description: 'What the key is for, e.g. "Website production".' }),
    role: t.field({ type: Role, required: true, description: 'What the key may do.' }),
  }),
});

const RevokeApiKeyInput = builder.inputType('RevokeApiKeyInput', {
  description: 'The API key to revoke.',
  fields: (t) => ({ id: t.id({ required: true, description: 'The key\'s global ID.' }) }),
});

interface ApiKeyPayloadShape extends Payload {
  apiKey?: ApiKeyRow | null;
}

interface CreateApiKeyPayloadShape extends ApiKeyPayloadShape {
  secret?: string | null;
}

const ApiKeyPayload = builder.objectRef<ApiKeyPayloadShape>('ApiKeyPayload').implement({
  description: 'The result of an API key mutation.',
  fields: (t) => ({
    apiKey: t.field({ type: ApiKey, nullable: true, description: 'The key as saved; null when refused.', resolve: (p) => p.apiKey ?? null }),
    userErrors: t.field({ type: [UserError], description: 'Why the input was refused; empty on success.', resolve: (p) => p.userErrors }),
  }),
});

const CreateApiKeyPayload = builder.objectRef<CreateApiKeyPayloadShape>('CreateApiKeyPayload').implement({
  description: 'The result of createApiKey, with the secret.',
  fields: (t) => ({
    apiKey: t.field({ type: ApiKey, nullable: true, description: 'The new key; null when refused.', resolve: (p) => p.apiKey ?? null }),
    secret: t.string({
      nullable: true,
      description: 'The secret to send as "Authorization: Bearer <secret>". Shown this once only: it is stored as a hash and cannot be read again. Null when refused.',
      resolve: (p) => p.secret ?? null,
    }),
    userErrors: t.field({ type: [UserError], description: 'Why the input was refused; empty on success.', resolve: (p) => p.userErrors }),
  }),
});

const newKeyFields = z.object({ name: nameSchema });

builder.mutationFields((t) => ({
  createApiKey: t.field({
    type: CreateApiKeyPayload,
    description: 'Creates an API key for the caller\'s workspace and answers its secret, once. ADMIN.',
    authScopes: { admin: true },
    args: { input: t.arg({ type: CreateApiKeyInput, required: true, description: 'The new key.' }) },
    resolve: (_root, { input }, ctx) =>
      runMutation(ctx, async (tx) => {
        const { name } = parseInput(newKeyFields, input);
        const created = await createApiKey(tx, workspaceId(ctx), name, input.role as RoleValue);
        const apiKey = await tx.apiKey.findUniqueOrThrow({ where: { id: created.id } });
        return { apiKey, secret: created.secret };
      }),
  }),
  revokeApiKey: t.field({
    type: ApiKeyPayload,
    description:
      'Revokes an API key: from its next request on it is refused as UNAUTHENTICATED (HTTP 401). Revoking cannot be undone. A key may revoke itself; the current request still completes. ADMIN.',
    authScopes: { admin: true },
    args: { input: t.arg({ type: RevokeApiKeyInput, required: true, description: 'The key to revoke.' }) },
    resolve: async (_root, { input }, ctx) => {
      const result = await runMutation(ctx, async (tx) => {
        const existing = await ownedKey(tx, ctx, input.id);
        if (existing.revokedAt) refuse(['input', 'id'], 'INVALID', `API key "${existing.name}" is already revoked.`);
        const apiKey = await tx.apiKey.update({ where: { id: existing.id }, data: { revokedAt: new Date() } });
        return { apiKey };
      });
      // After the commit, so no request in between can cache the key again.
      if (result.apiKey) ctx.keyCache.forget(result.apiKey.id);
      return result;
    },
  }),
}));

async function ownedKey(tx: Tx, ctx: Context, globalId: string) {
  const id = idOf(globalId, 'ApiKey', ['input', 'id']);
  const key = await tx.apiKey.findFirst({ where: { id, workspaceId: workspaceId(ctx) } });
  return key ?? refuse(['input', 'id'], 'NOT_FOUND', `No ApiKey with id "${globalId}" in this workspace.`);
}

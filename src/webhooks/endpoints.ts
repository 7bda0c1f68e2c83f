import { z } from 'zod';
import { descriptionSchema, lineSchema, MAX_LONG_TEXT, MAX_URL } from '../shared/validation.js';
import { builder } from '../builder.js';
import { workspaceId, type Context } from '../context.js';
import type { WebhookEndpoint as EndpointRow } from '../generated/sqlite/client.js';
import { inWorkspace, nodeScope } from '../nodes/node-lookup.js';
import { idOf } from '../shared/global-id.js';
import { keysetConnection, oldestFirst, totalCountField } from '../shared/keyset.js';
import { runMutation, type Payload, type Tx } from '../shared/mutation.js';
import { DeletePayload } from '../shared/payloads.js';
import { refuse, UserError, type UserErrorShape } from '../shared/user-errors.js';
import { collect, failIfAny } from '../content/validation.js';
import { enumName, EVENT_TYPES, typeOfEnumName, type EventType } from './event-types.js';
import { newSecret, sealSecret } from './secrets.js';
import { resolvedProblem, urlProblem } from './target-url.js';
import { WebhookDelivery, WebhookDeliveryStatus } from './deliveries.js';

/**
 * Webhook endpoints (ADMIN): where the workspace's events go. The signing
 * secret is answered once, when the endpoint is made and when it is
 * rotated; after a rotation the previous secret signs too for 24 hours, so
 * receivers can switch without missing a delivery.
 */
export const MAX_ENDPOINTS = 20;
export const ROTATION_OVERLAP_MS = 24 * 3_600_000;

const EVENT_DESCRIPTIONS: Record<EventType, string> = {
  'content.created': 'A content piece was made (createContentPiece, or importContent for a new externalId).',
  'content.updated': 'A content piece\'s fields, targeting or source changed (a status change alone is content.status_changed).',
  'content.status_changed': 'A content piece moved in the workflow; the body has status and previousStatus.',
  'content.deleted': 'A content piece was deleted (deleteContentPiece, deleteContent, or a completed sync that deletes).',
  'content.archived': 'A content piece moved to ARCHIVED (it also sends content.status_changed).',
  'content.live': 'A PUBLISHED piece\'s publishAt passed: it is live from that instant (the body\'s "at"). Sent by the server\'s clock, within about a second.',
  'content.expired': 'A PUBLISHED piece\'s expiresAt passed: it stopped being live at that instant (the body\'s "at").',
  'coverage.gap_opened': 'A cell of the content matrix became a gap (MISSING, PLANNED_ONLY, STALE, THIN or EXPIRING), through a write or through time; the body has the gap\'s kind, severity and message as contentGaps gives them.',
  'coverage.gap_closed': 'A cell that was a gap became COVERED or not expected; the body has the kind, severity and message the gap had.',
};

export const WebhookEventType = builder.enumType('WebhookEventType', {
  description: 'What a webhook tells about. On the wire (the body\'s "type") each is written in lower case with a dot: CONTENT_STATUS_CHANGED is "content.status_changed".',
  values: Object.fromEntries(
    EVENT_TYPES.map((type) => [enumName(type), { description: EVENT_DESCRIPTIONS[type] }]),
  ) as Record<string, { description: string }>,
});


export const WebhookEndpoint = builder.prismaNode('WebhookEndpoint', {
  description: 'A URL the workspace\'s events are sent to, signed as the Standard Webhooks specification says. The secret is never readable again after it is answered.',
  authScopes: { admin: true },
  id: { field: 'id' },
  findUnique: nodeScope('WebhookEndpoint', inWorkspace),
  fields: (t) => ({
    url: t.exposeString('url', { description: 'Where events are POSTed.' }),
    description: t.exposeString('description', { description: 'What it is for, for people.' }),
    eventTypes: t.field({
      type: [WebhookEventType],
      description: 'The event types it receives; empty: every type, including types added later.',
      resolve: (e) => (e.eventTypes ? e.eventTypes.split(' ').map((type) => enumName(type as EventType)) : []),
    }),
    enabled: t.exposeBoolean('enabled', { description: 'Whether events are sent to it. Events that happen while it is off are not sent later; deliveries already made wait until it is on again.' }),
    disabledReason: t.exposeString('disabledReason', { nullable: true, description: 'Why the server turned it off (the receiver answered 410 Gone); null otherwise.' }),
    previousSecretExpiresAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'Until when the secret before the last rotation still signs (beside the new one); null when only one secret signs.',
      resolve: (e) => (e.previousSecretUntil && e.previousSecretUntil > new Date() ? e.previousSecretUntil : null),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was made; events from before are not sent to it.' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When it last changed.' }),
    deliveries: t.connection(
      {
        type: WebhookDelivery,
        description: 'Its delivery log, newest first: one delivery per event, with its attempts.',
        args: { status: t.arg({ type: WebhookDeliveryStatus, description: 'Only deliveries in this state.' }) },
        resolve: (endpoint, args, ctx, info) =>
          keysetConnection({
            ctx,
            info,
            args,
            list: `webhookDeliveries:${endpoint.id}`,
            typeName: 'WebhookDelivery',
            order: newestFirst,
            where: { endpointId: endpoint.id, ...(args.status ? { status: args.status } : {}) },
            findMany: (query) => ctx.prisma.webhookDelivery.findMany(query),
            count: (where) => ctx.prisma.webhookDelivery.count({ where }),
          }),
      },
      { fields: (t) => ({ totalCount: t.int(totalCountField) }) },
    ),
  }),
});

const newestFirst = { name: 'CREATED_AT_DESC', keys: [{ path: ['createdAt'], direction: 'desc' as const, kind: 'date' as const }, { path: ['id'], direction: 'desc' as const, kind: 'string' as const }] };

builder.queryFields((t) => ({
  webhookEndpoints: t.connection(
    {
      type: WebhookEndpoint,
      description: 'The workspace\'s webhook endpoints, oldest first. ADMIN.',
      authScopes: { admin: true },
      resolve: (_root, args, ctx, info) =>
        keysetConnection({
          ctx,
          info,
          args,
          list: 'webhookEndpoints',
          typeName: 'WebhookEndpoint',
          order: oldestFirst,
          where: { workspaceId: workspaceId(ctx) },
          findMany: (query) => ctx.prisma.webhookEndpoint.findMany(query),
          count: (where) => ctx.prisma.webhookEndpoint.count({ where }),
        }),
    },
    { fields: (t) => ({ totalCount: t.int(totalCountField) }) },
  ),
}));

const CreateWebhookEndpointInput = builder.inputType('CreateWebhookEndpointInput', {
  description: 'A new webhook endpoint.',
  fields: (t) => ({
    url: t.string({ required: true, description: 'Where to POST events: https (http is accepted outside production). Addresses on loopback, private or link-local networks are refused unless the server allows them (WEBHOOK_ALLOW_PRIVATE_TARGETS).' }),
    description: t.string({ description: `What it is for, up to ${MAX_LONG_TEXT} characters.` }),
    eventTypes: t.field({ type: [WebhookEventType], description: 'The event types to send; omit or leave empty for every type.' }),
    enabled: t.boolean({ defaultValue: true, description: 'Whether to send at once (default true).' }),
  }),
});

const UpdateWebhookEndpointInput = builder.inputType('UpdateWebhookEndpointInput', {
  description: 'Changes to a webhook endpoint; omitted fields stay as they are.',
  fields: (t) => ({
    id: t.id({ required: true, description: 'The endpoint\'s global ID.' }),
    url: t.string({ description: 'New URL (checked as on creation).' }),
    description: t.string({ description: 'New description.' }),
    eventTypes: t.field({ type: [WebhookEventType], description: 'Replaces its event types; empty: every type.' }),
    enabled: t.boolean({ description: 'Turn sending on or off; turning it on clears disabledReason.' }),
  }),
});

const RotateWebhookEndpointSecretInput = builder.inputType('RotateWebhookEndpointSecretInput', {
  description: 'The webhook endpoint to give a new secret.',
  fields: (t) => ({ id: t.id({ required: true, description: 'The endpoint\'s global ID.' }) }),
});

const DeleteWebhookEndpointInput = builder.inputType('DeleteWebhookEndpointInput', {
  description: 'The webhook endpoint to delete.',
  fields: (t) => ({ id: t.id({ required: true, description: 'The endpoint\'s global ID.' }) }),
});

interface EndpointPayloadShape extends Payload {
  endpoint?: EndpointRow | null;
  secret?: string | null;
}

const WebhookEndpointPayload = builder.objectRef<EndpointPayloadShape>('WebhookEndpointPayload').implement({
  description: 'The result of updateWebhookEndpoint.',
  fields: (t) => ({
    webhookEndpoint: t.field({ type: WebhookEndpoint, nullable: true, description: 'The endpoint as saved; null when refused.', resolve: (p) => p.endpoint ?? null }),
    userErrors: t.field({ type: [UserError], description: 'Why the input was refused; empty on success.', resolve: (p) => p.userErrors }),
  }),
});

const WebhookEndpointSecretPayload = builder.objectRef<EndpointPayloadShape>('WebhookEndpointSecretPayload').implement({
  description: 'The result of createWebhookEndpoint and rotateWebhookEndpointSecret, with the signing secret.',
  fields: (t) => ({
    webhookEndpoint: t.field({ type: WebhookEndpoint, nullable: true, description: 'The endpoint as saved; null when refused.', resolve: (p) => p.endpoint ?? null }),
    secret: t.string({
      nullable: true,
      description: 'The signing secret (whsec_...), for the receiver to verify signatures with. Shown this once only: it cannot be read again. Null when refused.',
      resolve: (p) => p.secret ?? null,
    }),
    userErrors: t.field({ type: [UserError], description: 'Why the input was refused; empty on success.', resolve: (p) => p.userErrors }),
  }),
});

const fieldsSchema = z.object({ url: lineSchema(MAX_URL), description: descriptionSchema.nullish() });

builder.mutationFields((t) => ({
  createWebhookEndpoint: t.field({
    type: WebhookEndpointSecretPayload,
    description: `Adds a webhook endpoint (at most ${MAX_ENDPOINTS} per workspace) and answers its signing secret, once. Events from then on are sent to it. ADMIN.`,
    authScopes: { admin: true },
    args: { input: t.arg({ type: CreateWebhookEndpointInput, required: true, description: 'The endpoint.' }) },
    resolve: (_root, { input }, ctx) =>
      runMutation(ctx, async (tx) => {
        const key = requireKey(ctx);
        const fields = await checkFields(ctx, { url: input.url, description: input.description });
        const count = await tx.webhookEndpoint.count({ where: { workspaceId: workspaceId(ctx) } });
        if (count >= MAX_ENDPOINTS) refuse(['input'], 'TOO_MANY', `A workspace has at most ${MAX_ENDPOINTS} webhook endpoints; delete one first.`);
        const secret = newSecret();
        const endpoint = await tx.webhookEndpoint.create({
          data: {
            workspaceId: workspaceId(ctx),
            url: fields.url,
            description: fields.description ?? '',
            eventTypes: storedTypes(input.eventTypes),
            enabled: input.enabled ?? true,
            secret: sealSecret(key, workspaceId(ctx), secret),
          },
        });
        return { endpoint, secret };
      }),
  }),
  updateWebhookEndpoint: t.field({
    type: WebhookEndpointPayload,
    description: 'Changes a webhook endpoint\'s URL, description, event types or whether it is on. ADMIN.',
    authScopes: { admin: true },
    args: { input: t.arg({ type: UpdateWebhookEndpointInput, required: true, description: 'The changes.' }) },
    resolve: (_root, { input }, ctx) =>
      runMutation(ctx, async (tx) => {
        const existing = await ownedEndpoint(tx, ctx, input.id);
        const fields = await checkFields(ctx, { url: input.url ?? existing.url, description: input.description });
        const endpoint = await tx.webhookEndpoint.update({
          where: { id: existing.id },
          data: {
            url: fields.url,
            description: input.description === undefined ? undefined : (fields.description ?? ''),
            eventTypes: input.eventTypes ? storedTypes(input.eventTypes) : undefined,
            enabled: input.enabled ?? undefined,
            disabledReason: input.enabled ? null : undefined,
          },
        });
        return { endpoint };
      }),
  }),
  rotateWebhookEndpointSecret: t.field({
    type: WebhookEndpointSecretPayload,
    description: 'Gives a webhook endpoint a new signing secret and answers it, once. For the next 24 hours deliveries are signed with both the new and the previous secret (two signatures in webhook-signature), so the receiver can switch at its own pace. ADMIN.',
    authScopes: { admin: true },
    args: { input: t.arg({ type: RotateWebhookEndpointSecretInput, required: true, description: 'The endpoint.' }) },
    resolve: (_root, { input }, ctx) =>
      runMutation(ctx, async (tx) => {
        const key = requireKey(ctx);
        const existing = await ownedEndpoint(tx, ctx, input.id);
        const secret = newSecret();
        const endpoint = await tx.webhookEndpoint.update({
          where: { id: existing.id },
          data: { secret: sealSecret(key, existing.workspaceId, secret), previousSecret: existing.secret, previousSecretUntil: new Date(Date.now() + ROTATION_OVERLAP_MS) },
        });
        return { endpoint, secret };
      }),
  }),
  deleteWebhookEndpoint: t.field({
    type: DeletePayload,
    description: 'Deletes a webhook endpoint with its delivery log; nothing more is sent to it. ADMIN.',
    authScopes: { admin: true },
    args: { input: t.arg({ type: DeleteWebhookEndpointInput, required: true, description: 'The endpoint.' }) },
    resolve: (_root, { input }, ctx) =>
      runMutation(ctx, async (tx) => {
        const existing = await ownedEndpoint(tx, ctx, input.id);
        await tx.webhookEndpoint.delete({ where: { id: existing.id } });
        return { deletedId: input.id };
      }),
  }),
}));

function requireKey(ctx: Context): Buffer {
  return ctx.webhooks?.key ?? refuse(['input'], 'NOT_CONFIGURED', 'Webhook endpoints need the server setting WEBHOOK_SECRET_KEY (at least 32 characters), which encrypts their signing secrets. Ask the server\'s operator.');
}

/** The fields as they are stored, or every reason they cannot be. */
async function checkFields(ctx: Context, fields: { url: string; description: string | null | undefined }): Promise<{ url: string; description?: string | null }> {
  const errors: UserErrorShape[] = [];
  const data = collect(fieldsSchema, fields, ['input'], errors);
  failIfAny(errors);
  const policy = ctx.webhooks?.policy ?? { httpsOnly: true, allowPrivate: false };
  const problem = urlProblem(fields.url, policy) ?? (await resolvedProblem(fields.url, policy));
  if (problem) refuse(['input', 'url'], 'INVALID', `The URL ${problem}.`);
  return data!;
}

function storedTypes(types: readonly string[] | null | undefined): string {
  return [...new Set((types ?? []).map(typeOfEnumName))].join(' ');
}

export async function ownedEndpoint(tx: Tx, ctx: Context, globalId: string): Promise<EndpointRow> {
  const id = idOf(globalId, 'WebhookEndpoint', ['input', 'id']);
  const endpoint = await tx.webhookEndpoint.findFirst({ where: { id, workspaceId: workspaceId(ctx) } });
  return endpoint ?? refuse(['input', 'id'], 'NOT_FOUND', `No WebhookEndpoint with id "${globalId}" in this workspace.`);
}

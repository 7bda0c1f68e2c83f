import { builder } from '../builder.js';
import { workspaceId, type Context } from '../context.js';
import type { WebhookDelivery as DeliveryRow } from '../generated/sqlite/client.js';
import { nodeScope } from '../nodes/node-lookup.js';
import { idOf } from '../shared/global-id.js';
import { runMutation, type Payload } from '../shared/mutation.js';
import { refuse, UserError } from '../shared/user-errors.js';
import { enumName, type EventType } from './event-types.js';

/**
 * The delivery log: each event sent to an endpoint is a delivery, with its
 * attempts (when, the receiver's status, how long) and the next try. ADMIN
 * reads it through the endpoint, and redeliverWebhook sends one again.
 */
export const WebhookDeliveryStatus = builder.enumType('WebhookDeliveryStatus', {
  description: 'Where a delivery stands.',
  values: {
    PENDING: { description: 'Not delivered yet: waiting for its first try or its next retry (nextAttemptAt).' },
    SUCCEEDED: { description: 'The receiver answered 2xx.' },
    FAILED: { description: 'Given up: every retry failed, or the receiver answered 410 Gone.' },
  } as const,
});

export const WebhookAttempt = builder.prismaObject('WebhookAttempt', {
  description: 'One try at a delivery.',
  fields: (t) => ({
    attemptedAt: t.expose('attemptedAt', { type: 'DateTime', description: 'When it was sent (the webhook-timestamp it carried).' }),
    statusCode: t.exposeInt('statusCode', { nullable: true, description: 'The receiver\'s HTTP status; null when none came (timeout, refused connection).' }),
    durationMs: t.exposeInt('durationMs', { description: 'How long the receiver took, in milliseconds.' }),
    error: t.exposeString('error', { nullable: true, description: 'Why it failed, in a few words; null when it succeeded.' }),
  }),
});

export const WebhookEvent = builder.prismaObject('WebhookEvent', {
  description: 'An event as sent: the same id and body on every attempt and redelivery.',
  fields: (t) => ({
    webhookId: t.exposeString('id', { description: 'The webhook-id header of its deliveries (msg_...): receivers deduplicate on it.' }),
    type: t.string({ description: 'Its type as on the wire, e.g. content.updated.', resolve: (e) => e.type }),
    eventType: t.string({ description: 'Its type as the WebhookEventType name, e.g. CONTENT_UPDATED.', resolve: (e) => enumName(e.type as EventType) }),
    body: t.exposeString('body', { description: 'The JSON body as sent, byte for byte: what the signature covers.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it happened.' }),
  }),
});

export const WebhookDelivery = builder.prismaNode('WebhookDelivery', {
  description: 'One event sent to one endpoint, with its attempts.',
  authScopes: { admin: true },
  id: { field: 'id' },
  findUnique: nodeScope('WebhookDelivery', (ctx: Context) => ({ endpoint: { workspaceId: workspaceId(ctx) } })),
  fields: (t) => ({
    status: t.field({ type: WebhookDeliveryStatus, description: 'Where it stands.', resolve: (d) => d.status }),
    attemptCount: t.exposeInt('attempts', { description: 'Attempts made so far.' }),
    nextAttemptAt: t.expose('nextAttemptAt', { type: 'DateTime', nullable: true, description: 'When it is tried next; null once it succeeded or failed.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was queued.' }),
    event: t.relation('event', { description: 'The event it carries.' }),
    endpoint: t.relation('endpoint', { description: 'Where it goes.' }),
    attempts: t.relation('log', { description: 'Its attempts, oldest first.', query: { orderBy: [{ attemptedAt: 'asc' }, { id: 'asc' }] } }),
  }),
});

const RedeliverWebhookInput = builder.inputType('RedeliverWebhookInput', {
  description: 'A delivery to send again.',
  fields: (t) => ({ deliveryId: t.id({ required: true, description: 'The delivery\'s global ID.' }) }),
});

interface RedeliverPayloadShape extends Payload {
  delivery?: DeliveryRow | null;
}

const RedeliverWebhookPayload = builder.objectRef<RedeliverPayloadShape>('RedeliverWebhookPayload').implement({
  description: 'The result of redeliverWebhook.',
  fields: (t) => ({
    delivery: t.field({ type: WebhookDelivery, nullable: true, description: 'The new delivery, queued at once; null when refused.', resolve: (p) => p.delivery ?? null }),
    userErrors: t.field({ type: [UserError], description: 'Why the input was refused; empty on success.', resolve: (p) => p.userErrors }),
  }),
});

builder.mutationFields((t) => ({
  redeliverWebhook: t.field({
    type: RedeliverWebhookPayload,
    description: 'Sends a delivery\'s event to its endpoint again, as a new delivery with a fresh retry schedule and the same webhook-id (receivers that saw it may drop it). Works for succeeded and failed deliveries alike; the endpoint must be enabled. ADMIN.',
    authScopes: { admin: true },
    args: { input: t.arg({ type: RedeliverWebhookInput, required: true, description: 'The delivery.' }) },
    resolve: (_root, { input }, ctx) =>
      runMutation(ctx, async (tx) => {
        const id = idOf(input.deliveryId, 'WebhookDelivery', ['input', 'deliveryId']);
        const existing = await tx.webhookDelivery.findFirst({ where: { id, endpoint: { workspaceId: workspaceId(ctx) } }, include: { endpoint: { select: { enabled: true } } } });
        if (!existing) refuse(['input', 'deliveryId'], 'NOT_FOUND', `No WebhookDelivery with id "${input.deliveryId}" in this workspace.`);
        if (!existing.endpoint.enabled) refuse(['input', 'deliveryId'], 'INVALID', 'Its endpoint is disabled; enable it first (updateWebhookEndpoint).');
        const delivery = await tx.webhookDelivery.create({ data: { eventId: existing.eventId, endpointId: existing.endpointId, nextAttemptAt: new Date() } });
        return { delivery };
      }),
  }),
}));

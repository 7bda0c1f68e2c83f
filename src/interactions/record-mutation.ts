import { builder } from '../builder.js';
import { workspaceId } from '../context.js';
import type { UserErrorShape } from '../shared/user-errors.js';
import { UserError } from '../shared/user-errors.js';
import type { Refusal } from './events.js';
import { MAX_EVENTS_PER_CALL, recordInteractions } from './recording.js';
import { InteractionType, RefusedInteraction } from './types.js';

const InteractionEventInput = builder.inputType('InteractionEventInput', {
  description: 'One interaction with a piece of content, as it happened for a visitor in one cell (segment, phase, channel) it was served for.',
  fields: (t) => ({
    clientEventId: t.string({ required: true, description: 'The sender\'s own id for the event (e.g. a UUID made when it happened): an event sent again with the same id is counted once.' }),
    type: t.field({ type: InteractionType, required: true, description: 'What the visitor did.' }),
    pieceId: t.id({ description: 'The piece, by global ID. Give this or externalId.' }),
    externalId: t.string({ description: 'The piece, by its id in your CMS. Give this or pieceId.' }),
    segment: t.string({ required: true, description: 'Key of the segment the piece was served for (as asked of recommendedContent).' }),
    phase: t.string({ required: true, description: 'Key of the phase, within the segment\'s journey.' }),
    channel: t.string({ required: true, description: 'Key of the channel.' }),
    touchpointId: t.id({ description: 'The touchpoint it happened at, by global ID: it must sit at this phase and channel. Events at touchpoints make the session paths (touchpointPaths).' }),
    device: t.string({ description: 'The device kind, e.g. "mobile" or "desktop" (at most 100 characters). Never a user agent: it is not stored.' }),
    occurredAt: t.field({ type: 'DateTime', required: true, description: 'When it happened: at most a day ahead of the server\'s clock, and within the retention window.' }),
    visitorId: t.string({ required: true, description: 'An anonymous id of the visitor (e.g. a random id in first-party storage). Stored only as a keyed hash.' }),
    sessionId: t.string({ required: true, description: 'An anonymous id of the visit. Stored only as a keyed hash.' }),
  }),
});

const RecordInteractionsInput = builder.inputType('RecordInteractionsInput', {
  description: `A batch of interactions, at most ${MAX_EVENTS_PER_CALL}.`,
  fields: (t) => ({
    events: t.field({ type: [InteractionEventInput], required: true, description: `The events, at most ${MAX_EVENTS_PER_CALL}.` }),
  }),
});

interface RecordInteractionsPayloadShape {
  accepted: number;
  duplicates: number;
  refused: Refusal[];
  userErrors: UserErrorShape[];
}

const RecordInteractionsPayload = builder.objectRef<RecordInteractionsPayloadShape>('RecordInteractionsPayload').implement({
  description: 'What became of a batch of interactions: each event is recorded, a duplicate, or refused on its own.',
  fields: (t) => ({
    accepted: t.exposeInt('accepted', { description: 'Events recorded now.' }),
    duplicates: t.exposeInt('duplicates', { description: 'Events whose clientEventId was recorded already (by an earlier call, or earlier in this batch): counted once.' }),
    refused: t.field({ type: [RefusedInteraction], description: 'Events not recorded, by position, with the field at fault and a code.', resolve: (p) => p.refused }),
    userErrors: t.field({ type: [UserError], description: 'Why the whole batch was refused (e.g. too many events); empty otherwise.', resolve: (p) => p.userErrors }),
  }),
});

builder.mutationFields((t) => ({
  recordInteractions: t.field({
    type: RecordInteractionsPayload,
    description: `Records what visitors did with content: up to ${MAX_EVENTS_PER_CALL} events per call. Bad events are refused one by one (see refused); the rest are recorded, with the daily roll-ups, in one transaction. DELIVERY and above: this is what websites call (browsers can also use POST /interactions, the beacon).`,
    authScopes: { delivery: true },
    args: { input: t.arg({ type: RecordInteractionsInput, required: true, description: 'The events.' }) },
    resolve: async (_root, { input }, ctx): Promise<RecordInteractionsPayloadShape> => {
      if (input.events.length > MAX_EVENTS_PER_CALL) {
        const message = `At most ${MAX_EVENTS_PER_CALL} events per call; got ${input.events.length}. Split the batch.`;
        return { accepted: 0, duplicates: 0, refused: [], userErrors: [{ field: ['input', 'events'], code: 'TOO_MANY', message }] };
      }
      const result = await recordInteractions(ctx.database, ctx.catalogs, ctx.interactions, workspaceId(ctx), input.events);
      return { ...result, userErrors: [] };
    },
  }),
}));

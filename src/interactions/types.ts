import { builder } from '../builder.js';
import { INTERACTION_TYPES, REFUSAL_CODES, type Refusal, type RefusalCode } from './events.js';

/** GraphQL's view of an interaction's type (the InteractionType of the models). */
export const InteractionType = builder.enumType('InteractionType', {
  description: 'What a visitor did with a piece of content.',
  values: {
    IMPRESSION: { description: 'The piece was shown (e.g. listed, or rendered in a slot).' },
    VIEW: { description: 'The piece was looked at (e.g. opened, scrolled into view for a while, played).' },
    CLICK: { description: 'The visitor clicked through to the piece or its call to action.' },
    DOWNLOAD: { description: 'The visitor downloaded it (a whitepaper, a brochure).' },
    SHARE: { description: 'The visitor shared it.' },
    CONVERSION: { description: 'The visitor did what the piece asks for (signed up, bought, booked a demo).' },
  } satisfies Record<(typeof INTERACTION_TYPES)[number], { description: string }>,
});

const REFUSAL_DESCRIPTIONS: Record<RefusalCode, string> = {
  INVALID: 'A value is missing, of the wrong type, empty, too long or holds control characters; `field` names it.',
  UNKNOWN_PIECE: 'No content piece with this pieceId or externalId in the workspace.',
  UNKNOWN_SEGMENT: 'No segment with this key in the workspace.',
  UNKNOWN_PHASE: 'No phase with this key in the workspace.',
  PHASE_NOT_IN_JOURNEY: 'The phase exists, but not in the journey the segment follows.',
  UNKNOWN_CHANNEL: 'No channel with this key in the workspace.',
  UNKNOWN_TOUCHPOINT: 'No touchpoint with this id in the workspace.',
  TOUCHPOINT_ELSEWHERE: 'The touchpoint sits at another phase or channel than the event.',
  IN_THE_FUTURE: 'occurredAt is more than a day ahead of the server\'s clock.',
  TOO_OLD: 'occurredAt is older than the retention window (INTERACTION_RETENTION_DAYS).',
};

export const InteractionRefusalCode = builder.enumType('InteractionRefusalCode', {
  description: 'Why one event of a batch was refused (the others are still recorded).',
  values: Object.fromEntries(REFUSAL_CODES.map((code) => [code, { description: REFUSAL_DESCRIPTIONS[code] }])) as Record<RefusalCode, { description: string }>,
});

export const RefusedInteraction = builder.objectRef<Refusal>('RefusedInteraction').implement({
  description: 'An event of the batch that was not recorded, and why.',
  fields: (t) => ({
    index: t.exposeInt('index', { description: 'Its position in the batch, from 0.' }),
    field: t.exposeString('field', { description: 'The event field at fault, e.g. "segment" or "occurredAt".' }),
    code: t.field({ type: InteractionRefusalCode, description: 'A stable code for programs.', resolve: (r) => r.code }),
    message: t.exposeString('message', { description: 'A sentence for people.' }),
  }),
});

import { builder } from '../builder.js';

/** Enums more than one concept uses. */
export const NeedType = builder.enumType('NeedType', {
  description: 'Which need a touchpoint or piece answers (functionele / emotionele behoefte).',
  values: {
    FUNCTIONAL: { description: 'A practical need: information, a task to get done.' },
    EMOTIONAL: { description: 'A feeling: trust, reassurance, pride, belonging.' },
  } as const,
});

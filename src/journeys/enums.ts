import { builder } from '../builder.js';
import type { Language as LanguageCode } from './templates.js';

/** Become / be / stay a customer (klant worden / zijn / blijven). */
export const Scope = builder.enumType('Scope', {
  description: 'Which stage of the customer relationship a phase serves (klant worden / zijn / blijven).',
  values: {
    BECOME: { description: 'Become a customer: prospects, before the first purchase.' },
    BE: { description: 'Be a customer: new, first-time customers (onboarding, first use, confirmation that they chose well).' },
    STAY: { description: 'Stay a customer: existing customers (retention, loyalty, advocacy).' },
  } as const,
});

/** What kind of step a phase is, whatever the journey calls it; drives defaults. */
export const Archetype = builder.enumType('Archetype', {
  description: 'What kind of step a phase is, whatever it is called. It sets the default scope and the formats suggested for a gap.',
  values: {
    AWARENESS: { description: 'Getting noticed: the customer learns the brand or the problem exists. Default scope BECOME.' },
    CONSIDERATION: { description: 'Weighing options: comparing, reading reviews, asking around. Default scope BECOME.' },
    DECISION: { description: 'Choosing and buying. Default scope BECOME.' },
    ONBOARDING: { description: 'Getting started after the purchase. Default scope BE.' },
    USAGE: { description: 'Using the product or service. Default scope BE.' },
    RETENTION: { description: 'Staying loyal and buying again. Default scope STAY.' },
    ADVOCACY: { description: 'Recommending the brand to others. Default scope STAY.' },
  } as const,
});

/** The languages the built-in templates are written in. */
export const Language = builder.enumType('Language', {
  description: 'A language the built-in journey templates are available in.',
  values: {
    NL: { description: 'Dutch, the language of the source articles.' },
    EN: { description: 'English.' },
  } as const,
});

export type LanguageValue = 'NL' | 'EN';

/** The templates' own language code for a GraphQL Language value. */
export function languageCode(language: LanguageValue): LanguageCode {
  return language === 'NL' ? 'nl' : 'en';
}

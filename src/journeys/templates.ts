import type { Archetype, Scope } from '../generated/sqlite/enums.js';

/**
 * The built-in journey templates, from the source articles (see DOMAIN.md):
 * each phase with its key, Dutch and English names and archetype.
 */
export interface TemplatePhase {
  key: string;
  name: { nl: string; en: string };
  archetype: Archetype;
  /** Only where it differs from the archetype's default scope. */
  scope?: Scope;
}

export interface JourneyTemplate {
  key: string;
  name: { nl: string; en: string };
  description: { nl: string; en: string };
  phases: TemplatePhase[];
}

export type Language = 'nl' | 'en';

/** Every phase's scope follows from its archetype unless a template says otherwise. */
export const DEFAULT_SCOPE: Record<Archetype, Scope> = {
  AWARENESS: 'BECOME',
  CONSIDERATION: 'BECOME',
  DECISION: 'BECOME',
  ONBOARDING: 'BE',
  USAGE: 'BE',
  RETENTION: 'STAY',
  ADVOCACY: 'STAY',
};

export const JOURNEY_TEMPLATES: JourneyTemplate[] = [
  {
    key: 'five-a',
    name: { nl: 'De 5 A\'s', en: 'The five As' },
    description: {
      nl: 'Aandacht, afweging, actie, altijd en advocaat: de klantreis in vijf stappen.',
      en: 'Attention, consideration, action, always and advocate: the journey in five steps.',
    },
    phases: [
      { key: 'attention', name: { nl: 'Aandacht', en: 'Attention' }, archetype: 'AWARENESS' },
      { key: 'consideration', name: { nl: 'Afweging', en: 'Consideration' }, archetype: 'CONSIDERATION' },
      { key: 'action', name: { nl: 'Actie', en: 'Action' }, archetype: 'DECISION' },
      { key: 'always', name: { nl: 'Altijd', en: 'Always' }, archetype: 'RETENTION' },
      { key: 'advocate', name: { nl: 'Advocaat of ambassadeur', en: 'Advocate' }, archetype: 'ADVOCACY' },
    ],
  },
  {
    key: 'awareness-to-advocacy',
    name: { nl: 'Van bekendheid tot belangenbehartiging', en: 'Awareness to advocacy' },
    description: {
      nl: 'Bekendheid, overweging, beslissing, retentie en belangenbehartiging.',
      en: 'Awareness, consideration, decision, retention and advocacy.',
    },
    phases: [
      { key: 'awareness', name: { nl: 'Bekendheid', en: 'Awareness' }, archetype: 'AWARENESS' },
      { key: 'consideration', name: { nl: 'Overweging', en: 'Consideration' }, archetype: 'CONSIDERATION' },
      { key: 'decision', name: { nl: 'Beslissing', en: 'Decision' }, archetype: 'DECISION' },
      { key: 'retention', name: { nl: 'Retentie', en: 'Retention' }, archetype: 'RETENTION' },
      { key: 'advocacy', name: { nl: 'Belangenbehartiging', en: 'Advocacy' }, archetype: 'ADVOCACY' },
    ],
  },
  {
    key: 'orientation-to-evaluation',
    name: { nl: 'Van oriëntatie tot evaluatie', en: 'Orientation to evaluation' },
    description: {
      nl: 'Oriëntatie, afweging, aankoop, gebruik en evaluatie.',
      en: 'Orientation, weighing up, purchase, use and evaluation.',
    },
    phases: [
      { key: 'orientation', name: { nl: 'Oriëntatie', en: 'Orientation' }, archetype: 'AWARENESS' },
      { key: 'weighing', name: { nl: 'Afweging', en: 'Weighing up' }, archetype: 'CONSIDERATION' },
      { key: 'purchase', name: { nl: 'Aankoop', en: 'Purchase' }, archetype: 'DECISION' },
      { key: 'use', name: { nl: 'Gebruik', en: 'Use' }, archetype: 'USAGE' },
      { key: 'evaluation', name: { nl: 'Evaluatie', en: 'Evaluation' }, archetype: 'ADVOCACY' },
    ],
  },
  {
    key: 'become-be-stay',
    name: { nl: 'Klant worden, zijn en blijven', en: 'Become, be and stay a customer' },
    description: {
      nl: 'Eén fase per scope, voor teams die op dat niveau plannen.',
      en: 'One phase per scope, for teams that plan at that level.',
    },
    phases: [
      { key: 'become', name: { nl: 'Klant worden', en: 'Becoming a customer' }, archetype: 'CONSIDERATION', scope: 'BECOME' },
      { key: 'be', name: { nl: 'Klant zijn', en: 'Being a customer' }, archetype: 'ONBOARDING', scope: 'BE' },
      { key: 'stay', name: { nl: 'Klant blijven', en: 'Staying a customer' }, archetype: 'RETENTION', scope: 'STAY' },
    ],
  },
];

export function findTemplate(key: string): JourneyTemplate | undefined {
  return JOURNEY_TEMPLATES.find((template) => template.key === key);
}

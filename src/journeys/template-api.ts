import { z } from 'zod';
import { builder } from '../builder.js';
import { workspaceId } from '../context.js';
import type { Archetype as ArchetypeValue, Scope as ScopeValue } from '../generated/sqlite/enums.js';
import { runMutation } from '../shared/mutation.js';
import { refuse } from '../shared/user-errors.js';
import { keySchema, nameSchema, parseInput, refSchema } from '../shared/validation.js';
import { Archetype, Language, languageCode, Scope, type LanguageValue } from './enums.js';
import { JourneyPayload } from './model.js';
import { appendPhases, assertJourneyKeyFree } from './store.js';
import { DEFAULT_SCOPE, findTemplate, JOURNEY_TEMPLATES, type JourneyTemplate as TemplateDef, type Language as LanguageCode } from './templates.js';

/** A built-in template in one language, as the API shows it and as it is applied. */
interface LocalizedTemplate {
  key: string;
  name: string;
  description: string;
  phases: { key: string; name: string; archetype: ArchetypeValue; scope: ScopeValue }[];
}

function localize(template: TemplateDef, language: LanguageCode): LocalizedTemplate {
  return {
    key: template.key,
    name: template.name[language],
    description: template.description[language],
    phases: template.phases.map((phase) => ({
      key: phase.key,
      name: phase.name[language],
      archetype: phase.archetype,
      scope: phase.scope ?? DEFAULT_SCOPE[phase.archetype],
    })),
  };
}

const JourneyTemplatePhase = builder.objectRef<LocalizedTemplate['phases'][number]>('JourneyTemplatePhase').implement({
  description: 'A phase a built-in template creates.',
  fields: (t) => ({
    key: t.exposeString('key', { description: 'The phase key it gets.' }),
    name: t.exposeString('name', { description: 'Its name in the requested language.' }),
    archetype: t.field({ type: Archetype, description: 'What kind of step it is.', resolve: (p) => p.archetype }),
    scope: t.field({ type: Scope, description: 'Become, be or stay a customer.', resolve: (p) => p.scope }),
  }),
});

const JourneyTemplate = builder.objectRef<LocalizedTemplate>('JourneyTemplate').implement({
  description: 'A built-in journey model from the source articles; applyJourneyTemplate creates one from it in a single call.',
  fields: (t) => ({
    key: t.exposeString('key', { description: 'The template\'s key, as applyJourneyTemplate takes it.' }),
    name: t.exposeString('name', { description: 'Its name in the requested language.' }),
    description: t.exposeString('description', { description: 'What it is, in the requested language.' }),
    phases: t.field({ type: [JourneyTemplatePhase], description: 'Its phases in journey order.', resolve: (p) => p.phases }),
  }),
});

builder.queryFields((t) => ({
  journeyTemplates: t.field({
    type: [JourneyTemplate],
    description: 'The built-in journey templates, in the requested language.',
    authScopes: { delivery: true },
    args: {
      language: t.arg({ type: Language, required: true, defaultValue: 'EN', description: 'The language of names and descriptions.' }),
    },
    resolve: (_root, { language }) => JOURNEY_TEMPLATES.map((template) => localize(template, languageCode(language as LanguageValue))),
  }),
}));

const ApplyJourneyTemplateInput = builder.inputType('ApplyJourneyTemplateInput', {
  description: 'Which built-in template to turn into a journey model of this workspace.',
  fields: (t) => ({
    template: t.string({ required: true, description: 'The template\'s key (see journeyTemplates).' }),
    language: t.field({ type: Language, required: true, description: 'The language of the journey\'s and phases\' names and descriptions.' }),
    key: t.string({ required: true, description: 'The new journey model\'s key, unique in the workspace.' }),
    name: t.string({ description: 'The journey model\'s name; omit for the template\'s name in that language.' }),
  }),
});

const applyFields = z.object({ template: refSchema, key: keySchema, name: nameSchema.nullish() });

builder.mutationFields((t) => ({
  applyJourneyTemplate: t.field({
    type: JourneyPayload,
    description: 'Creates a journey model with all phases of a built-in template. ADMIN.',
    authScopes: { admin: true },
    args: { input: t.arg({ type: ApplyJourneyTemplateInput, required: true, description: 'The template and the new journey\'s key.' }) },
    resolve: (_root, { input }, ctx) =>
      runMutation(ctx, async (tx) => {
        const data = parseInput(applyFields, input);
        const definition = findTemplate(input.template);
        if (!definition) {
          const valid = JOURNEY_TEMPLATES.map((template) => `"${template.key}"`).join(', ');
          refuse(['input', 'template'], 'NOT_FOUND', `No journey template "${input.template}"; valid keys are ${valid}.`);
        }
        const template = localize(definition, languageCode(input.language as LanguageValue));
        await assertJourneyKeyFree(tx, ctx, data.key);
        const journey = await tx.journeyModel.create({
          data: { workspaceId: workspaceId(ctx), key: data.key, name: data.name ?? template.name, description: template.description, template: template.key },
        });
        await appendPhases(tx, ctx, journey.id, template.phases);
        return { journey };
      }),
  }),
}));

/**
 * Journey models and their phases: the GraphQL types, queries and mutations.
 * Importing this module registers them (see src/schema.ts). Other modules
 * take the shared enums and node types from here.
 */
export { Archetype, Language, Scope } from './enums.js';
export { JourneyModel, JourneyPayload, Phase, PhasePayload } from './model.js';
import './journey-mutations.js';
import './phase-mutations.js';
import './template-api.js';

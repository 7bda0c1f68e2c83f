import { lexicographicSortSchema } from 'graphql';
import { builder } from './builder.js';
import { describeGeneratedTypes } from './schema-descriptions.js';
import './shared/enums.js';
import './shared/refs.js';
import './nodes/node-lookup.js';
import './workspaces/workspace.js';
import './auth/api-key.js';
import './journeys/journey.js';
import './segments/segment.js';
import './channels/channel.js';
import './touchpoints/touchpoint.js';
import './coverage/coverage-rule.js';
import './content/content-piece.js';
import './content/import.js';
import './content/removal.js';
import './content/sync.js';
import './recommendations/recommended-content.js';
import './matrix/content-matrix.js';
import './calendar/content-calendar.js';
import './webhooks/endpoints.js';
import './reports/tokens.js';
import './scenarios/index.js';
import './interactions/record-mutation.js';
import './interactions/performance.js';

/** Every domain module registers its types on import; this builds the schema. */
export const schema = describeGeneratedTypes(lexicographicSortSchema(builder.toSchema()));
